using System.Globalization;
using MarketMaking.Core.Random;
using MarketMaking.Core.Volatility;

namespace MarketMaking.Core.Tests.Volatility;

public class Garch11Tests
{
    // Published Gaussian QML fit of GARCH(1,1) with constant mean on dem2gbp (fGarch; Bollerslev & Ghysels 1996,
    // Fiorentini, Calzolari & Panattoni 1996), as listed in shared/data/README.md.
    private const double PublishedMu = -0.00619041;
    private const double PublishedOmega = 0.0107613;
    private const double PublishedAlpha = 0.153134;
    private const double PublishedBeta = 0.805974;
    private const double PublishedMuSe = 0.008462;
    private const double PublishedOmegaSe = 0.002838;
    private const double PublishedAlphaSe = 0.026422;
    private const double PublishedBetaSe = 0.033381;
    private const double PublishedLogLik = -1106.608;

    internal static double[] Dem2Gbp()
    {
        // Copied from shared/data/dem2gbp.csv: a header line "return", then one number per line.
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "dem2gbp.csv");
        return File.ReadLines(path).Skip(1).Where(l => l.Length > 0)
            .Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
    }

    private static double RoundSignificant(double value, int digits)
    {
        var magnitude = Math.Floor(Math.Log10(Math.Abs(value))) + 1;
        var scale = Math.Pow(10, digits - magnitude);
        return Math.Round(value * scale) / scale;
    }

    [Fact]
    public void Fit_Dem2Gbp_ReproducesPublishedEstimatesStandardErrorsAndLogLikToFourDigits()
    {
        // Given the 1,974 DEM/GBP daily returns
        var returns = Dem2Gbp();
        returns.Should().HaveCount(1974);

        // When GARCH(1,1) is fitted with the default (fGarch-compatible) options
        var fit = Garch11.Fit(returns);

        // Then every published figure agrees to four significant digits
        fit.Outcome.Converged.Should().BeTrue();
        fit.Outcome.Boundary.Should().BeNull();
        fit.Warnings.Should().BeEmpty();
        var pairs = new (double Got, double Published)[]
        {
            (fit.Mu.Value, PublishedMu), (fit.Omega.Value, PublishedOmega), (fit.Alpha.Value, PublishedAlpha), (fit.Beta.Value, PublishedBeta),
            (fit.Mu.StandardError, PublishedMuSe), (fit.Omega.StandardError, PublishedOmegaSe),
            (fit.Alpha.StandardError, PublishedAlphaSe), (fit.Beta.StandardError, PublishedBetaSe),
            (fit.LogLikelihood, PublishedLogLik),
        };
        foreach (var (got, published) in pairs)
        {
            RoundSignificant(got, 4).Should().Be(RoundSignificant(published, 4), $"{got} should match the published {published}");
            got.Should().BeApproximately(published, 2e-4 * Math.Abs(published));
        }
    }

    [Fact]
    public void Fit_Dem2Gbp_LandsOnTheOptimumToSixDigits()
    {
        // Given the optimum computed once with scipy (Nelder–Mead to 1e-13, then Newton steps on a central-difference
        // Hessian, same likelihood and initialisation): mu, omega, alpha, beta, loglik
        var returns = Dem2Gbp();

        // When fitted
        var fit = Garch11.Fit(returns);

        // Then
        fit.Mu.Value.Should().BeApproximately(-0.00619040777640955, 1e-6 * 0.0062);
        fit.Omega.Value.Should().BeApproximately(0.01076139793106575, 1e-5 * 0.0108);
        fit.Alpha.Value.Should().BeApproximately(0.15313406252723993, 1e-5 * 0.153);
        fit.Beta.Value.Should().BeApproximately(0.8059736693254966, 1e-6 * 0.806);
        fit.LogLikelihood.Should().BeApproximately(-1106.6078810412887, 1e-8);
        fit.Observations.Should().Be(1974);
    }

    [Fact]
    public void Fit_SmallHessianStep_GivesTheLikelihoodsOwnCurvature()
    {
        // Given a Hessian step small enough that truncation error is negligible
        var returns = Dem2Gbp();

        // When fitted
        var fit = Garch11.Fit(returns, new Garch11Options { HessianStep = 1e-5 });

        // Then the standard errors match a relative-step (1e-4) central-difference Hessian computed with numpy:
        // the published beta SE 0.033381 is 0.5% below this, an artefact of R optimHess's step of 1e-3
        fit.Mu.StandardError.Should().BeApproximately(0.00846211674612501, 2e-4 * 0.0085);
        fit.Omega.StandardError.Should().BeApproximately(0.00285269854393672, 2e-4 * 0.00285);
        fit.Alpha.StandardError.Should().BeApproximately(0.02652270381143956, 2e-4 * 0.0265);
        fit.Beta.StandardError.Should().BeApproximately(0.03355249637766314, 2e-4 * 0.0336);
    }

    [Fact]
    public void Fit_Dem2Gbp_DerivedQuantitiesFollowFromTheEstimates()
    {
        // Given the fit
        var fit = Garch11.Fit(Dem2Gbp());
        var p = fit.Parameters;

        // Then persistence, unconditional variance and half-life are the closed forms of the estimates
        fit.Persistence.Should().BeApproximately(p.Alpha + p.Beta, 1e-15);
        fit.UnconditionalVariance.Should().BeApproximately(p.Omega / (1 - p.Alpha - p.Beta), 1e-15);
        fit.UnconditionalVolatility.Should().BeApproximately(Math.Sqrt(fit.UnconditionalVariance), 1e-15);
        fit.HalfLife.Should().BeApproximately(Math.Log(0.5) / Math.Log(p.Alpha + p.Beta), 1e-12);
        // 0.153134 + 0.805974 = 0.959108: half-life ≈ 16.6 days, unconditional σ ≈ 0.513% per day
        fit.HalfLife.Should().BeApproximately(16.6, 0.1);
        fit.UnconditionalVolatility.Should().BeApproximately(0.513, 0.001);
        fit.Aic.Should().BeApproximately(8 - 2 * fit.LogLikelihood, 1e-9);
    }

    [Fact]
    public void LogLikelihood_AtPublishedParameters_MatchesNumpy()
    {
        // Given the published parameters
        var p = new Garch11Parameters(PublishedMu, PublishedOmega, PublishedAlpha, PublishedBeta);

        // When the log-likelihood is evaluated
        var ll = Garch11.LogLikelihood(Dem2Gbp(), p);

        // Then it equals the numpy evaluation of the same recursion (h_1 = ω + (α+β)·mean(e²), full Gaussian constant)
        ll.Should().BeApproximately(-1106.6078810439346, 1e-9);
    }

    [Fact]
    public void ConditionalVariances_AtPublishedParameters_MatchNumpy()
    {
        // Given the published parameters
        var p = new Garch11Parameters(PublishedMu, PublishedOmega, PublishedAlpha, PublishedBeta);
        var returns = Dem2Gbp();

        // When the variance recursion runs
        var (h, next) = Garch11.ConditionalVariances(returns, p);

        // Then it matches numpy's h_1, h_2, h_n, h_{n+1} and the presample mean(e²)
        Garch11.PresampleVariance(returns, PublishedMu).Should().BeApproximately(0.22112261071434974, 1e-14);
        h[0].Should().BeApproximately(0.22284176491701854, 1e-14);
        h[1].Should().BeApproximately(0.19301493731326141, 1e-14);
        h[^1].Should().BeApproximately(0.1147990535883874, 1e-13);
        next.Should().BeApproximately(0.14699224640130187, 1e-13);
    }

    [Fact]
    public void NegativeLogLikelihood_AnalyticGradient_MatchesCentralDifferences()
    {
        // Given a point away from the optimum
        var x = Dem2Gbp();
        var p = new[] { 0.01, 0.02, 0.12, 0.8 };
        var gradient = new double[4];

        // When the analytic gradient is computed
        var f = Garch11.NegativeLogLikelihood(x, p, gradient);

        // Then it matches central differences of the value
        f.Should().BeApproximately(Garch11.NegativeLogLikelihood(x, p[0], p[1], p[2], p[3]), 1e-9);
        for (var i = 0; i < 4; i++)
        {
            var h = 1e-6;
            var up = (double[])p.Clone();
            var down = (double[])p.Clone();
            up[i] += h;
            down[i] -= h;
            var numeric = (Garch11.NegativeLogLikelihood(x, up[0], up[1], up[2], up[3]) - Garch11.NegativeLogLikelihood(x, down[0], down[1], down[2], down[3])) / (2 * h);
            gradient[i].Should().BeApproximately(numeric, 1e-5 * Math.Max(1, Math.Abs(numeric)), $"component {i}");
        }
    }

    [Fact]
    public void Fit_SimulatedGarch_RecoversTheTrueParameters()
    {
        // Given 4,000 returns simulated from a known GARCH(1,1)
        var truth = new Garch11Parameters(0.05, 0.05, 0.1, 0.85);
        var rng = new Xoshiro256StarStar(20240607);
        var returns = Simulate(truth, 4000, ref rng);

        // When fitted
        var fit = Garch11.Fit(returns);

        // Then each estimate is within four standard errors of the truth
        fit.Outcome.Converged.Should().BeTrue();
        fit.Mu.Value.Should().BeApproximately(truth.Mu, 4 * fit.Mu.StandardError);
        fit.Omega.Value.Should().BeApproximately(truth.Omega, 4 * fit.Omega.StandardError);
        fit.Alpha.Value.Should().BeApproximately(truth.Alpha, 4 * fit.Alpha.StandardError);
        fit.Beta.Value.Should().BeApproximately(truth.Beta, 4 * fit.Beta.StandardError);
    }

    [Fact]
    public void Fit_StartFromAnotherPoint_ReachesTheSameOptimum()
    {
        // Given a start far from the optimum
        var options = new Garch11Options { Start = new Garch11Parameters(0.1, 0.1, 0.01, 0.5) };

        // When fitted
        var fit = Garch11.Fit(Dem2Gbp(), options);

        // Then it lands on the same maximum
        fit.LogLikelihood.Should().BeApproximately(-1106.6078810412887, 1e-7);
        fit.Beta.Value.Should().BeApproximately(0.8059736693254966, 1e-5);
    }

    internal static double[] Simulate(Garch11Parameters p, int n, ref Xoshiro256StarStar rng)
    {
        var r = new double[n];
        var h = p.UnconditionalVariance;
        var e2 = h;
        for (var t = 0; t < n; t++)
        {
            h = p.Omega + p.Alpha * e2 + p.Beta * h;
            var e = Math.Sqrt(h) * rng.NextGaussian();
            r[t] = p.Mu + e;
            e2 = e * e;
        }
        return r;
    }

    [Fact]
    public void Parameters_HandValues_PersistenceHalfLifeUnconditional()
    {
        // Given α = 0.1, β = 0.8, ω = 0.02
        var p = new Garch11Parameters(0, 0.02, 0.1, 0.8);

        // Then persistence 0.9, unconditional variance 0.02/0.1 = 0.2, half-life ln 0.5 / ln 0.9
        p.Persistence.Should().BeApproximately(0.9, 1e-15);
        p.UnconditionalVariance.Should().BeApproximately(0.2, 1e-14);
        p.UnconditionalVolatility.Should().BeApproximately(Math.Sqrt(0.2), 1e-14);
        p.HalfLife.Should().BeApproximately(6.578813478960584, 1e-12);
    }

    [Theory]
    [InlineData(double.NaN, 0.02, 0.1, 0.8, "mu")]
    [InlineData(0, double.NaN, 0.1, 0.8, "omega")]
    [InlineData(0, 0, 0.1, 0.8, "omega")]
    [InlineData(0, -0.01, 0.1, 0.8, "omega")]
    [InlineData(0, 0.02, double.NaN, 0.8, "alpha")]
    [InlineData(0, 0.02, -0.1, 0.8, "alpha")]
    [InlineData(0, 0.02, 0.1, double.NaN, "beta")]
    [InlineData(0, 0.02, 0.1, -0.8, "beta")]
    [InlineData(0, 0.02, 0.2, 0.8, "beta")]
    [InlineData(0, 0.02, 0.3, 0.8, "beta")]
    public void Parameters_Invalid_Throw(double mu, double omega, double alpha, double beta, string field)
    {
        // When / Then
        var act = () => new Garch11Parameters(mu, omega, alpha, beta);
        act.Should().Throw<InputException>().Which.Field.Should().Be(field);
    }

    [Fact]
    public void Fit_NaNReturn_ThrowsNamingTheObservation()
    {
        // Given a series with a NaN
        var returns = Dem2Gbp().Take(100).ToArray();
        returns[41] = double.NaN;

        // When / Then
        var act = () => Garch11.Fit(returns);
        act.Should().Throw<InputException>().WithMessage("*42*").Which.Field.Should().Be("return");
    }

    [Fact]
    public void Fit_TooFewOrMissingReturns_Throw()
    {
        // When / Then
        ((Action)(() => Garch11.Fit([]))).Should().Throw<InputException>().WithMessage("*at least*");
        ((Action)(() => Garch11.Fit([0.1, -0.2, 0.3]))).Should().Throw<InputException>().WithMessage("*at least*");
    }

    [Fact]
    public void Fit_ZeroVariance_Throws()
    {
        // Given a constant series (also all zeros)
        var act = () => Garch11.Fit(Enumerable.Repeat(0.0, 50).ToArray());

        // Then
        act.Should().Throw<InputException>().WithMessage("*zero variance*");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-3)]
    [InlineData(double.NaN)]
    public void Fit_InvalidHessianStep_Throws(double step)
    {
        var act = () => Garch11.Fit(Dem2Gbp(), new Garch11Options { HessianStep = step });
        act.Should().Throw<InputException>().Which.Field.Should().Be("hessian_step");
    }
}
