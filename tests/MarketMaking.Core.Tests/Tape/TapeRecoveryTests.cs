using MarketMaking.Core.Calibration;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Tape;

namespace MarketMaking.Core.Tests.Tape;

/// <summary>From a generated tape with a known per-side λ(δ) = A·e^(−kδ), through bins, back to A and k.</summary>
public class TapeRecoveryTests
{
    /// <summary>1 to 15 ticks of 0.01: e^(−kδ) falls from 0.78 to 0.02 at k = 25.</summary>
    private static readonly double[] Grid = DepthGrid.FromTicks(15, 0.01);

    internal static TapeBins BinTape(ExponentialIntensity bid, ExponentialIntensity ask, double duration, ulong seed)
    {
        var settings = new SyntheticTapeSettings(bid, ask, duration, seed);
        return TapeBinning.Run(new TapeBinningRequest("quotes", "trades", SyntheticTape.Quotes(settings), SyntheticTape.Trades(settings), Grid, SideSelection.Separate)).Bins;
    }

    private static (IReadOnlyList<ArrivalBin> Bid, IReadOnlyList<ArrivalBin> Ask) Split(TapeBins bins)
    {
        var rows = bins.ToArrivalBins(SideSelection.Separate);
        return (rows.Where(r => r.Side == QuoteSide.Bid).Select(r => r.Bin).ToArray(), rows.Where(r => r.Side == QuoteSide.Ask).Select(r => r.Bin).ToArray());
    }

    private static SidedCalibrationResult CalibrateBySide(TapeBins bins)
    {
        var (bid, ask) = Split(bins);
        return IntensityCalibration.RunBySide(new SidedCalibrationRequest("bins", bid, ask, CalibrationModels.Exponential));
    }

    [Fact]
    public void Generator_CountsAtEachDepth_MatchAExpMinusKDeltaTimesT()
    {
        // Given a long tape with A = 2, k = 25 on both sides
        var truth = new ExponentialIntensity(2.0, 25.0);
        var bins = BinTape(truth, truth, 5000, seed: 11);

        // When counts are compared with their Poisson means A·e^(−kδ)·T (thinning argument, see SyntheticTape)
        // Then every one lies within 4 standard deviations
        bins.ObservedTime.Should().BeApproximately(5000, 1e-9);
        for (var i = 0; i < Grid.Length; i++)
        {
            var mean = truth.Intensity(Grid[i]) * bins.ObservedTime;
            bins.AskCounts[i].Should().BeInRange((long)(mean - 4 * Math.Sqrt(mean)), (long)(mean + 4 * Math.Sqrt(mean) + 1));
            bins.BidCounts[i].Should().BeInRange((long)(mean - 4 * Math.Sqrt(mean)), (long)(mean + 4 * Math.Sqrt(mean) + 1));
        }
    }

    [Fact]
    public void Generator_SameSeed_SameTape_AndQuotesValidAndSorted()
    {
        // Given one settings record
        var settings = new SyntheticTapeSettings(new ExponentialIntensity(1, 20), new ExponentialIntensity(1, 20), 100, 5);

        // When generated twice / Then identical, sorted, valid, closing at the end time
        SyntheticTape.Trades(settings).Should().Equal(SyntheticTape.Trades(settings));
        var quotes = SyntheticTape.Quotes(settings).ToArray();
        quotes.Should().Equal(SyntheticTape.Quotes(settings));
        quotes.Should().HaveCount(101).And.BeInAscendingOrder(q => q.Time).And.OnlyContain(q => q.Bid < q.Ask);
        quotes[^1].Time.Should().Be(100);
        SyntheticTape.Trades(settings).Should().BeInAscendingOrder(t => t.Time).And.OnlyContain(t => t.Time <= 100);
    }

    [Fact]
    public void Pooled_GeneratedTape_TrueAAndKInsideRobust95Interval()
    {
        // Given a symmetric tape, A = 1.5 per side, k = 25, 2000 s (about 3000 orders a side)
        var truth = new ExponentialIntensity(1.5, 25.0);
        var bins = BinTape(truth, truth, 2000, seed: 2024);
        var pooled = bins.ToArrivalBins(SideSelection.Both).Select(r => r.Bin).ToArray();

        // When calibrated on the pooled rows (exposure counted once per side)
        var fit = PoissonIntensityMle.FitExponential(pooled);
        var robust = CumulativeCounts.Estimates(fit, pooled)!;

        // Then the per-side truth lies inside the nested-count 95% intervals
        fit.Outcome.Converged.Should().BeTrue();
        truth.A.Should().BeInRange(robust[0].Lower95, robust[0].Upper95);
        truth.K.Should().BeInRange(robust[1].Lower95, robust[1].Upper95);
    }

    [Fact]
    public void BySide_DifferentSides_EachRecoveredAndSymmetryRejected()
    {
        // Given bid A = 2.0, k = 30 and ask A = 1.2, k = 20
        var bidTruth = new ExponentialIntensity(2.0, 30.0);
        var askTruth = new ExponentialIntensity(1.2, 20.0);
        var result = CalibrateBySide(BinTape(bidTruth, askTruth, 2000, seed: 2024));

        // When each side is fitted alone
        var bid = result.Robust.Single(r => r.Side == "bid").Estimates;
        var ask = result.Robust.Single(r => r.Side == "ask").Estimates;

        // Then each truth is inside its robust interval and both tests reject the symmetric model
        bidTruth.A.Should().BeInRange(bid[0].Lower95, bid[0].Upper95);
        bidTruth.K.Should().BeInRange(bid[1].Lower95, bid[1].Upper95);
        askTruth.A.Should().BeInRange(ask[0].Lower95, ask[0].Upper95);
        askTruth.K.Should().BeInRange(ask[1].Lower95, ask[1].Upper95);
        var test = result.Symmetry.Single();
        test.DegreesOfFreedom.Should().Be(2);
        test.PValue.Should().BeLessThan(1e-6);
        test.RobustWaldP.Should().BeLessThan(1e-6);
        result.Cumulative.Should().BeTrue();
    }

    [Fact]
    public void BySide_EqualSides_RobustTestDoesNotRejectSymmetry()
    {
        // Given equal sides, A = 1.5, k = 25
        var truth = new ExponentialIntensity(1.5, 25.0);
        var result = CalibrateBySide(BinTape(truth, truth, 2000, seed: 2024));

        // When tested / Then the nested-count Wald test does not reject at 5% (the independent-bins LR test is not
        // trusted here: see RobustErrors_ManySeeds_... for how often it rejects a true symmetric model)
        result.Symmetry.Single().RobustWaldP.Should().BeGreaterThan(0.05);
    }

    [Fact]
    public void BySide_IndependentBins_LikelihoodRatioRejectsOnlyUnequalSides()
    {
        // Given independent Poisson bins (SyntheticArrivals), where the χ²(2) reference of the LR test holds
        var grid = SyntheticArrivals.Grid(0.05, 1.5, 0.05);
        var equal = new ExponentialIntensity(20, 2.0);
        var other = new ExponentialIntensity(26, 2.6);

        // When the sides share parameters, and when they do not
        var same = IntensityCalibration.RunBySide(new SidedCalibrationRequest("b",
            SyntheticArrivals.Generate(equal, grid, 50, seed: 1), SyntheticArrivals.Generate(equal, grid, 50, seed: 2), CalibrationModels.Exponential));
        var differ = IntensityCalibration.RunBySide(new SidedCalibrationRequest("b",
            SyntheticArrivals.Generate(equal, grid, 50, seed: 1), SyntheticArrivals.Generate(other, grid, 50, seed: 2), CalibrationModels.Exponential));

        // Then LR does not reject the first and rejects the second; the rows are not nested, so no robust test
        same.Symmetry.Single().PValue.Should().BeGreaterThan(0.05);
        differ.Symmetry.Single().PValue.Should().BeLessThan(1e-4);
        same.Cumulative.Should().BeFalse();
        double.IsNaN(same.Symmetry.Single().RobustWald).Should().BeTrue();
    }

    [Fact]
    public void LikelihoodRatio_EqualsTwiceTheLogLikelihoodGain()
    {
        // Given a by-side fit
        var grid = SyntheticArrivals.Grid(0.05, 1.5, 0.05);
        var bid = SyntheticArrivals.Generate(new ExponentialIntensity(20, 2.0), grid, 50, seed: 3);
        var ask = SyntheticArrivals.Generate(new ExponentialIntensity(22, 2.2), grid, 50, seed: 4);
        var result = IntensityCalibration.RunBySide(new SidedCalibrationRequest("b", bid, ask, CalibrationModels.Exponential));

        // When LR is recomputed from the exact log-likelihoods at each fit's estimates
        var b = result.Bid.Fits[0];
        var a = result.Ask.Fits[0];
        var p = result.Both.Fits[0];
        var expected = 2 * (PoissonIntensityMle.LogLikelihoodExponential(bid, b.A.Value, b.K.Value)
            + PoissonIntensityMle.LogLikelihoodExponential(ask, a.A.Value, a.K.Value)
            - PoissonIntensityMle.LogLikelihoodExponential([.. bid, .. ask], p.A.Value, p.K.Value));

        // Then it matches, and its p-value is the χ²(2) survival exp(−LR/2)
        var test = result.Symmetry.Single();
        test.LikelihoodRatio.Should().BeApproximately(expected, 1e-9);
        test.PValue.Should().BeApproximately(Math.Exp(-expected / 2), 1e-12);
    }

    [Fact]
    public void RobustErrors_ManySeeds_CoverAbout95PercentWhereNaiveErrorsDoNot()
    {
        // Given 200 independent tapes (A = 2, k = 25, 500 s, one side used)
        var truth = new ExponentialIntensity(2.0, 25.0);
        int robustCover = 0, naiveCover = 0, waldRejects = 0, lrRejects = 0;
        const int Runs = 200;
        for (var seed = 1UL; seed <= Runs; seed++)
        {
            var bins = BinTape(truth, truth, 500, seed);
            var (bidRows, askRows) = Split(bins);
            var fit = PoissonIntensityMle.FitExponential(askRows);
            var robust = CumulativeCounts.Estimates(fit, askRows)!;
            if (truth.K >= robust[1].Lower95 && truth.K <= robust[1].Upper95) robustCover++;
            if (truth.K >= fit.K.Lower95 && truth.K <= fit.K.Upper95) naiveCover++;
            var test = IntensityCalibration.RunBySide(new SidedCalibrationRequest("b", bidRows, askRows, CalibrationModels.Exponential)).Symmetry.Single();
            if (test.RobustWaldP < 0.05) waldRejects++;
            if (test.PValue < 0.05) lrRejects++;
        }

        // When coverage of k and the tests' size are counted
        // Then the robust interval covers close to 95% (binomial sd ≈ 1.5%), the independent-bins one far less,
        // and the robust Wald test rejects a true symmetric model near 5% of the time while the LR test over-rejects
        ((double)robustCover / Runs).Should().BeInRange(0.90, 0.99);
        ((double)naiveCover / Runs).Should().BeLessThan(0.85);
        ((double)waldRejects / Runs).Should().BeInRange(0.01, 0.10);
        lrRejects.Should().BeGreaterThan(waldRejects);
    }
}
