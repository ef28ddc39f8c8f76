using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.RootFinding;

namespace MarketMaking.Core.Calibration;

/// <summary>
/// Poisson maximum likelihood for λ(δ) = A·e^(−kδ) and λ(δ) = A·(δ+δ0)^(−k) on binned (δ, n, E) data, with
/// n_i ~ Poisson(λ(δ_i)·E_i) and ℓ = Σ n_i·log(λ_i·E_i) − λ_i·E_i − log(n_i!).
/// <para>
/// Both models are log-linear in a covariate x: x = δ (exponential) or x = log(δ+δ0) (power law), λ = A·e^(−k·x).
/// For fixed k the optimum in A is closed-form, Â(k) = Σn / Σ E·e^(−k·x), and the profile ℓ(k) is concave, so
/// its maximum is the root of ℓ'(k), found by Newton steps inside a bracket. For the power law, δ0 is then
/// found by Brent's method on the profile's derivative in log δ0 (the envelope theorem gives it from one pass).
/// </para>
/// </summary>
public static class PoissonIntensityMle
{
    private const double RelativeTolerance = 1e-14;
    private const int MaxIterations = 200;

    public static IntensityFit FitExponential(IReadOnlyList<ArrivalBin> bins)
    {
        var data = BinData.From(bins);
        var covariate = (double[])data.Delta.Clone();
        var profile = ProfileInK(data, covariate, initialK: null);
        return Summarise(data, IntensityModelKind.Exponential, Math.Exp(profile.LogA), profile.K, delta0: null, delta0Estimated: false, profile.Outcome);
    }

    /// <param name="fixedDelta0">δ0 held fixed (p = 2); null estimates it (p = 3).</param>
    public static IntensityFit FitPowerLaw(IReadOnlyList<ArrivalBin> bins, double? fixedDelta0 = null)
    {
        var data = BinData.From(bins);
        if (fixedDelta0 is double d0)
        {
            Guard.Positive(d0, "delta0");
            var x = LogShifted(data.Delta, d0);
            var profile = ProfileInK(data, x, initialK: null);
            return Summarise(data, IntensityModelKind.Power, Math.Exp(profile.LogA), profile.K, d0, delta0Estimated: false, profile.Outcome);
        }

        return FitPowerLawWithDelta0(data);
    }

    /// <summary>Exact log-likelihood of the exponential model at (A, k); used by the report and by tests.</summary>
    public static double LogLikelihoodExponential(IReadOnlyList<ArrivalBin> bins, double a, double k) =>
        LogLikelihood(bins, d => a * Math.Exp(-k * d));

    /// <summary>Exact log-likelihood of the power-law model at (A, k, δ0).</summary>
    public static double LogLikelihoodPower(IReadOnlyList<ArrivalBin> bins, double a, double k, double delta0) =>
        LogLikelihood(bins, d => a * Math.Pow(d + delta0, -k));

    private static double LogLikelihood(IReadOnlyList<ArrivalBin> bins, Func<double, double> intensity)
    {
        var sum = 0.0;
        foreach (var bin in bins)
        {
            var mu = intensity(bin.Delta) * bin.Exposure;
            sum += PoissonLogPmf(bin.Count, mu);
        }
        return sum;
    }

    /// <summary>log P(n | μ) with n possibly non-integer (log n! through the log-gamma function) and 0·log 0 = 0.</summary>
    internal static double PoissonLogPmf(double n, double mu) =>
        (n > 0 ? n * Math.Log(mu) : 0.0) - mu - SpecialFunctions.GammaLn(n + 1.0);

    private static IntensityFit FitPowerLawWithDelta0(BinData data)
    {
        // Scale of δ: bracket δ0 over many orders of magnitude around it.
        var scale = Math.Max(data.MaxDelta, 1e-12);
        var lowerLimit = Math.Log(scale * 1e-9);
        var upperLimit = Math.Log(scale * 1e6);
        var evaluations = 0;
        double? warmK = null;
        var lastLogA = 0.0;
        var x = new double[data.Count];
        // A = e^(log A) must stay a double: past this the power law has become an exponential in all but name.
        const double MaxLogA = 700;

        // ∂ℓ/∂δ0 at the profile optimum (envelope theorem): Σ (μ_i − n_i)·k/(δ_i+δ0), here per unit log δ0.
        double Slope(double logDelta0)
        {
            evaluations++;
            var delta0 = Math.Exp(logDelta0);
            LogShifted(data.Delta, delta0, x);
            var profile = ProfileInK(data, x, warmK);
            var (logA, k) = (profile.LogA, profile.K);
            if (!profile.Outcome.Converged)
            {
                return double.NaN;
            }
            warmK = k;
            lastLogA = logA;
            var slope = 0.0;
            for (var i = 0; i < data.Count; i++)
            {
                var mu = Math.Exp(logA - k * x[i]) * data.Exposure[i];
                slope += (mu - data.Count_[i]) / (data.Delta[i] + delta0);
            }
            return slope * k * delta0;
        }

        // Bracket the root by stepping outwards from the data's scale by factors of e^1.5.
        var t = Math.Log(Math.Max(data.MeanDelta, scale * 1e-3));
        var g = Slope(t);
        string? boundary = null;
        double lo = t, hi = t;
        if (double.IsNaN(g))
        {
            boundary = "k at a boundary for the starting delta0";
        }
        else if (g > 0)
        {
            // Likelihood still rising with δ0: step up.
            while (true)
            {
                var next = hi + 1.5;
                if (next > upperLimit || lastLogA > MaxLogA)
                {
                    boundary = "delta0 -> infinity (the power law tends to the exponential: the data prefer it)";
                    lo = Math.Min(hi, upperLimit);
                    hi = lo;
                    break;
                }
                var gn = Slope(next);
                if (double.IsNaN(gn)) { boundary = "k at a boundary while bracketing delta0"; lo = hi = next; break; }
                lo = hi;
                hi = next;
                if (gn <= 0) break;
            }
        }
        else
        {
            while (true)
            {
                var next = lo - 1.5;
                if (next < lowerLimit)
                {
                    boundary = "delta0 -> 0 (the lower bound of the search)";
                    lo = hi = lowerLimit;
                    break;
                }
                var gn = Slope(next);
                if (double.IsNaN(gn)) { boundary = "k at a boundary while bracketing delta0"; lo = hi = next; break; }
                hi = lo;
                lo = next;
                if (gn >= 0) break;
            }
        }

        double logDelta0;
        var converged = boundary is null;
        if (boundary is null)
        {
            converged = Brent.TryFindRoot(Slope, lo, hi, 1e-13, MaxIterations, out logDelta0);
        }
        else
        {
            logDelta0 = lo;
        }

        var delta0Hat = Math.Exp(logDelta0);
        LogShifted(data.Delta, delta0Hat, x);
        var final = ProfileInK(data, x, warmK);
        if (final.LogA > MaxLogA)
        {
            // Step back to the largest δ0 whose A is representable, and report the boundary there.
            converged = false;
            boundary ??= "delta0 -> infinity (the power law tends to the exponential: the data prefer it)";
            while (final.LogA > MaxLogA && logDelta0 > lowerLimit)
            {
                logDelta0 -= 0.25;
                delta0Hat = Math.Exp(logDelta0);
                LogShifted(data.Delta, delta0Hat, x);
                final = ProfileInK(data, x, final.K);
            }
        }
        var outcome = new OptimizerOutcome(
            converged && final.Outcome.Converged,
            evaluations + final.Outcome.Iterations,
            "profile likelihood: Newton in k inside a bracket, Brent in log delta0",
            boundary ?? final.Outcome.Boundary);
        return Summarise(data, IntensityModelKind.Power, Math.Exp(final.LogA), final.K, delta0Hat, delta0Estimated: true, outcome);
    }

    private static double[] LogShifted(double[] delta, double delta0)
    {
        var x = new double[delta.Length];
        LogShifted(delta, delta0, x);
        return x;
    }

    private static void LogShifted(double[] delta, double delta0, double[] x)
    {
        for (var i = 0; i < delta.Length; i++)
        {
            x[i] = Math.Log(delta[i] + delta0);
        }
    }

    private readonly record struct ProfileResult(double LogA, double K, OptimizerOutcome Outcome);

    /// <summary>
    /// Maximises the profile ℓ(k) for λ = A·e^(−k·x): the root of ℓ'(k) = N·(m(k) − x̄), where m(k) is the mean of x
    /// weighted by E·e^(−k·x) and x̄ the count-weighted mean. m is decreasing (m' = −Var), so the root is unique.
    /// </summary>
    private static ProfileResult ProfileInK(BinData data, double[] x, double? initialK)
    {
        // Shift by the smallest covariate with exposure so every e^(−k·x') ≤ 1: no overflow for any k ≥ 0.
        var xMin = double.PositiveInfinity;
        var xMax = double.NegativeInfinity;
        var nx = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            if (data.Exposure[i] > 0)
            {
                xMin = Math.Min(xMin, x[i]);
                xMax = Math.Max(xMax, x[i]);
            }
            nx += data.Count_[i] * x[i];
        }
        var target = nx / data.TotalCount - xMin;
        var range = xMax - xMin;

        // ℓ'(k)/N = m(k) − target and its derivative −Var_w(x'), in one pass.
        (double Gradient, double Curvature) Derivatives(double k)
        {
            double s0 = 0, s1 = 0, s2 = 0;
            var e = data.Exposure;
            for (var i = 0; i < x.Length; i++)
            {
                var xs = x[i] - xMin;
                var w = e[i] * Math.Exp(-k * xs);
                s0 += w;
                s1 += w * xs;
                s2 += w * xs * xs;
            }
            var mean = s1 / s0;
            var variance = Math.Max(s2 / s0 - mean * mean, 0.0);
            return (mean - target, -variance);
        }

        int iterations = 0;
        var (g0, _) = Derivatives(0.0);
        iterations++;
        if (g0 <= 0)
        {
            // Counts do not fall with depth: the likelihood is maximised at k → 0.
            return Result(0.0, false, "k -> 0 (counts do not decrease with depth)");
        }
        if (target <= range * 1e-15)
        {
            return Result(double.PositiveInfinity, false, "k -> infinity (all arrivals at the smallest depth)");
        }

        // Bracket: ℓ' > 0 at lo, < 0 at hi.
        var lo = 0.0;
        var hi = initialK is double guess && guess > 0 ? guess : 1.0 / Math.Max(range, 1e-300);
        while (true)
        {
            var (g, _) = Derivatives(hi);
            iterations++;
            if (g < 0) break;
            lo = hi;
            hi *= 4;
            if (hi > 1e300 || iterations > MaxIterations)
            {
                return Result(double.PositiveInfinity, false, "k -> infinity");
            }
        }

        var k = initialK is double start && start > lo && start < hi ? start : 0.5 * (lo + hi);
        var converged = false;
        while (iterations < MaxIterations)
        {
            var (g, c) = Derivatives(k);
            iterations++;
            if (g > 0) lo = k; else hi = k;
            var next = c < 0 ? k - g / c : double.NaN;
            if (!(next > lo && next < hi))
            {
                next = 0.5 * (lo + hi);
            }
            var step = Math.Abs(next - k);
            k = next;
            if (step <= RelativeTolerance * Math.Max(k, 1e-300) || hi - lo <= RelativeTolerance * k)
            {
                converged = true;
                break;
            }
        }
        return Result(k, converged, converged ? null : "iteration limit");

        ProfileResult Result(double kHat, bool ok, string? boundary)
        {
            // log Â(k) = log N − log Σ E·e^(−k·x), computed in the shifted covariate so nothing overflows.
            double logA;
            if (double.IsPositiveInfinity(kHat))
            {
                logA = double.PositiveInfinity;
            }
            else
            {
                var s0 = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    s0 += data.Exposure[i] * Math.Exp(-kHat * (x[i] - xMin));
                }
                logA = Math.Log(data.TotalCount / s0) + kHat * xMin;
            }
            return new ProfileResult(logA, kHat, new OptimizerOutcome(ok, iterations, "profile likelihood: Newton in k inside a bracket", boundary));
        }
    }

    private static IntensityFit Summarise(BinData data, IntensityModelKind model, double a, double k, double? delta0, bool delta0Estimated, OptimizerOutcome outcome)
    {
        var p = model == IntensityModelKind.Exponential || !delta0Estimated ? 2 : 3;
        var warnings = new List<string>();
        var finite = double.IsFinite(a) && double.IsFinite(k);
        var n = data.Count;

        var mu = new double[n];
        var logLik = 0.0;
        for (var i = 0; i < n; i++)
        {
            var lambda = finite ? Intensity(model, a, k, delta0, data.Delta[i]) : double.NaN;
            mu[i] = lambda * data.Exposure[i];
            logLik += PoissonLogPmf(data.Count_[i], mu[i]);
        }

        var se = finite ? StandardErrors(data, model, a, k, delta0, delta0Estimated, mu) : null;
        if (se is null)
        {
            warnings.Add("standard errors are not available: the observed information matrix is singular at this estimate");
        }

        var bins = new List<BinFit>(n);
        double deviance = 0, pearson = 0;
        for (var i = 0; i < n; i++)
        {
            var count = data.Count_[i];
            var exposure = data.Exposure[i];
            var fittedIntensity = finite ? Intensity(model, a, k, delta0, data.Delta[i]) : double.NaN;
            var expected = mu[i];
            var residual = expected > 0 ? (count - expected) / Math.Sqrt(expected) : 0.0;
            bins.Add(new BinFit(data.Delta[i], count, exposure, exposure > 0 ? count / exposure : double.NaN, fittedIntensity, expected, residual));
            if (exposure > 0)
            {
                deviance += 2 * ((count > 0 ? count * Math.Log(count / expected) : 0.0) - (count - expected));
                pearson += expected > 0 ? (count - expected) * (count - expected) / expected : 0.0;
            }
        }

        var df = data.PositiveExposureBins - p;
        var goodness = new GoodnessOfFit(deviance, pearson, df,
            df > 0 ? SpecialFunctions.GammaUpperRegularized(df / 2.0, deviance / 2.0) : double.NaN,
            df > 0 ? SpecialFunctions.GammaUpperRegularized(df / 2.0, pearson / 2.0) : double.NaN);
        if (df <= 0)
        {
            warnings.Add($"no degrees of freedom left for goodness of fit ({data.PositiveExposureBins} bins, {p} parameters)");
        }
        if (outcome.Boundary is not null)
        {
            warnings.Add($"the optimum is on a boundary: {outcome.Boundary}; this is not a clean fit");
        }
        else if (!outcome.Converged)
        {
            warnings.Add("the optimiser did not converge");
        }
        if (df > 0 && goodness.DevianceP < 0.01)
        {
            warnings.Add($"the deviance rejects the model at 1% (p = {goodness.DevianceP:0.####}): the shape of the intensity is wrong or the counts are overdispersed");
        }

        return new IntensityFit
        {
            Model = model,
            A = new ParameterEstimate("A", a, se?[0] ?? double.NaN),
            K = new ParameterEstimate("k", k, se?[1] ?? double.NaN),
            Delta0 = delta0 is double d ? new ParameterEstimate("delta0", d, delta0Estimated ? se?[2] ?? double.NaN : 0.0) : null,
            Delta0Estimated = delta0Estimated,
            LogLikelihood = logLik,
            ParameterCount = p,
            BinCount = n,
            TotalCount = data.TotalCount,
            Goodness = goodness,
            Bins = bins,
            Outcome = outcome,
            Warnings = warnings,
        };
    }

    private static double Intensity(IntensityModelKind model, double a, double k, double? delta0, double delta) =>
        model == IntensityModelKind.Exponential ? a * Math.Exp(-k * delta) : a * Math.Pow(delta + delta0!.Value, -k);

    /// <summary>
    /// Standard errors from the observed information −H, where for log μ_i = log A − k·x_i(δ0) + log E_i
    /// H = Σ (n_i − μ_i)·∇²log μ_i − μ_i·∇log μ_i·∇log μ_iᵀ.
    /// </summary>
    private static double[]? StandardErrors(BinData data, IntensityModelKind model, double a, double k, double? delta0, bool delta0Estimated, double[] mu)
    {
        var p = model == IntensityModelKind.Power && delta0Estimated ? 3 : 2;
        var h = Matrix<double>.Build.Dense(p, p);
        var grad = new double[p];
        for (var i = 0; i < data.Count; i++)
        {
            if (data.Exposure[i] <= 0) continue;
            var n = data.Count_[i];
            var m = mu[i];
            grad[0] = 1.0 / a;
            double u = 0;
            if (model == IntensityModelKind.Exponential)
            {
                grad[1] = -data.Delta[i];
            }
            else
            {
                u = data.Delta[i] + delta0!.Value;
                grad[1] = -Math.Log(u);
                if (p == 3) grad[2] = -k / u;
            }
            for (var r = 0; r < p; r++)
            {
                for (var c = 0; c < p; c++)
                {
                    h[r, c] -= m * grad[r] * grad[c];
                }
            }
            var residual = n - m;
            h[0, 0] -= residual / (a * a);
            if (p == 3)
            {
                h[1, 2] -= residual / u;
                h[2, 1] -= residual / u;
                h[2, 2] += residual * k / (u * u);
            }
        }

        var information = -h;
        if (information.Determinant() <= 0) return null;
        var covariance = information.Inverse();
        var se = new double[p];
        for (var r = 0; r < p; r++)
        {
            var v = covariance[r, r];
            if (!(v > 0) || !double.IsFinite(v)) return null;
            se[r] = Math.Sqrt(v);
        }
        return se;
    }

    /// <summary>Bins as columns, validated once for both models.</summary>
    private sealed class BinData
    {
        public required double[] Delta { get; init; }
        public required double[] Count_ { get; init; }
        public required double[] Exposure { get; init; }
        public required double TotalCount { get; init; }
        public required double MaxDelta { get; init; }
        public required double MeanDelta { get; init; }
        public required int PositiveExposureBins { get; init; }
        public int Count => Delta.Length;

        public static BinData From(IReadOnlyList<ArrivalBin> bins)
        {
            if (bins.Count == 0)
            {
                throw new InputException("no bins to fit", field: "delta");
            }
            var n = bins.Count;
            var delta = new double[n];
            var count = new double[n];
            var exposure = new double[n];
            double total = 0, maxDelta = 0, sumDelta = 0;
            var positive = 0;
            var distinct = new HashSet<double>();
            for (var i = 0; i < n; i++)
            {
                var b = bins[i];
                delta[i] = b.Delta;
                count[i] = b.Count;
                exposure[i] = b.Exposure;
                total += b.Count;
                maxDelta = Math.Max(maxDelta, b.Delta);
                sumDelta += b.Delta;
                if (b.Exposure > 0)
                {
                    positive++;
                    if (distinct.Count < 3) distinct.Add(b.Delta);
                }
            }
            if (total <= 0)
            {
                throw new InputException("all counts are zero: nothing to fit", field: "count");
            }
            if (distinct.Count < 3)
            {
                throw new InputException($"fewer than three distinct deltas with exposure ({distinct.Count}): the intensity's decay cannot be identified", field: "delta");
            }
            return new BinData
            {
                Delta = delta,
                Count_ = count,
                Exposure = exposure,
                TotalCount = total,
                MaxDelta = maxDelta,
                MeanDelta = sumDelta / n,
                PositiveExposureBins = positive,
            };
        }
    }
}
