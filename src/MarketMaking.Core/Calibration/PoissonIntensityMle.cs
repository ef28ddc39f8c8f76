using System.Globalization;
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
/// <para>
/// Large inputs (more than <see cref="PoolThreshold"/> bins) are first solved on the bins pooled into that many groups,
/// which gives a starting point within ~1e-4 of the optimum; the full data then need only a few Newton passes
/// (for the power law a two-dimensional Newton in (k, log δ0), falling back to the method above if it misbehaves).
/// Every pass over the bins is a <see cref="ChunkedSum"/>: parallel, yet bit-identical for any thread count.
/// </para>
/// </summary>
public static class PoissonIntensityMle
{
    private const double RelativeTolerance = 1e-14;
    private const int MaxIterations = 200;
    private const int PoolThreshold = 1024;
    // A = e^(log A) must stay a double: past this the power law has become an exponential in all but name.
    private const double MaxLogA = 700;
    private const string Delta0Infinity = "delta0 -> infinity (the power law tends to the exponential: the data prefer it)";
    private const string RobustMethod = "profile likelihood: Newton in k inside a bracket, Brent in log delta0";
    private static readonly ParallelOptions AllCores = new();

    public static IntensityFit FitExponential(IReadOnlyList<ArrivalBin> bins) => FitExponential(bins, AllCores);

    /// <param name="parallel">How many threads the passes over the bins may use; the result does not depend on it.</param>
    internal static IntensityFit FitExponential(IReadOnlyList<ArrivalBin> bins, ParallelOptions parallel)
    {
        var data = BinData.From(bins, parallel);
        var profile = ProfileInK(data, data.Delta, InitialK(data, data.Delta));
        return Summarise(data, IntensityModelKind.Exponential, Math.Exp(profile.LogA), profile.K, delta0: null, delta0Estimated: false, profile.Outcome);
    }

    /// <param name="fixedDelta0">δ0 held fixed (p = 2); null estimates it (p = 3).</param>
    public static IntensityFit FitPowerLaw(IReadOnlyList<ArrivalBin> bins, double? fixedDelta0 = null) => FitPowerLaw(bins, fixedDelta0, AllCores);

    /// <param name="robustOnly">Skip pooling and the two-dimensional Newton (tests compare both routes).</param>
    internal static IntensityFit FitPowerLaw(IReadOnlyList<ArrivalBin> bins, double? fixedDelta0, ParallelOptions parallel, bool robustOnly = false)
    {
        var data = BinData.From(bins, parallel);
        if (fixedDelta0 is double d0)
        {
            Guard.Positive(d0, "delta0");
            var x = LogShifted(data, d0);
            var profile = ProfileInK(data, x, InitialK(data, x));
            return Summarise(data, IntensityModelKind.Power, Math.Exp(profile.LogA), profile.K, d0, delta0Estimated: false, profile.Outcome);
        }

        var solution = robustOnly || data.Count <= PoolThreshold ? SolveRobust(data) : SolveLarge(data);
        return Summarise(data, IntensityModelKind.Power, Math.Exp(solution.LogA), solution.K, solution.Delta0, delta0Estimated: true, solution.Outcome);
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
        (n > 0 ? n * Math.Log(mu) : 0.0) - mu - LogFactorial(n);

    // Counts are mostly small integers: a table of log n! saves a log-gamma evaluation per bin.
    private static readonly double[] LogFactorialTable = [.. Enumerable.Range(0, 1024).Select(i => SpecialFunctions.GammaLn(i + 1.0))];

    private static double LogFactorial(double n) =>
        n < LogFactorialTable.Length && n == Math.Floor(n) ? LogFactorialTable[(int)n] : SpecialFunctions.GammaLn(n + 1.0);

    private readonly record struct PowerSolution(double LogA, double K, double Delta0, OptimizerOutcome Outcome);

    /// <summary>Many bins: solve the pooled bins robustly, then polish on all bins (or confirm the δ0 → ∞ boundary).</summary>
    private static PowerSolution SolveLarge(BinData data)
    {
        var coarse = SolveRobust(Pool(data, data.Delta));
        if (coarse.Outcome.Converged && coarse.Outcome.Boundary is null)
        {
            if (NewtonInKAndDelta0(data, coarse) is { } polished) return polished;
        }
        else if (coarse.Outcome.Boundary == Delta0Infinity)
        {
            if (ConfirmDelta0Infinity(data, coarse) is { } boundary) return boundary;
        }
        return SolveRobust(data);
    }

    private static PowerSolution SolveRobust(BinData data)
    {
        // Scale of δ: bracket δ0 over many orders of magnitude around it.
        var scale = Math.Max(data.MaxDelta, 1e-12);
        var lowerLimit = Math.Log(scale * 1e-9);
        var upperLimit = Math.Log(scale * 1e6);
        var evaluations = 0;
        double? warmK = null;
        var lastLogA = 0.0;
        var x = new double[data.Count];

        // ∂ℓ/∂δ0 at the profile optimum (envelope theorem), here per unit log δ0.
        double Slope(double logDelta0)
        {
            evaluations++;
            var delta0 = Math.Exp(logDelta0);
            LogShifted(data, delta0, x);
            var profile = ProfileInK(data, x, warmK);
            if (!profile.Outcome.Converged)
            {
                return double.NaN;
            }
            warmK = profile.K;
            lastLogA = profile.LogA;
            return EnvelopeSlope(data, x, profile.LogA, profile.K, delta0);
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
                    boundary = Delta0Infinity;
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

        var (final, delta0Hat) = StepBackWhileAOverflows(data, x, logDelta0, warmK, lowerLimit);
        if (final.StepsBack > 0)
        {
            converged = false;
            boundary ??= Delta0Infinity;
        }
        var outcome = new OptimizerOutcome(
            converged && final.Outcome.Converged,
            evaluations + final.Outcome.Iterations,
            RobustMethod,
            boundary ?? final.Outcome.Boundary);
        return new PowerSolution(final.LogA, final.K, delta0Hat, outcome);
    }

    /// <summary>
    /// The profile at log δ0; if A overflows there, steps back to the largest δ0 whose A is representable
    /// (the caller reports the δ0 → ∞ boundary). x receives log(δ+δ0) at the returned δ0.
    /// </summary>
    private static ((double LogA, double K, OptimizerOutcome Outcome, int StepsBack) Profile, double Delta0) StepBackWhileAOverflows(
        BinData data, double[] x, double logDelta0, double? warmK, double lowerLimit)
    {
        var delta0 = Math.Exp(logDelta0);
        LogShifted(data, delta0, x);
        var final = ProfileInK(data, x, warmK);
        var steps = 0;
        if (final.LogA > MaxLogA)
        {
            steps = 1;
            while (final.LogA > MaxLogA && logDelta0 > lowerLimit)
            {
                logDelta0 -= 0.25;
                delta0 = Math.Exp(logDelta0);
                LogShifted(data, delta0, x);
                final = ProfileInK(data, x, final.K);
            }
        }
        return ((final.LogA, final.K, final.Outcome, steps), delta0);
    }

    /// <summary>
    /// The pooled bins ran to δ0 → ∞: check it on all bins at the same δ0 (stepping back while A overflows, as the
    /// robust method does) and confirm the likelihood still rises with δ0 there. Null when it does not: the full data
    /// may have an interior optimum the pooled bins missed.
    /// </summary>
    private static PowerSolution? ConfirmDelta0Infinity(BinData data, PowerSolution coarse)
    {
        var lowerLimit = Math.Log(Math.Max(data.MaxDelta, 1e-12) * 1e-9);
        var x = new double[data.Count];
        var (final, delta0) = StepBackWhileAOverflows(data, x, Math.Log(coarse.Delta0), coarse.K, lowerLimit);
        if (!final.Outcome.Converged || !(EnvelopeSlope(data, x, final.LogA, final.K, delta0) > 0))
        {
            return null;
        }
        var outcome = new OptimizerOutcome(false, coarse.Outcome.Iterations + final.Outcome.Iterations,
            RobustMethod + " (on the bins pooled into groups, confirmed on all bins)", Delta0Infinity);
        return new PowerSolution(final.LogA, final.K, delta0, outcome);
    }

    /// <summary>∂ℓ/∂log δ0 at (Â, k): δ0·k·Σ (μ_i − n_i)/(δ_i+δ0), with x = log(δ+δ0).</summary>
    private static double EnvelopeSlope(BinData data, double[] x, double logA, double k, double delta0)
    {
        var slope = ChunkedSum.Run(data.Count, data.Parallel, (from, to) =>
        {
            var s = 0.0;
            for (var i = from; i < to; i++)
            {
                var mu = Math.Exp(logA - k * x[i]) * data.Exposure[i];
                s += (mu - data.Count_[i]) / (data.Delta[i] + delta0);
            }
            return s;
        }, (a, b) => a + b);
        return slope * k * delta0;
    }

    /// <summary>Sums over exposed bins at (k, δ0) that give the profile ℓ_p(k, δ0), its gradient and Hessian.</summary>
    /// <remarks>u = δ+δ0, L = log u − c with c = log(min δ + δ0) so that w = E·e^(−k·L) ≤ E never overflows.</remarks>
    private readonly record struct PowerSums(double S, double SL, double SLL, double SU, double SUU, double SLU, double NL, double NU, double NUU)
    {
        public static PowerSums Add(PowerSums a, PowerSums b) => new(a.S + b.S, a.SL + b.SL, a.SLL + b.SLL, a.SU + b.SU, a.SUU + b.SUU,
            a.SLU + b.SLU, a.NL + b.NL, a.NU + b.NU, a.NUU + b.NUU);
    }

    private static PowerSums PowerPass(BinData data, double k, double delta0, double shift) =>
        ChunkedSum.Run(data.Count, data.Parallel, (from, to) =>
        {
            double s = 0, sl = 0, sll = 0, su = 0, suu = 0, slu = 0, nl = 0, nu = 0, nuu = 0;
            var (delta, count, exposure) = (data.Delta, data.Count_, data.Exposure);
            for (var i = from; i < to; i++)
            {
                var e = exposure[i];
                if (e <= 0) continue; // no exposure, no count (validated): nothing to add
                var u = delta[i] + delta0;
                var inv = 1.0 / u;
                var l = Math.Log(u) - shift;
                var w = e * Math.Exp(-k * l);
                var n = count[i];
                s += w;
                sl += w * l;
                sll += w * l * l;
                su += w * inv;
                suu += w * inv * inv;
                slu += w * l * inv;
                nl += n * l;
                nu += n * inv;
                nuu += n * inv * inv;
            }
            return new PowerSums(s, sl, sll, su, suu, slu, nl, nu, nuu);
        }, PowerSums.Add);

    /// <summary>
    /// Safeguarded Newton on the profile ℓ_p(k, t) = −N·log Σ E·u^(−k) − k·Σ n·log u, t = log δ0 (A profiled out),
    /// from the pooled bins' optimum. Each step costs one pass; a step that lowers ℓ_p is halved. Null (the caller
    /// falls back to the robust method) when the Hessian is not negative definite, A overflows, or it does not settle.
    /// </summary>
    private static PowerSolution? NewtonInKAndDelta0(BinData data, PowerSolution start)
    {
        var total = data.TotalCount;
        var k = start.K;
        var t = Math.Log(start.Delta0);
        var shift = Math.Log(data.MinExposedDelta + Math.Exp(t));
        var sums = PowerPass(data, k, Math.Exp(t), shift);
        var passes = 1;
        var f = -total * Math.Log(sums.S) - k * sums.NL;
        var previousStep = double.PositiveInfinity;

        while (passes < 50)
        {
            var delta0 = Math.Exp(t);
            var (r1, r2, q1, q2, p) = (sums.SL / sums.S, sums.SLL / sums.S, sums.SU / sums.S, sums.SUU / sums.S, sums.SLU / sums.S);
            // Derivatives in (k, δ0) as covariances under the weights w/S (so the shift c cancels), then in t = log δ0.
            var fk = total * r1 - sums.NL;
            var fd = k * (total * q1 - sums.NU);
            var fkk = -total * (r2 - r1 * r1);
            var fkd = -total * (k * (p - r1 * q1) - q1) - sums.NU;
            var fdd = -total * (k * (k + 1) * q2 - k * k * q1 * q1) + k * sums.NUU;
            var gt = delta0 * fd;
            var htt = delta0 * delta0 * fdd + delta0 * fd;
            var hkt = delta0 * fkd;
            var det = fkk * htt - hkt * hkt;
            if (!(fkk < 0 && det > 0) || !double.IsFinite(det))
            {
                return null;
            }
            var stepK = -(htt * fk - hkt * gt) / det;
            var stepT = -(fkk * gt - hkt * fk) / det;
            var size = Math.Max(Math.Abs(stepK) / k, Math.Abs(stepT));

            // Settled: the step is at rounding level, or has stopped shrinking once tiny (the gradient's own noise).
            if (size <= 1e-13 || (size <= 1e-9 && size > 0.25 * previousStep))
            {
                var logA = Math.Log(total / sums.S) + k * shift;
                if (!(logA <= MaxLogA)) return null;
                var outcome = new OptimizerOutcome(true, start.Outcome.Iterations + passes,
                    "profile likelihood: Brent in log delta0 on the bins pooled into groups, then Newton in (k, log delta0) on all bins", null);
                return new PowerSolution(logA, k, delta0, outcome);
            }
            previousStep = size;

            for (var h = 1.0; ; h *= 0.5)
            {
                if (h < 1e-3 || passes >= 50) return null;
                var kn = k + h * stepK;
                if (!(kn > 0)) continue;
                var tn = t + h * stepT;
                var shiftN = Math.Log(data.MinExposedDelta + Math.Exp(tn));
                var trial = PowerPass(data, kn, Math.Exp(tn), shiftN);
                passes++;
                var fn = -total * Math.Log(trial.S) - kn * trial.NL;
                // Near the optimum ℓ_p moves by less than its rounding, so allow that much.
                if (fn >= f - 1e-12 * Math.Abs(f))
                {
                    (k, t, shift, sums, f) = (kn, tn, shiftN, trial, fn);
                    break;
                }
            }
        }
        return null;
    }

    private static double[] LogShifted(BinData data, double delta0)
    {
        var x = new double[data.Count];
        LogShifted(data, delta0, x);
        return x;
    }

    private static void LogShifted(BinData data, double delta0, double[] x)
    {
        var delta = data.Delta;
        ChunkedSum.ForEach(delta.Length, data.Parallel, (from, to) =>
        {
            for (var i = from; i < to; i++)
            {
                x[i] = Math.Log(delta[i] + delta0);
            }
        });
    }

    /// <summary>
    /// A starting k for many bins: the optimum on the bins pooled into <see cref="PoolThreshold"/> groups of equal
    /// width in x. Null for few bins (they are solved directly).
    /// </summary>
    private static double? InitialK(BinData data, double[] x)
    {
        if (data.Count <= PoolThreshold) return null;
        var pooled = Pool(data, x);
        var profile = ProfileInK(pooled, pooled.Delta, null);
        return profile.Outcome.Converged ? profile.K : null;
    }

    /// <summary>
    /// Exposed bins pooled into groups of equal width in x: summed counts and exposures at the exposure-weighted
    /// mean x. The pooled likelihood's optimum differs from the full one by O((k·width)²).
    /// </summary>
    private static BinData Pool(BinData data, double[] x)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (var i = 0; i < x.Length; i++)
        {
            if (data.Exposure[i] > 0)
            {
                lo = Math.Min(lo, x[i]);
                hi = Math.Max(hi, x[i]);
            }
        }
        var groups = PoolThreshold;
        var scale = hi > lo ? groups / (hi - lo) : 0.0;
        var e = new double[groups];
        var ex = new double[groups];
        var n = new double[groups];
        for (var i = 0; i < x.Length; i++)
        {
            var exposure = data.Exposure[i];
            if (exposure <= 0) continue;
            var g = Math.Min((int)((x[i] - lo) * scale), groups - 1);
            e[g] += exposure;
            ex[g] += exposure * x[i];
            n[g] += data.Count_[i];
        }
        var used = Enumerable.Range(0, groups).Where(g => e[g] > 0).ToArray();
        return BinData.FromColumns([.. used.Select(g => ex[g] / e[g])], [.. used.Select(g => n[g])], [.. used.Select(g => e[g])], data.Parallel);
    }

    private readonly record struct ProfileResult(double LogA, double K, OptimizerOutcome Outcome);

    /// <summary>
    /// Maximises the profile ℓ(k) for λ = A·e^(−k·x): the root of ℓ'(k) = N·(m(k) − x̄), where m(k) is the mean of x
    /// weighted by E·e^(−k·x) and x̄ the count-weighted mean. m is decreasing (m' = −Var), so the root is unique.
    /// </summary>
    private static ProfileResult ProfileInK(BinData data, double[] x, double? initialK)
    {
        var exposure = data.Exposure;
        var count = data.Count_;
        // Shift by the smallest covariate with exposure so every e^(−k·x') ≤ 1: no overflow for any k ≥ 0.
        var (xMin, xMax, nx) = ChunkedSum.Run(x.Length, data.Parallel, (from, to) =>
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
            for (var i = from; i < to; i++)
            {
                if (exposure[i] > 0)
                {
                    min = Math.Min(min, x[i]);
                    max = Math.Max(max, x[i]);
                }
                sum += count[i] * x[i];
            }
            return (min, max, sum);
        }, (a, b) => (Math.Min(a.min, b.min), Math.Max(a.max, b.max), a.sum + b.sum));
        var target = nx / data.TotalCount - xMin;
        var range = xMax - xMin;

        // ℓ'(k)/N = m(k) − target and its derivative −Var_w(x'), in one pass; also Σw for Â(k).
        (double Gradient, double Curvature, double S0) Derivatives(double k)
        {
            var (s0, s1, s2) = ChunkedSum.Run(x.Length, data.Parallel, (from, to) =>
            {
                double a0 = 0, a1 = 0, a2 = 0;
                for (var i = from; i < to; i++)
                {
                    var xs = x[i] - xMin;
                    var w = k == 0 ? exposure[i] : exposure[i] * Math.Exp(-k * xs);
                    a0 += w;
                    a1 += w * xs;
                    a2 += w * xs * xs;
                }
                return (a0, a1, a2);
            }, (a, b) => (a.a0 + b.a0, a.a1 + b.a1, a.a2 + b.a2));
            var mean = s1 / s0;
            var variance = Math.Max(s2 / s0 - mean * mean, 0.0);
            return (mean - target, -variance, s0);
        }

        var iterations = 0;
        var (g0, _, sumExposure) = Derivatives(0.0);
        iterations++;
        if (g0 <= 0)
        {
            // Counts do not fall with depth: the likelihood is maximised at k → 0.
            return Result(0.0, sumExposure, false, "k -> 0 (counts do not decrease with depth)");
        }
        if (target <= range * 1e-15)
        {
            return Result(double.PositiveInfinity, double.NaN, false, "k -> infinity (all arrivals at the smallest depth)");
        }

        // Newton from the start, kept inside the bracket (lo, hi) of points where ℓ' > 0 and < 0; until a point with
        // ℓ' < 0 is seen, a step that leaves the bracket quadruples k instead, and inside it bisects.
        var lo = 0.0;
        var hi = double.PositiveInfinity;
        var k = initialK is double guess && guess > 0 ? guess : 1.0 / Math.Max(range, 1e-300);
        var s0AtK = double.NaN;
        var converged = false;
        while (iterations < MaxIterations)
        {
            var (g, c, s0) = Derivatives(k);
            iterations++;
            s0AtK = s0;
            if (g > 0) lo = k; else hi = k;
            var next = c < 0 ? k - g / c : double.NaN;
            if (!(next > lo && next < hi))
            {
                next = double.IsPositiveInfinity(hi) ? 4 * k : 0.5 * (lo + hi);
            }
            if (next > 1e300)
            {
                return Result(double.PositiveInfinity, double.NaN, false, "k -> infinity");
            }
            // The step left is at rounding level: k (whose Σw is at hand) is the optimum.
            if (Math.Abs(next - k) <= RelativeTolerance * Math.Max(k, 1e-300) || hi - lo <= RelativeTolerance * k)
            {
                converged = true;
                break;
            }
            k = next;
        }
        return Result(k, s0AtK, converged, converged ? null : "iteration limit");

        ProfileResult Result(double kHat, double s0, bool ok, string? boundary)
        {
            // log Â(k) = log N − log Σ E·e^(−k·x), computed in the shifted covariate so nothing overflows.
            var logA = double.IsPositiveInfinity(kHat) ? double.PositiveInfinity : Math.Log(data.TotalCount / s0) + kHat * xMin;
            return new ProfileResult(logA, kHat, new OptimizerOutcome(ok, iterations, "profile likelihood: Newton in k inside a bracket", boundary));
        }
    }

    /// <summary>Per-bin sums at the estimate: log-likelihood, goodness of fit, and the observed information's terms.</summary>
    /// <remarks>With log μ = log A − k·x(δ0) + log E and r = n − μ: Mu.. = Σμ·(x^a/u^b) and R.. = Σr/u^b over exposed bins.</remarks>
    private readonly record struct FitSums(double LogLik, double Deviance, double Pearson, double Mu, double MuX, double MuXX, double R,
        double MuU, double MuXU, double MuUU, double RU, double RUU)
    {
        public static FitSums Add(FitSums a, FitSums b) => new(a.LogLik + b.LogLik, a.Deviance + b.Deviance, a.Pearson + b.Pearson,
            a.Mu + b.Mu, a.MuX + b.MuX, a.MuXX + b.MuXX, a.R + b.R, a.MuU + b.MuU, a.MuXU + b.MuXU, a.MuUU + b.MuUU, a.RU + b.RU, a.RUU + b.RUU);
    }

    private static FitSums SummaryPass(BinData data, IntensityModelKind model, double a, double k, double? delta0, bool finite) =>
        ChunkedSum.Run(data.Count, data.Parallel, (from, to) =>
        {
            double ll = 0, dev = 0, pearson = 0, mu0 = 0, mux = 0, muxx = 0, r0 = 0, muu = 0, muxu = 0, muuu = 0, ru = 0, ruu = 0;
            for (var i = from; i < to; i++)
            {
                var n = data.Count_[i];
                var exposure = data.Exposure[i];
                var mu = (finite ? Intensity(model, a, k, delta0, data.Delta[i]) : double.NaN) * exposure;
                ll += (n > 0 ? n * Math.Log(mu) : 0.0) - mu;
                if (exposure <= 0) continue;
                dev += 2 * ((n > 0 ? n * Math.Log(n / mu) : 0.0) - (n - mu));
                pearson += mu > 0 ? (n - mu) * (n - mu) / mu : 0.0;
                var r = n - mu;
                if (model == IntensityModelKind.Exponential)
                {
                    var x = data.Delta[i];
                    (mu0, mux, muxx, r0) = (mu0 + mu, mux + mu * x, muxx + mu * x * x, r0 + r);
                }
                else
                {
                    var u = data.Delta[i] + delta0!.Value;
                    var x = Math.Log(u);
                    var inv = 1.0 / u;
                    (mu0, mux, muxx, r0) = (mu0 + mu, mux + mu * x, muxx + mu * x * x, r0 + r);
                    (muu, muxu, muuu, ru, ruu) = (muu + mu * inv, muxu + mu * x * inv, muuu + mu * inv * inv, ru + r * inv, ruu + r * inv * inv);
                }
            }
            return new FitSums(ll, dev, pearson, mu0, mux, muxx, r0, muu, muxu, muuu, ru, ruu);
        }, FitSums.Add);

    private static IntensityFit Summarise(BinData data, IntensityModelKind model, double a, double k, double? delta0, bool delta0Estimated, OptimizerOutcome outcome)
    {
        var p = model == IntensityModelKind.Exponential || !delta0Estimated ? 2 : 3;
        var warnings = new List<string>();
        var finite = double.IsFinite(a) && double.IsFinite(k);

        // log n! does not depend on the parameters: summed once here, not per bin per evaluation.
        var sums = SummaryPass(data, model, a, k, delta0, finite);
        var logLik = sums.LogLik - data.LogFactorialSum();

        var se = finite ? StandardErrors(sums, data.TotalExposedCount, p, a, k) : null;
        if (se is null)
        {
            warnings.Add("standard errors are not available: the observed information matrix is singular at this estimate");
        }

        var df = data.PositiveExposureBins - p;
        var goodness = new GoodnessOfFit(sums.Deviance, sums.Pearson, df,
            df > 0 ? SpecialFunctions.GammaUpperRegularized(df / 2.0, sums.Deviance / 2.0) : double.NaN,
            df > 0 ? SpecialFunctions.GammaUpperRegularized(df / 2.0, sums.Pearson / 2.0) : double.NaN);
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
            warnings.Add($"the deviance rejects the model at 1% (p = {goodness.DevianceP.ToString("0.####", CultureInfo.InvariantCulture)}): the shape of the intensity is wrong or the counts are overdispersed");
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
            BinCount = data.Count,
            TotalCount = data.TotalCount,
            Goodness = goodness,
            Bins = new FittedBins(data.Delta, data.Count_, data.Exposure, finite ? d => Intensity(model, a, k, delta0, d) : _ => double.NaN),
            Outcome = outcome,
            Warnings = warnings,
        };
    }

    private static double Intensity(IntensityModelKind model, double a, double k, double? delta0, double delta) =>
        model == IntensityModelKind.Exponential ? a * Math.Exp(-k * delta) : a * Math.Pow(delta + delta0!.Value, -k);

    /// <summary>
    /// Standard errors from the observed information −H, where for log μ_i = log A − k·x_i(δ0) + log E_i
    /// H = Σ (n_i − μ_i)·∇²log μ_i − μ_i·∇log μ_i·∇log μ_iᵀ, with ∇log μ = (1/A, −x, −k/u); from the summary's sums.
    /// </summary>
    private static double[]? StandardErrors(FitSums s, double exposedCount, int p, double a, double k)
    {
        var h = Matrix<double>.Build.Dense(p, p);
        h[0, 0] = -exposedCount / (a * a); // −Σμ/A² − Σ(n−μ)/A² = −Σn/A²
        h[0, 1] = h[1, 0] = s.MuX / a;
        h[1, 1] = -s.MuXX;
        if (p == 3)
        {
            h[0, 2] = h[2, 0] = k * s.MuU / a;
            h[1, 2] = h[2, 1] = -k * s.MuXU - s.RU;
            h[2, 2] = -k * k * s.MuUU + k * s.RUU;
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

    /// <summary>Observed versus fitted per bin, computed when read: a fit on 10^6 bins stores no per-bin objects.</summary>
    private sealed class FittedBins(double[] delta, double[] count, double[] exposure, Func<double, double> intensity) : IReadOnlyList<BinFit>
    {
        public int Count => delta.Length;

        public BinFit this[int index]
        {
            get
            {
                var (n, e) = (count[index], exposure[index]);
                var fitted = intensity(delta[index]);
                var expected = fitted * e;
                var residual = expected > 0 ? (n - expected) / Math.Sqrt(expected) : 0.0;
                return new BinFit(delta[index], n, e, e > 0 ? n / e : double.NaN, fitted, expected, residual);
            }
        }

        public IEnumerator<BinFit> GetEnumerator()
        {
            for (var i = 0; i < delta.Length; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Bins as columns, validated once for both models.</summary>
    private sealed class BinData
    {
        public required double[] Delta { get; init; }
        public required double[] Count_ { get; init; }
        public required double[] Exposure { get; init; }
        public required double TotalCount { get; init; }
        /// <summary>Σn over bins with exposure (all of it for validated bins).</summary>
        public required double TotalExposedCount { get; init; }
        public required double MaxDelta { get; init; }
        public required double MeanDelta { get; init; }
        public required double MinExposedDelta { get; init; }
        public required int PositiveExposureBins { get; init; }
        public required ParallelOptions Parallel { get; init; }
        public int Count => Delta.Length;

        public double LogFactorialSum()
        {
            var sum = 0.0;
            foreach (var n in Count_) sum += LogFactorial(n);
            return sum;
        }

        public static BinData From(IReadOnlyList<ArrivalBin> bins, ParallelOptions parallel)
        {
            if (bins.Count == 0)
            {
                throw new InputException("no bins to fit", field: "delta");
            }
            var n = bins.Count;
            var delta = new double[n];
            var count = new double[n];
            var exposure = new double[n];
            var distinct = new HashSet<double>();
            for (var i = 0; i < n; i++)
            {
                var b = bins[i];
                delta[i] = b.Delta;
                count[i] = b.Count;
                exposure[i] = b.Exposure;
                if (b.Exposure > 0 && distinct.Count < 3) distinct.Add(b.Delta);
            }
            var data = FromColumns(delta, count, exposure, parallel);
            if (data.TotalCount <= 0)
            {
                throw new InputException("all counts are zero: nothing to fit", field: "count");
            }
            if (distinct.Count < 3)
            {
                throw new InputException($"fewer than three distinct deltas with exposure ({distinct.Count}): the intensity's decay cannot be identified", field: "delta");
            }
            return data;
        }

        public static BinData FromColumns(double[] delta, double[] count, double[] exposure, ParallelOptions parallel)
        {
            double total = 0, exposedTotal = 0, maxDelta = 0, sumDelta = 0, minExposed = double.PositiveInfinity;
            var positive = 0;
            for (var i = 0; i < delta.Length; i++)
            {
                total += count[i];
                maxDelta = Math.Max(maxDelta, delta[i]);
                sumDelta += delta[i];
                if (exposure[i] > 0)
                {
                    positive++;
                    exposedTotal += count[i];
                    minExposed = Math.Min(minExposed, delta[i]);
                }
            }
            return new BinData
            {
                Delta = delta,
                Count_ = count,
                Exposure = exposure,
                TotalCount = total,
                TotalExposedCount = exposedTotal,
                MaxDelta = maxDelta,
                MeanDelta = sumDelta / delta.Length,
                MinExposedDelta = minExposed,
                PositiveExposureBins = positive,
                Parallel = parallel,
            };
        }
    }
}
