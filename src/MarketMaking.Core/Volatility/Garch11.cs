using MarketMaking.Core.Calibration;
using MathNet.Numerics.LinearAlgebra;

namespace MarketMaking.Core.Volatility;

/// <summary>
/// GARCH(1,1) with a constant mean: r_t = μ + e_t, h_t = ω + α·e²_{t−1} + β·h_{t−1}, e_t | past ~ N(0, h_t).
/// Validated at construction: ω &gt; 0, α, β ≥ 0 and α + β &lt; 1 (covariance stationary, so the unconditional
/// variance and the half-life exist).
/// </summary>
public sealed record Garch11Parameters
{
    public Garch11Parameters(double mu, double omega, double alpha, double beta)
    {
        Mu = Guard.Finite(mu, "mu");
        Omega = Guard.Positive(omega, "omega");
        Alpha = Guard.NonNegative(alpha, "alpha");
        Beta = Guard.NonNegative(beta, "beta");
        if (alpha + beta >= 1)
        {
            throw new InputException($"alpha + beta must be < 1 for a stationary GARCH(1,1), got {Guard.Format(alpha + beta)}", field: "beta");
        }
    }

    public double Mu { get; }
    public double Omega { get; }
    public double Alpha { get; }
    public double Beta { get; }

    /// <summary>α + β: how much of a variance shock survives one step.</summary>
    public double Persistence => Garch11.Persistence(Alpha, Beta);

    /// <summary>ω / (1 − α − β).</summary>
    public double UnconditionalVariance => Garch11.UnconditionalVariance(Omega, Alpha, Beta);

    public double UnconditionalVolatility => Math.Sqrt(UnconditionalVariance);

    /// <summary>Steps until a variance shock has decayed by half: ln(½) / ln(α + β).</summary>
    public double HalfLife => Garch11.HalfLife(Alpha, Beta);
}

/// <summary>How <see cref="Garch11.Fit"/> runs.</summary>
public sealed record Garch11Options
{
    /// <summary>
    /// Step of the numerical Hessian behind the standard errors, in the parameters of the series divided by its
    /// sample standard deviation. The default 1e−3 is what R's optimHess (used by fGarch) takes, so the published
    /// dem2gbp standard errors are reproduced; 1e−5 gives the Hessian of the likelihood itself to about six digits
    /// (on dem2gbp the two differ by up to 0.5% in the standard error of β).
    /// </summary>
    public double HessianStep { get; init; } = 1e-3;

    /// <summary>Where the optimiser starts; null starts as fGarch does (sample mean, α = 0.1, β = 0.8, ω = 0.1·variance).</summary>
    public Garch11Parameters? Start { get; init; }

    public int MaxIterations { get; init; } = 500;

    /// <summary>Rejects a step or a Hessian that is not usable.</summary>
    public void Validate()
    {
        Guard.InRange(HessianStep, 1e-8, 0.1, "hessian_step");
        Guard.AtLeast(MaxIterations, 1, "max_iterations");
    }
}

/// <summary>A GARCH(1,1) fit with everything the report shows.</summary>
public sealed record Garch11Fit
{
    public required Garch11Parameters Parameters { get; init; }
    public required ParameterEstimate Mu { get; init; }
    public required ParameterEstimate Omega { get; init; }
    public required ParameterEstimate Alpha { get; init; }
    public required ParameterEstimate Beta { get; init; }

    /// <summary>Gaussian log-likelihood including −½·log(2π) per observation.</summary>
    public required double LogLikelihood { get; init; }

    public required int Observations { get; init; }
    public required OptimizerOutcome Outcome { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>h_1 … h_n, the conditional variance of each return given the ones before it.</summary>
    public required IReadOnlyList<double> ConditionalVariances { get; init; }

    /// <summary>h_{n+1}: the variance forecast for the next, unseen return.</summary>
    public required double NextVariance { get; init; }

    public double Persistence => Parameters.Persistence;
    public double UnconditionalVariance => Parameters.UnconditionalVariance;
    public double UnconditionalVolatility => Parameters.UnconditionalVolatility;
    public double HalfLife => Parameters.HalfLife;

    public const int ParameterCount = 4;
    public double Aic => InformationCriteria.Aic(ParameterCount, LogLikelihood);
    public double Bic => InformationCriteria.Bic(ParameterCount, Observations, LogLikelihood);
}

/// <summary>
/// Gaussian (quasi-)maximum likelihood for GARCH(1,1) with a constant mean, initialised as R's fGarch does:
/// the presample e²_0 and h_0 are both the mean of (r_t − μ)² over the sample at the current μ, so
/// h_1 = ω + (α + β)·mean(e²). The likelihood counts every observation, with its −½·log(2π).
/// <para>
/// The series is divided by its sample standard deviation first (fGarch's default), which puts every
/// parameter on a scale near one. The optimiser is BFGS with an analytic gradient in unconstrained
/// coordinates (μ, log ω, logit(α+β), logit(α/(α+β))), so every trial point is stationary, followed by
/// Newton steps on the natural parameters to polish the optimum. Standard errors come from the inverse of the
/// numerical Hessian of −ℓ (see <see cref="Garch11Options.HessianStep"/>).
/// </para>
/// </summary>
public static class Garch11
{
    private const int MinimumObservations = 10;
    private const double BoundaryTolerance = 1e-7;

    public static double Persistence(double alpha, double beta) => alpha + beta;

    public static double UnconditionalVariance(double omega, double alpha, double beta) => omega / (1.0 - alpha - beta);

    public static double HalfLife(double alpha, double beta) => Math.Log(0.5) / Math.Log(alpha + beta);

    /// <summary>One step of the variance recursion: h_{t+1} = ω + α·e²_t + β·h_t.</summary>
    public static double NextVariance(double omega, double alpha, double beta, double squaredResidual, double variance) =>
        omega + alpha * squaredResidual + beta * variance;

    /// <summary>Exact Gaussian log-likelihood of <paramref name="returns"/> at <paramref name="parameters"/>.</summary>
    public static double LogLikelihood(IReadOnlyList<double> returns, Garch11Parameters parameters)
    {
        var x = Validate(returns);
        return -NegativeLogLikelihood(x, parameters.Mu, parameters.Omega, parameters.Alpha, parameters.Beta);
    }

    /// <summary>h_1 … h_n and the forecast h_{n+1}, under the fGarch initialisation.</summary>
    public static (double[] Variances, double Next) ConditionalVariances(IReadOnlyList<double> returns, Garch11Parameters parameters)
    {
        var x = Validate(returns);
        var h = new double[x.Length];
        var next = Filter(x, parameters.Mu, parameters.Omega, parameters.Alpha, parameters.Beta, h);
        return (h, next);
    }

    /// <summary>Mean of (r − μ)²: the presample e²_0 = h_0 of the fGarch recursion.</summary>
    public static double PresampleVariance(IReadOnlyList<double> returns, double mu)
    {
        var sum = 0.0;
        for (var i = 0; i < returns.Count; i++)
        {
            var e = returns[i] - mu;
            sum += e * e;
        }
        return sum / returns.Count;
    }

    public static Garch11Fit Fit(IReadOnlyList<double> returns, Garch11Options? options = null)
    {
        options ??= new Garch11Options();
        options.Validate();
        var x = Validate(returns);
        var n = x.Length;

        // Standardise: y = x / s. Then μ_y = μ/s, ω_y = ω/s², α and β unchanged, ℓ_x = ℓ_y − n·log s.
        var (mean, sd) = MeanAndSd(x);
        if (!(sd > 0))
        {
            throw new InputException("the returns have zero variance: there is no volatility to model", field: "return");
        }
        var y = new double[n];
        for (var i = 0; i < n; i++) y[i] = x[i] / sd;

        var start = options.Start is { } s
            ? new[] { s.Mu / sd, s.Omega / (sd * sd), s.Alpha, s.Beta }
            : new[] { mean / sd, 0.1, 0.1, 0.8 };
        // Keep a user start strictly inside the transform's domain.
        start[2] = Math.Max(start[2], 1e-4);
        start[3] = Math.Max(start[3], 1e-4);
        if (start[2] + start[3] > 0.999)
        {
            var scale = 0.999 / (start[2] + start[3]);
            start[2] *= scale;
            start[3] *= scale;
        }

        var (theta, bfgsIterations, bfgsConverged) = Bfgs(y, ToUnconstrained(start), options.MaxIterations);
        var natural = ToNatural(theta);
        var boundary = Boundary(natural);

        var newtonIterations = 0;
        var converged = bfgsConverged;
        if (boundary is null)
        {
            (natural, newtonIterations, var newtonConverged) = NewtonPolish(y, natural);
            converged = newtonConverged;
            boundary = Boundary(natural);
        }

        var mu = natural[0] * sd;
        var omega = natural[1] * sd * sd;
        var alpha = natural[2];
        var beta = natural[3];
        var warnings = new List<string>();
        Garch11Parameters parameters;
        try
        {
            parameters = new Garch11Parameters(mu, omega, alpha, beta);
        }
        catch (InputException)
        {
            // The optimum sits on α + β = 1 (integrated GARCH): keep it just inside so the fit can be reported.
            var scale = (1.0 - 1e-12) / (alpha + beta);
            parameters = new Garch11Parameters(mu, omega, alpha * scale, beta * scale);
            boundary ??= "alpha + beta -> 1 (integrated GARCH)";
        }

        double[]? se = null;
        if (boundary is null)
        {
            se = StandardErrors(y, natural, options.HessianStep);
            if (se is null)
            {
                warnings.Add("standard errors are not available: the numerical Hessian is not positive definite at this estimate");
            }
            else
            {
                se[0] *= sd;
                se[1] *= sd * sd;
            }
        }
        else
        {
            warnings.Add($"the optimum is on a boundary: {boundary}; standard errors from the Hessian do not apply");
        }
        if (boundary is null && !converged)
        {
            warnings.Add("the optimiser did not converge");
        }

        var h = new double[n];
        var next = Filter(x, parameters.Mu, parameters.Omega, parameters.Alpha, parameters.Beta, h);
        var logLik = -NegativeLogLikelihood(x, parameters.Mu, parameters.Omega, parameters.Alpha, parameters.Beta);

        return new Garch11Fit
        {
            Parameters = parameters,
            Mu = new ParameterEstimate("mu", parameters.Mu, se?[0] ?? double.NaN),
            Omega = new ParameterEstimate("omega", parameters.Omega, se?[1] ?? double.NaN),
            Alpha = new ParameterEstimate("alpha", parameters.Alpha, se?[2] ?? double.NaN),
            Beta = new ParameterEstimate("beta", parameters.Beta, se?[3] ?? double.NaN),
            LogLikelihood = logLik,
            Observations = n,
            Outcome = new OptimizerOutcome(converged && boundary is null, bfgsIterations + newtonIterations,
                "BFGS on (mu, log omega, logit persistence, logit alpha share) + Newton polish", boundary),
            Warnings = warnings,
            ConditionalVariances = h,
            NextVariance = next,
        };
    }

    private static double[] Validate(IReadOnlyList<double> returns)
    {
        if (returns.Count < MinimumObservations)
        {
            throw new InputException($"need at least {MinimumObservations} returns to fit a GARCH(1,1), got {returns.Count}", field: "return");
        }
        var x = new double[returns.Count];
        for (var i = 0; i < x.Length; i++)
        {
            var r = returns[i];
            if (!double.IsFinite(r))
            {
                throw new InputException($"return number {i + 1} is not a finite number ({Guard.Format(r)})", field: "return");
            }
            x[i] = r;
        }
        return x;
    }

    private static (double Mean, double Sd) MeanAndSd(double[] x)
    {
        var mean = 0.0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        var ss = 0.0;
        foreach (var v in x) ss += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(ss / (x.Length - 1)));
    }

    /// <summary>Runs the recursion, fills h_1 … h_n and returns h_{n+1}.</summary>
    private static double Filter(double[] x, double mu, double omega, double alpha, double beta, double[] h)
    {
        var m = PresampleVariance(x, mu);
        double previousE2 = m, previousH = m;
        for (var t = 0; t < x.Length; t++)
        {
            var ht = omega + alpha * previousE2 + beta * previousH;
            h[t] = ht;
            var e = x[t] - mu;
            previousE2 = e * e;
            previousH = ht;
        }
        return omega + alpha * previousE2 + beta * previousH;
    }

    /// <summary>−ℓ; +∞ where a variance is not positive (only ω &gt; 0, α, β ≥ 0 matter, not stationarity).</summary>
    internal static double NegativeLogLikelihood(double[] x, double mu, double omega, double alpha, double beta)
    {
        if (!(omega > 0) || !(alpha >= 0) || !(beta >= 0)) return double.PositiveInfinity;
        var m = PresampleVariance(x, mu);
        double previousE2 = m, previousH = m;
        var sum = 0.0;
        for (var t = 0; t < x.Length; t++)
        {
            var h = omega + alpha * previousE2 + beta * previousH;
            var e = x[t] - mu;
            var e2 = e * e;
            sum += Math.Log(h) + e2 / h;
            previousE2 = e2;
            previousH = h;
        }
        var value = 0.5 * (x.Length * Log2Pi + sum);
        return double.IsFinite(value) ? value : double.PositiveInfinity;
    }

    private static readonly double Log2Pi = Math.Log(2.0 * Math.PI);

    /// <summary>
    /// −ℓ and its gradient in (μ, ω, α, β). With e_t = x_t − μ, m = mean(e²) and e²_0 = h_0 = m:
    /// ∂h_t = (∂ω: 1, ∂α: e²_{t−1}, ∂β: h_{t−1}, ∂μ: −2α·e_{t−1}) + β·∂h_{t−1}, with ∂e²_0/∂μ = ∂h_0/∂μ = −2·mean(e),
    /// and ∂(−ℓ) = ½ Σ (1/h_t − e²_t/h²_t)·∂h_t − (e_t/h_t)·∂e_t-terms.
    /// </summary>
    internal static double NegativeLogLikelihood(double[] x, double[] p, double[] gradient)
    {
        double mu = p[0], omega = p[1], alpha = p[2], beta = p[3];
        Array.Clear(gradient);
        if (!(omega > 0) || !(alpha >= 0) || !(beta >= 0)) return double.PositiveInfinity;
        var n = x.Length;
        double m = 0, meanE = 0;
        for (var t = 0; t < n; t++)
        {
            var e = x[t] - mu;
            m += e * e;
            meanE += e;
        }
        m /= n;
        meanE /= n;
        var dm = -2.0 * meanE;

        double previousE2 = m, previousH = m;
        double dE2Mu = dm; // ∂e²_{t−1}/∂μ
        double dhMu = dm, dhOmega = 0, dhAlpha = 0, dhBeta = 0; // ∂h_{t−1}
        double sum = 0, gMu = 0, gOmega = 0, gAlpha = 0, gBeta = 0;
        for (var t = 0; t < n; t++)
        {
            var h = omega + alpha * previousE2 + beta * previousH;
            var nextMu = alpha * dE2Mu + beta * dhMu;
            var nextOmega = 1.0 + beta * dhOmega;
            var nextAlpha = previousE2 + beta * dhAlpha;
            var nextBeta = previousH + beta * dhBeta;
            dhMu = nextMu;
            dhOmega = nextOmega;
            dhAlpha = nextAlpha;
            dhBeta = nextBeta;

            var e = x[t] - mu;
            var e2 = e * e;
            sum += Math.Log(h) + e2 / h;
            var w = 1.0 / h - e2 / (h * h);
            gMu += w * dhMu - 2.0 * e / h;
            gOmega += w * dhOmega;
            gAlpha += w * dhAlpha;
            gBeta += w * dhBeta;

            previousE2 = e2;
            previousH = h;
            dE2Mu = -2.0 * e;
        }
        gradient[0] = 0.5 * gMu;
        gradient[1] = 0.5 * gOmega;
        gradient[2] = 0.5 * gAlpha;
        gradient[3] = 0.5 * gBeta;
        var value = 0.5 * (n * Log2Pi + sum);
        return double.IsFinite(value) ? value : double.PositiveInfinity;
    }

    private static double Logistic(double z) => 1.0 / (1.0 + Math.Exp(-z));

    private static double Logit(double p) => Math.Log(p / (1.0 - p));

    /// <summary>(μ, ω, α, β) → (μ, log ω, logit(α+β), logit(α/(α+β))).</summary>
    private static double[] ToUnconstrained(double[] p)
    {
        var persistence = p[2] + p[3];
        return [p[0], Math.Log(p[1]), Logit(persistence), Logit(p[2] / persistence)];
    }

    private static double[] ToNatural(double[] theta)
    {
        var persistence = Logistic(theta[2]);
        var share = Logistic(theta[3]);
        return [theta[0], Math.Exp(theta[1]), persistence * share, persistence * (1.0 - share)];
    }

    /// <summary>−ℓ and its gradient in the unconstrained coordinates (chain rule through <see cref="ToNatural"/>).</summary>
    private static double ObjectiveTheta(double[] y, double[] theta, double[] gradient, double[] work)
    {
        var p = ToNatural(theta);
        var value = NegativeLogLikelihood(y, p, work);
        if (!double.IsFinite(value))
        {
            Array.Clear(gradient);
            return double.PositiveInfinity;
        }
        var s = Logistic(theta[2]);
        var share = Logistic(theta[3]);
        gradient[0] = work[0];
        gradient[1] = work[1] * p[1];
        var ds = s * (1 - s);
        var dShare = share * (1 - share);
        gradient[2] = work[2] * ds * share + work[3] * ds * (1 - share);
        gradient[3] = (work[2] - work[3]) * s * dShare;
        return value;
    }

    /// <summary>BFGS with an Armijo backtracking line search; infeasible or non-finite trial points are rejected by the search.</summary>
    private static (double[] Theta, int Iterations, bool Converged) Bfgs(double[] y, double[] theta0, int maxIterations)
    {
        const int k = 4;
        var theta = (double[])theta0.Clone();
        var g = new double[k];
        var work = new double[k];
        var f = ObjectiveTheta(y, theta, g, work);
        if (!double.IsFinite(f))
        {
            throw new InputException("the GARCH(1,1) likelihood is not finite at the starting values", field: "return");
        }
        var hInv = Matrix<double>.Build.DenseIdentity(k);
        var trial = new double[k];
        var gTrial = new double[k];
        var direction = new double[k];
        var iterations = 0;
        for (; iterations < maxIterations; iterations++)
        {
            if (MaxAbs(g) <= 1e-9 * Math.Max(1.0, Math.Abs(f) / y.Length))
            {
                return (theta, iterations, true);
            }
            var slope = 0.0;
            for (var i = 0; i < k; i++)
            {
                var d = 0.0;
                for (var j = 0; j < k; j++) d -= hInv[i, j] * g[j];
                direction[i] = d;
                slope += d * g[i];
            }
            if (!(slope < 0))
            {
                // Not a descent direction: restart from steepest descent.
                hInv = Matrix<double>.Build.DenseIdentity(k);
                for (var i = 0; i < k; i++) direction[i] = -g[i];
                slope = -Dot(g, g);
            }

            var step = 1.0;
            double fTrial;
            var accepted = false;
            for (var attempt = 0; attempt < 60; attempt++)
            {
                for (var i = 0; i < k; i++) trial[i] = theta[i] + step * direction[i];
                fTrial = ObjectiveTheta(y, trial, gTrial, work);
                if (double.IsFinite(fTrial) && fTrial <= f + 1e-4 * step * slope)
                {
                    accepted = true;
                    // BFGS update of the inverse Hessian.
                    var sVec = Vector<double>.Build.Dense(k);
                    var yVec = Vector<double>.Build.Dense(k);
                    for (var i = 0; i < k; i++)
                    {
                        sVec[i] = trial[i] - theta[i];
                        yVec[i] = gTrial[i] - g[i];
                    }
                    var sy = sVec.DotProduct(yVec);
                    if (sy > 1e-12 * sVec.L2Norm() * yVec.L2Norm())
                    {
                        var rho = 1.0 / sy;
                        var identity = Matrix<double>.Build.DenseIdentity(k);
                        var left = identity - rho * sVec.OuterProduct(yVec);
                        var right = identity - rho * yVec.OuterProduct(sVec);
                        hInv = left * hInv * right + rho * sVec.OuterProduct(sVec);
                    }
                    var change = Math.Abs(f - fTrial);
                    Array.Copy(trial, theta, k);
                    Array.Copy(gTrial, g, k);
                    f = fTrial;
                    if (change <= 1e-15 * Math.Max(1.0, Math.Abs(f)) && MaxAbs(sVec) <= 1e-12)
                    {
                        return (theta, iterations + 1, true);
                    }
                    break;
                }
                step *= 0.5;
            }
            if (!accepted)
            {
                // No decrease along the direction: at machine precision of the optimum, or stuck.
                return (theta, iterations, MaxAbs(g) <= 1e-5 * Math.Max(1.0, Math.Abs(f) / y.Length));
            }
        }
        return (theta, iterations, false);
    }

    /// <summary>
    /// Newton steps on (μ, ω, α, β) with the Hessian from central differences of the analytic gradient; a step is
    /// halved until it stays stationary and does not raise −ℓ. Converged when the Newton decrement is negligible.
    /// </summary>
    private static (double[] P, int Iterations, bool Converged) NewtonPolish(double[] y, double[] p0)
    {
        const int k = 4;
        var p = (double[])p0.Clone();
        var g = new double[k];
        var f = NegativeLogLikelihood(y, p, g);
        for (var iteration = 1; iteration <= 20; iteration++)
        {
            var hessian = GradientJacobian(y, p);
            Vector<double> step;
            try
            {
                var cholesky = hessian.Cholesky();
                step = -cholesky.Solve(Vector<double>.Build.DenseOfArray(g));
            }
            catch (ArgumentException)
            {
                return (p, iteration - 1, false);
            }
            var decrement = -step.DotProduct(Vector<double>.Build.DenseOfArray(g));
            if (decrement <= 1e-20 * Math.Max(1.0, Math.Abs(f)))
            {
                return (p, iteration - 1, true);
            }
            var t = 1.0;
            var improved = false;
            var trial = new double[k];
            var gTrial = new double[k];
            for (var attempt = 0; attempt < 30; attempt++)
            {
                for (var i = 0; i < k; i++) trial[i] = p[i] + t * step[i];
                if (trial[2] + trial[3] < 1.0 && trial[2] >= 0 && trial[3] >= 0)
                {
                    var fTrial = NegativeLogLikelihood(y, trial, gTrial);
                    if (fTrial <= f + 1e-12 * Math.Abs(f))
                    {
                        Array.Copy(trial, p, k);
                        Array.Copy(gTrial, g, k);
                        f = fTrial;
                        improved = true;
                        break;
                    }
                }
                t *= 0.5;
            }
            if (!improved || decrement <= 1e-14)
            {
                // Either at machine precision already, or the last full step was this small.
                return (p, iteration, decrement <= 1e-8);
            }
        }
        return (p, 20, false);
    }

    /// <summary>Symmetrised central differences of the analytic gradient of −ℓ.</summary>
    private static Matrix<double> GradientJacobian(double[] y, double[] p)
    {
        const int k = 4;
        var hessian = Matrix<double>.Build.Dense(k, k);
        var plus = new double[k];
        var minus = new double[k];
        var shifted = new double[k];
        for (var i = 0; i < k; i++)
        {
            var h = 1e-6 * Math.Max(Math.Abs(p[i]), 1e-2);
            Array.Copy(p, shifted, k);
            shifted[i] = p[i] + h;
            NegativeLogLikelihood(y, shifted, plus);
            shifted[i] = p[i] - h;
            NegativeLogLikelihood(y, shifted, minus);
            for (var j = 0; j < k; j++) hessian[i, j] = (plus[j] - minus[j]) / (2 * h);
        }
        return 0.5 * (hessian + hessian.Transpose());
    }

    /// <summary>
    /// Standard errors in the standardised series' parameters from the Hessian of −ℓ computed as R's optimHess
    /// does: central differences (step <paramref name="step"/>) of a central-difference gradient, symmetrised.
    /// </summary>
    private static double[]? StandardErrors(double[] y, double[] p, double step)
    {
        const int k = 4;
        double F(double[] q) => NegativeLogLikelihood(y, q[0], q[1], q[2], q[3]);
        double[] Gradient(double[] q)
        {
            var gradient = new double[k];
            var shifted = (double[])q.Clone();
            for (var j = 0; j < k; j++)
            {
                shifted[j] = q[j] + step;
                var up = F(shifted);
                shifted[j] = q[j] - step;
                var down = F(shifted);
                shifted[j] = q[j];
                gradient[j] = (up - down) / (2 * step);
            }
            return gradient;
        }

        var hessian = Matrix<double>.Build.Dense(k, k);
        var point = (double[])p.Clone();
        for (var i = 0; i < k; i++)
        {
            point[i] = p[i] + step;
            var up = Gradient(point);
            point[i] = p[i] - step;
            var down = Gradient(point);
            point[i] = p[i];
            for (var j = 0; j < k; j++) hessian[i, j] = (up[j] - down[j]) / (2 * step);
        }
        hessian = 0.5 * (hessian + hessian.Transpose());
        if (!hessian.Enumerate().All(double.IsFinite)) return null;
        Matrix<double> covariance;
        try
        {
            covariance = hessian.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(k));
        }
        catch (ArgumentException)
        {
            return null;
        }
        var se = new double[k];
        for (var i = 0; i < k; i++)
        {
            var v = covariance[i, i];
            if (!(v > 0) || !double.IsFinite(v)) return null;
            se[i] = Math.Sqrt(v);
        }
        return se;
    }

    private static string? Boundary(double[] p)
    {
        // Non-stationarity first: it is the bound that makes the unconditional variance meaningless.
        if (p[2] + p[3] > 1.0 - BoundaryTolerance) return "alpha + beta -> 1 (integrated GARCH)";
        if (p[2] < BoundaryTolerance) return "alpha -> 0 (no ARCH effect)";
        if (p[3] < BoundaryTolerance) return "beta -> 0 (ARCH(1))";
        return null;
    }

    private static double MaxAbs(double[] v)
    {
        var max = 0.0;
        foreach (var x in v) max = Math.Max(max, Math.Abs(x));
        return max;
    }

    private static double MaxAbs(Vector<double> v) => v.AbsoluteMaximum();

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
