using MarketMaking.Core.Calibration;
using MarketMaking.Core.Intensity;

namespace MarketMaking.Core.Tests.Calibration;

/// <summary>
/// Inputs above the pooling threshold (1024 bins) take the fast route: a start from pooled bins, Newton on all bins,
/// chunked parallel sums. These check it against the score equations, the robust route and itself across thread counts.
/// </summary>
public class PoissonIntensityMleLargeTests
{
    private static IReadOnlyList<ArrivalBin> Bins(IIntensityModel truth, int count, double exposure, ulong seed) =>
        SyntheticArrivals.Generate(truth, [.. Enumerable.Range(0, count).Select(i => 0.001 + 3.0 * i / count)], exposure, seed);

    [Fact]
    public void FitExponential_ManyBins_SolvesTheScoreEquations()
    {
        // Given 50 000 bins from A = 140, k = 1.5
        var bins = Bins(new ExponentialIntensity(140, 1.5), 50_000, 0.05, seed: 4);

        // When fitted
        var fit = PoissonIntensityMle.FitExponential(bins);

        // Then the score equations hold: Σ(n − μ) = 0 and Σ(n − μ)·δ = 0, relative to Σn and Σn·δ
        fit.Outcome.Converged.Should().BeTrue();
        var mu = bins.Select(b => fit.Intensity(b.Delta) * b.Exposure).ToArray();
        var n = bins.Sum(b => b.Count);
        (bins.Select((b, i) => b.Count - mu[i]).Sum() / n).Should().BeApproximately(0, 1e-12);
        (bins.Select((b, i) => (b.Count - mu[i]) * b.Delta).Sum() / bins.Sum(b => b.Count * b.Delta)).Should().BeApproximately(0, 1e-12);
    }

    [Fact]
    public void FitPowerLaw_ManyBins_NewtonInKAndDelta0MatchesTheRobustMethod()
    {
        // Given 5 000 bins from a power law
        var bins = Bins(new PowerLawIntensity(50, 2.0, 0.3), 5_000, 0.5, seed: 3);

        // When fitted by the fast route and by the robust route (Brent in log δ0 over Newton in k)
        var fast = PoissonIntensityMle.FitPowerLaw(bins);
        var robust = PoissonIntensityMle.FitPowerLaw(bins, null, new ParallelOptions(), robustOnly: true);

        // Then the fast route took the two-dimensional Newton and agrees with the robust one
        fast.Outcome.Method.Should().Contain("Newton in (k, log delta0)");
        robust.Outcome.Method.Should().NotContain("Newton in (k, log delta0)");
        fast.Outcome.Converged.Should().BeTrue();
        robust.Outcome.Converged.Should().BeTrue();
        fast.LogLikelihood.Should().BeApproximately(robust.LogLikelihood, Math.Abs(robust.LogLikelihood) * 1e-13);
        fast.K.Value.Should().BeApproximately(robust.K.Value, robust.K.Value * 1e-9);
        fast.Delta0!.Value.Should().BeApproximately(robust.Delta0!.Value, robust.Delta0.Value * 1e-9);
        fast.A.Value.Should().BeApproximately(robust.A.Value, robust.A.Value * 1e-9);
        fast.K.StandardError.Should().BeApproximately(robust.K.StandardError, robust.K.StandardError * 1e-6);
    }

    [Fact]
    public void FitPowerLaw_ManyBinsOfExponentialData_ReportsTheSameDelta0BoundaryAsTheRobustMethod()
    {
        // Given many bins of exponential data, so informative that δ0 runs off until A overflows
        var bins = Bins(new ExponentialIntensity(140, 1.5), 5_000, 4, seed: 1);

        var fast = PoissonIntensityMle.FitPowerLaw(bins);
        var robust = PoissonIntensityMle.FitPowerLaw(bins, null, new ParallelOptions(), robustOnly: true);

        // Then both report the δ0 → ∞ boundary, not converged, at the same δ0 with a finite A
        robust.Outcome.Boundary.Should().Contain("delta0 -> infinity");
        fast.Outcome.Boundary.Should().Be(robust.Outcome.Boundary);
        fast.Outcome.Method.Should().Contain("confirmed on all bins");
        fast.Outcome.Converged.Should().BeFalse();
        fast.Delta0!.Value.Should().BeApproximately(robust.Delta0!.Value, robust.Delta0.Value * 1e-9);
        fast.K.Value.Should().BeApproximately(robust.K.Value, robust.K.Value * 1e-9);
        double.IsFinite(fast.A.Value).Should().BeTrue();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_ManyBins_BitIdenticalForAnyThreadCount(bool power)
    {
        // Given 100 000 bins (13 chunks)
        var bins = Bins(power ? new PowerLawIntensity(50, 2.0, 0.3) : new ExponentialIntensity(140, 1.5), 100_000, 0.05, seed: 9);

        IntensityFit Fit(int threads)
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
            return power ? PoissonIntensityMle.FitPowerLaw(bins, null, options) : PoissonIntensityMle.FitExponential(bins, options);
        }

        // When fitted on one thread, on the default, and on three
        var fits = new[] { Fit(1), Fit(-1), Fit(3) };

        // Then every reported number has the same bits
        static long[] Bits(IntensityFit f) =>
            [.. new[] { f.A.Value, f.K.Value, f.Delta0?.Value ?? 0, f.LogLikelihood, f.A.StandardError, f.K.StandardError,
                f.Delta0?.StandardError ?? 0, f.Goodness.Deviance, f.Goodness.PearsonChiSquare }.Select(BitConverter.DoubleToInt64Bits)];
        Bits(fits[1]).Should().Equal(Bits(fits[0]));
        Bits(fits[2]).Should().Equal(Bits(fits[0]));
        fits[0].Outcome.Converged.Should().BeTrue();
    }

    [Fact]
    public void FitPowerLaw_ManyBins_PerBinFitsAreComputedOnRead()
    {
        var bins = Bins(new PowerLawIntensity(50, 2.0, 0.3), 5_000, 0.5, seed: 3);

        var fit = PoissonIntensityMle.FitPowerLaw(bins);

        fit.Bins.Should().HaveCount(bins.Count);
        var bin = fit.Bins[1234];
        bin.Delta.Should().Be(bins[1234].Delta);
        bin.FittedIntensity.Should().Be(fit.Intensity(bins[1234].Delta));
        bin.ExpectedCount.Should().Be(bin.FittedIntensity * bins[1234].Exposure);
        bin.PearsonResidual.Should().Be((bin.Count - bin.ExpectedCount) / Math.Sqrt(bin.ExpectedCount));
    }
}
