using MarketMaking.Core;
using MarketMaking.Core.Calibration;
using MarketMaking.Core.Intensity;

namespace MarketMaking.Core.Tests.Calibration;

public class PoissonIntensityMleTests
{
    // A small fixed data set. Reference estimates were computed once, independently, with scipy 1.10:
    // Nelder–Mead (xatol = fatol = 1e-13) then BFGS (gtol = 1e-12) on the full log-likelihood in log-parameters
    // (scipy.special.gammaln for log n!), standard errors from a central-difference Hessian (h = 1e-4) of that likelihood.
    private static readonly ArrivalBin[] Fixed =
    [
        new(0.1, 95, 1), new(0.2, 80, 1), new(0.4, 61, 1.2), new(0.6, 40, 1),
        new(0.8, 33, 0.9), new(1.0, 22, 1), new(1.5, 12, 1.1), new(2.0, 6, 1),
    ];

    [Fact]
    public void FitExponential_SmallFixedData_MatchesScipyReference()
    {
        // Given the fixed bins; When fitted; Then estimates, log-likelihood and standard errors match scipy.
        var fit = PoissonIntensityMle.FitExponential(Fixed);

        fit.Outcome.Converged.Should().BeTrue();
        fit.A.Value.Should().BeApproximately(105.21708601070982, 105.2 * 1e-6);
        fit.K.Value.Should().BeApproximately(1.5066487726802007, 1.5 * 1e-6);
        fit.LogLikelihood.Should().BeApproximately(-22.36118302257757, 22.4 * 1e-8);
        fit.A.StandardError.Should().BeApproximately(8.44320696, 8.44 * 1e-4);
        fit.K.StandardError.Should().BeApproximately(0.13699488, 0.137 * 1e-4);
        fit.ParameterCount.Should().Be(2);
        fit.Aic.Should().BeApproximately(2 * 2 + 2 * 22.36118302257757, 1e-6);
        fit.Bic.Should().BeApproximately(2 * Math.Log(8) + 2 * 22.36118302257757, 1e-6);
    }

    [Fact]
    public void FitPowerLaw_EstimatedDelta0_MatchesScipyReference()
    {
        var fit = PoissonIntensityMle.FitPowerLaw(Fixed);

        fit.Outcome.Converged.Should().BeTrue();
        fit.Outcome.BoundaryHit.Should().BeFalse();
        fit.ParameterCount.Should().Be(3);
        fit.LogLikelihood.Should().BeApproximately(-22.154263821734506, 22.15 * 1e-8);
        fit.K.Value.Should().BeApproximately(7.04473259099606, 7.04 * 1e-5);
        fit.Delta0!.Value.Should().BeApproximately(3.939234175058671, 3.94 * 1e-5);
        fit.A.Value.Should().BeApproximately(1741863.1856101314, 1741863 * 1e-4);
        // The likelihood is a near-flat ridge in (A, k, δ0) on eight bins: finite-difference Hessians drift with the step
        // (h = 3e-4 → 11.51, 1e-4 → 11.42, Richardson h → 0 ≈ 11.47 for k), so these are held to 2%.
        fit.K.StandardError.Should().BeApproximately(11.4176903, 11.4 * 0.02);
        fit.Delta0.StandardError.Should().BeApproximately(7.49065572, 7.49 * 0.02);
    }

    [Fact]
    public void FitPowerLaw_FixedDelta0_MatchesScipyReference()
    {
        var fit = PoissonIntensityMle.FitPowerLaw(Fixed, fixedDelta0: 0.5);

        fit.ParameterCount.Should().Be(2);
        fit.Delta0Estimated.Should().BeFalse();
        fit.A.Value.Should().BeApproximately(43.10425599953594, 43.1 * 1e-6);
        fit.K.Value.Should().BeApproximately(1.670822268932711, 1.67 * 1e-6);
        fit.LogLikelihood.Should().BeApproximately(-23.674827280649367, 23.7 * 1e-8);
    }

    [Fact]
    public void FitExponential_ProfileOptimum_BeatsBruteForceTwoDimensionalSearch()
    {
        // Given a brute-force grid over (A, k) around the optimum
        var fit = PoissonIntensityMle.FitExponential(Fixed);
        var bestOnGrid = double.NegativeInfinity;
        (double A, double K) argBest = default;
        for (var i = -200; i <= 200; i++)
        {
            for (var j = -200; j <= 200; j++)
            {
                var a = fit.A.Value * (1 + i * 1e-4);
                var k = fit.K.Value * (1 + j * 1e-4);
                var ll = PoissonIntensityMle.LogLikelihoodExponential(Fixed, a, k);
                if (ll > bestOnGrid)
                {
                    bestOnGrid = ll;
                    argBest = (a, k);
                }
            }
        }

        // Then no grid point is better, and the grid's best is the profile optimum to within a grid step
        fit.LogLikelihood.Should().BeGreaterThanOrEqualTo(bestOnGrid - 1e-12);
        argBest.A.Should().BeApproximately(fit.A.Value, fit.A.Value * 1e-4);
        argBest.K.Should().BeApproximately(fit.K.Value, fit.K.Value * 1e-4);
    }

    [Fact]
    public void FitPowerLaw_ProfileOptimum_BeatsBruteForceSearchOverKAndDelta0()
    {
        var fit = PoissonIntensityMle.FitPowerLaw(Fixed);
        var best = double.NegativeInfinity;
        for (var i = -60; i <= 60; i++)
        {
            for (var j = -60; j <= 60; j++)
            {
                var k = fit.K.Value * (1 + i * 0.005);
                var d0 = fit.Delta0!.Value * (1 + j * 0.005);
                // A profiled out in closed form: Â = Σn / Σ E·(δ+δ0)^(−k)
                var a = Fixed.Sum(b => b.Count) / Fixed.Sum(b => b.Exposure * Math.Pow(b.Delta + d0, -k));
                best = Math.Max(best, PoissonIntensityMle.LogLikelihoodPower(Fixed, a, k, d0));
            }
        }

        fit.LogLikelihood.Should().BeGreaterThanOrEqualTo(best - 1e-10);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void FitExponential_SyntheticDataFromKnownTruth_TruthInside95PercentInterval(ulong seed)
    {
        // Given Poisson counts from A = 140, k = 1.5
        var bins = SyntheticArrivals.Generate(new ExponentialIntensity(140, 1.5), SyntheticArrivals.Grid(0.05, 3, 0.05), 20, seed);

        var fit = PoissonIntensityMle.FitExponential(bins);

        fit.Outcome.Converged.Should().BeTrue();
        140.0.Should().BeInRange(fit.A.Lower95, fit.A.Upper95);
        1.5.Should().BeInRange(fit.K.Lower95, fit.K.Upper95);
    }

    [Fact]
    public void FitPowerLaw_SyntheticPowerLawData_RecoversTruthAndBeatsExponentialOnAic()
    {
        var truth = new PowerLawIntensity(50, 2.0, 0.3);
        var bins = SyntheticArrivals.Generate(truth, SyntheticArrivals.Grid(0.0, 4, 0.1), 50, seed: 7);

        var power = PoissonIntensityMle.FitPowerLaw(bins);
        var exponential = PoissonIntensityMle.FitExponential(bins);

        power.Outcome.Converged.Should().BeTrue();
        2.0.Should().BeInRange(power.K.Lower95, power.K.Upper95);
        0.3.Should().BeInRange(power.Delta0!.Lower95, power.Delta0.Upper95);
        50.0.Should().BeInRange(power.A.Lower95, power.A.Upper95);
        power.Aic.Should().BeLessThan(exponential.Aic);
    }

    [Fact]
    public void FitPowerLaw_ExponentialData_ReportsDelta0BoundaryAndNotConverged()
    {
        var bins = SyntheticArrivals.Generate(new ExponentialIntensity(140, 1.5), SyntheticArrivals.Grid(0.05, 3, 0.05), 20, seed: 1);

        var fit = PoissonIntensityMle.FitPowerLaw(bins);

        fit.Outcome.Converged.Should().BeFalse();
        fit.Outcome.Boundary.Should().Contain("delta0 -> infinity");
        fit.Warnings.Should().Contain(w => w.Contains("boundary", StringComparison.Ordinal));
        double.IsFinite(fit.A.Value).Should().BeTrue();
    }

    [Fact]
    public void FitExponential_CountsRisingWithDepth_ReportsKBoundaryAndNotConverged()
    {
        ArrivalBin[] rising = [new(0.1, 5, 1), new(0.2, 6, 1), new(0.3, 9, 1), new(0.4, 12, 1)];

        var fit = PoissonIntensityMle.FitExponential(rising);

        fit.Outcome.Converged.Should().BeFalse();
        fit.Outcome.Boundary.Should().Contain("k -> 0");
    }

    [Fact]
    public void FitExponential_NonIntegerCounts_UseLogGamma()
    {
        ArrivalBin[] bins = [new(0.1, 10.5, 1), new(0.5, 6.25, 1), new(1.0, 3.5, 1)];

        var fit = PoissonIntensityMle.FitExponential(bins);

        // ℓ at the optimum equals the formula with log Γ(n+1), evaluated independently here.
        var expected = bins.Sum(b =>
        {
            var mu = fit.A.Value * Math.Exp(-fit.K.Value * b.Delta) * b.Exposure;
            return b.Count * Math.Log(mu) - mu - MathNet.Numerics.SpecialFunctions.GammaLn(b.Count + 1);
        });
        fit.LogLikelihood.Should().BeApproximately(expected, 1e-10);
    }

    [Fact]
    public void Fit_AllCountsZero_Throws()
    {
        ArrivalBin[] bins = [new(0.1, 0, 1), new(0.2, 0, 1), new(0.3, 0, 1)];
        var act = () => PoissonIntensityMle.FitExponential(bins);
        act.Should().Throw<InputException>().WithMessage("*all counts are zero*");
    }

    [Fact]
    public void Fit_FewerThanThreeDistinctDeltas_Throws()
    {
        ArrivalBin[] bins = [new(0.1, 4, 1), new(0.1, 5, 1), new(0.2, 2, 1)];
        var act = () => PoissonIntensityMle.FitPowerLaw(bins);
        act.Should().Throw<InputException>().WithMessage("*three distinct deltas*");
    }

    [Fact]
    public void Fit_NoBins_Throws()
    {
        var act = () => PoissonIntensityMle.FitExponential([]);
        act.Should().Throw<InputException>();
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void FitPowerLaw_FixedDelta0NotPositive_Throws(double delta0)
    {
        var act = () => PoissonIntensityMle.FitPowerLaw(Fixed, delta0);
        act.Should().Throw<InputException>().Which.Field.Should().Be("delta0");
    }

    [Theory]
    [InlineData(double.NaN, 1, 1, "delta")]
    [InlineData(-0.1, 1, 1, "delta")]
    [InlineData(0.1, -1, 1, "count")]
    [InlineData(0.1, double.PositiveInfinity, 1, "count")]
    [InlineData(0.1, 1, -1, "exposure")]
    [InlineData(0.1, 1, 0, "exposure")]
    public void ArrivalBin_InvalidValue_ThrowsNamingField(double delta, double count, double exposure, string field)
    {
        var act = () => new ArrivalBin(delta, count, exposure);
        act.Should().Throw<InputException>().Which.Field.Should().Be(field);
    }

    [Fact]
    public void ArrivalBin_ZeroExposureAndZeroCount_IsAllowed()
    {
        var bin = new ArrivalBin(0.1, 0, 0);
        bin.Exposure.Should().Be(0);
    }

    [Fact]
    public void IntensityCalibration_BothModels_PrefersLowestAic()
    {
        var result = IntensityCalibration.Run(new CalibrationRequest("fixed", Fixed, CalibrationModels.Both));

        result.Fits.Should().HaveCount(2);
        result.Preferred.Aic.Should().Be(result.Fits.Where(f => f.Outcome.Converged).Min(f => f.Aic));
    }
}
