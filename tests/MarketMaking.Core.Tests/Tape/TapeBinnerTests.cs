using MarketMaking.Core;
using MarketMaking.Core.Tape;

namespace MarketMaking.Core.Tests.Tape;

public class TapeBinnerTests
{
    private static readonly double[] Grid = [0.01, 0.02, 0.03];

    private static TapeBins Bin(IEnumerable<Quote> quotes, IEnumerable<Trade> trades, double[]? grid = null) =>
        TapeBinning.Run(new TapeBinningRequest("q.csv", "t.csv", quotes, trades, grid ?? Grid, SideSelection.Separate)).Bins;

    [Fact]
    public void Run_HandMadeTape_CountsEachOrderAtEveryDepthItReached()
    {
        // Given a mid of 100 from t=0 to t=10: buys 2.5 and 1 ticks above it, a sell 3 ticks below, a sell exactly
        // on a tick whose difference is not exact in binary (100 - 99.98 = 0.0200000000000031...)
        Quote[] quotes = [new(0, 99.99, 100.01), new(10, 99.99, 100.01)];
        Trade[] trades =
        [
            new(1, 100.025, 1, Aggressor.Buy),
            new(2, 100.01, 1, Aggressor.Buy),
            new(3, 99.97, 1, Aggressor.Sell),
            new(4, 99.98, 1, Aggressor.Sell),
        ];

        // When binned
        var bins = Bin(quotes, trades);

        // Then asks count orders reaching >= 0.01, 0.02, 0.03 (brute force: {0.025, 0.01}) and bids {0.03, 0.02}
        bins.AskCounts.Should().Equal(2, 1, 0);
        bins.BidCounts.Should().Equal(2, 2, 1);
        bins.ObservedTime.Should().Be(10);
    }

    [Fact]
    public void ToArrivalBins_Both_PoolsCountsOverExposureOncePerSide()
    {
        // Given two buys and one sell over 10 seconds of valid quotes
        Quote[] quotes = [new(0, 99.99, 100.01), new(10, 99.99, 100.01)];
        Trade[] trades = [new(1, 100.03, 1, null), new(2, 100.03, 1, null), new(3, 99.97, 1, null)];

        // When pooled
        var rows = Bin(quotes, trades).ToArrivalBins(SideSelection.Both);

        // Then counts add across sides and exposure is 2 × 10, so count/exposure is the per-side rate
        rows.Select(r => r.Bin.Count).Should().Equal(3, 3, 3);
        rows.Should().OnlyContain(r => r.Bin.Exposure == 20 && r.Side == null);
    }

    [Fact]
    public void Run_SidesAbsent_InfersFromPriceAgainstMidAndSkipsPrintsAtTheMid()
    {
        // Given prints above, below and at the mid with no side
        Quote[] quotes = [new(0, 99.99, 100.01), new(10, 99.99, 100.01)];
        Trade[] trades = [new(1, 100.02, 1, null), new(2, 99.98, 1, null), new(3, 100.00, 1, null)];

        // When binned
        var bins = Bin(quotes, trades);

        // Then one ask order, one bid order, the print at the mid is skipped
        bins.AskCounts[0].Should().Be(1);
        bins.BidCounts[0].Should().Be(1);
        bins.Diagnostics.SidesInferred.Should().Be(2);
        bins.Diagnostics.SkippedAtMid.Should().Be(1);
    }

    [Fact]
    public void Run_SameTimestampPrints_OneSweepCountedOnceAtItsFarthestDepth()
    {
        // Given one buy sweeping three levels at t=1 and a sell at the same time
        Quote[] quotes = [new(0, 99.99, 100.01), new(10, 99.99, 100.01)];
        Trade[] trades =
        [
            new(1, 100.01, 5, Aggressor.Buy),
            new(1, 100.02, 5, Aggressor.Buy),
            new(1, 99.98, 1, Aggressor.Sell),
            new(1, 100.03, 5, Aggressor.Buy),
        ];

        // When binned
        var bins = Bin(quotes, trades);

        // Then the sweep is one ask order reaching 0.03, and the sell is its own order
        bins.AskCounts.Should().Equal(1, 1, 1);
        bins.BidCounts.Should().Equal(1, 1, 0);
        bins.Diagnostics.PrintsMergedIntoSweeps.Should().Be(2);
    }

    [Fact]
    public void Run_QuoteAtTradeTimestamp_PrevailsForTheTrade()
    {
        // Given a quote moving the mid from 100 to 101 at t=5 and a buy at 101.02 at t=5
        Quote[] quotes = [new(0, 99.99, 100.01), new(5, 100.99, 101.01), new(10, 100.99, 101.01)];
        Trade[] trades = [new(5, 101.02, 1, Aggressor.Buy)];

        // When binned
        var bins = Bin(quotes, trades);

        // Then its depth is measured from 101 (0.02), not from 100 (1.02)
        bins.AskCounts.Should().Equal(1, 1, 0);
    }

    [Fact]
    public void Run_InvalidQuotes_ExcludedFromExposureAndTheirTradesSkipped()
    {
        // Given 10 s valid, 5 s with a missing ask, 5 s locked, 5 s crossed, then valid to t=30
        Quote[] quotes =
        [
            new(0, 99.99, 100.01), new(10, 99.99, double.NaN), new(15, 100, 100), new(20, 100.02, 100.01),
            new(25, 99.99, 100.01), new(30, 99.99, 100.01),
        ];
        Trade[] trades = [new(12, 100.05, 1, null), new(17, 100.05, 1, null), new(22, 100.05, 1, null), new(27, 100.05, 1, null)];

        // When binned
        var bins = Bin(quotes, trades);

        // Then exposure is 15 s, 15 s are invalid, and only the trade at t=27 counts
        bins.ObservedTime.Should().Be(15);
        bins.Diagnostics.InvalidQuoteTime.Should().Be(15);
        bins.Diagnostics.SkippedNoValidQuote.Should().Be(3);
        (bins.Diagnostics.QuotesMissingSide, bins.Diagnostics.QuotesLocked, bins.Diagnostics.QuotesCrossed).Should().Be((1L, 1L, 1L));
        bins.AskCounts[0].Should().Be(1);
    }

    [Fact]
    public void Run_TradesAfterLastQuote_SkippedAndReported()
    {
        // Given quotes up to t=10 and trades at 5, 10 (at the window's end: in) and 12 (after it)
        Quote[] quotes = [new(0, 99.99, 100.01), new(10, 99.99, 100.01)];
        Trade[] trades = [new(5, 100.05, 1, null), new(10, 100.05, 1, null), new(12, 100.05, 1, null)];

        // When binned
        var bins = Bin(quotes, trades);

        // Then two count, one is reported as after the last quote
        bins.AskCounts[0].Should().Be(2);
        bins.Diagnostics.SkippedAfterLastQuote.Should().Be(1);
    }

    [Fact]
    public void Run_SupersededQuotesAndZeroSize_Reported()
    {
        // Given two quotes at t=0 (the second prevails) and a zero-size print
        Quote[] quotes = [new(0, 89.99, 90.01), new(0, 99.99, 100.01), new(10, 99.99, 100.01)];
        Trade[] trades = [new(1, 100.02, 0, null), new(2, 100.02, 1, null)];

        // When binned
        var bins = Bin(quotes, trades);

        // Then the depth is from 100, the first quote held for no time, the zero-size print is skipped
        bins.AskCounts.Should().Equal(1, 1, 0);
        bins.Diagnostics.QuotesSuperseded.Should().Be(1);
        bins.Diagnostics.SkippedZeroSize.Should().Be(1);
        bins.ObservedTime.Should().Be(10);
    }

    [Fact]
    public void Run_TradeBeforeFirstQuote_ThrowsLocatedError()
    {
        // Given a trade at t=1 and the first quote at t=2
        Quote[] quotes = [new(2, 99.99, 100.01, Line: 2), new(10, 99.99, 100.01, Line: 3)];
        Trade[] trades = [new(1, 100.02, 1, null, Line: 2)];

        // When binned / Then the trade's file and line are named
        var act = () => Bin(quotes, trades);
        act.Should().Throw<InputException>().Where(e => e.File == "t.csv" && e.Line == 2 && e.Field == "time" && e.Message.Contains("before the first quote"));
    }

    [Fact]
    public void Run_AllTradesAfterQuotes_ThrowsEmptyOverlap()
    {
        // Given quotes over [0, 10] and trades at 20 and 30
        Quote[] quotes = [new(0, 99.99, 100.01), new(10, 99.99, 100.01)];
        Trade[] trades = [new(20, 100.02, 1, null), new(30, 100.02, 1, null)];

        // When binned / Then the overlap is reported empty, naming both spans
        var act = () => Bin(quotes, trades);
        act.Should().Throw<InputException>().Where(e => e.File == "t.csv" && e.Message.Contains("no trade falls within") && e.Message.Contains("[20, 30]"));
    }

    [Fact]
    public void Run_NoValidQuoteTime_Throws()
    {
        // Given only locked quotes
        Quote[] quotes = [new(0, 100, 100), new(10, 100, 100)];
        Trade[] trades = [new(5, 100.02, 1, null)];

        // When binned / Then there is no exposure to speak of
        var act = () => Bin(quotes, trades);
        act.Should().Throw<InputException>().Where(e => e.File == "q.csv" && e.Message.Contains("no time with a valid quote"));
    }

    [Fact]
    public void AddTrade_TimeGoesBack_ThrowsSortedError()
    {
        // Given a binner that has seen t=5
        var binner = new TapeBinner(Grid, "q.csv", "t.csv");
        binner.AddQuote(new Quote(0, 99.99, 100.01));
        binner.AddTrade(new Trade(5, 100.02, 1, null));

        // When a trade at t=4 follows / Then it is rejected as unsorted
        var act = () => binner.AddTrade(new Trade(4, 100.02, 1, null, Line: 7));
        act.Should().Throw<InputException>().Where(e => e.Line == 7 && e.Message.Contains("sorted"));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1.0)]
    public void AddTrade_BadSize_Throws(double size)
    {
        // Given a binner with a quote
        var binner = new TapeBinner(Grid, "q.csv", "t.csv");
        binner.AddQuote(new Quote(0, 99.99, 100.01));

        // When a NaN or negative size arrives / Then it is rejected naming the field
        var act = () => binner.AddTrade(new Trade(1, 100.02, size, null, Line: 3));
        act.Should().Throw<InputException>().Where(e => e.Field == "size" && e.Line == 3);
    }

    [Theory]
    [InlineData(new double[0])]
    [InlineData(new[] { 0.02, 0.01 })]
    [InlineData(new[] { -0.01, 0.01 })]
    [InlineData(new[] { double.NaN })]
    public void Constructor_BadGrid_Throws(double[] grid)
    {
        // Given an empty, decreasing, negative or NaN grid / When a binner is made / Then it is rejected
        var act = () => new TapeBinner(grid, "q", "t");
        act.Should().Throw<InputException>();
    }

    [Fact]
    public void FromTicks_Grid_IsOneToNTicks()
    {
        // Given 3 ticks of 0.01 / When the grid is built / Then it is 0.01, 0.02, 0.03 exactly as decimals read
        DepthGrid.FromTicks(3, 0.01).Should().Equal(0.01, 0.02, 0.03);
        var act = () => DepthGrid.FromTicks(0, 0.01);
        act.Should().Throw<InputException>();
        var zero = () => DepthGrid.FromTicks(3, 0);
        zero.Should().Throw<InputException>();
    }
}
