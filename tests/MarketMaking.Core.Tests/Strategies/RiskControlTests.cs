using MarketMaking.Core.Quoting;
using MarketMaking.Core.Strategies;
using MarketMaking.Core.Volatility;

namespace MarketMaking.Core.Tests.Strategies;

/// <summary>Seed-002 risk controls, step by step on one quoter: refresh, cancel on fill, daily stop, stop-loss.</summary>
public class RiskControlTests
{
    private const int Lanes = 4;
    private static readonly VolatilitySettings Vol = new(new Garch11Parameters(0, 0.0014 * 0.0014 * 0.1, 0.05, 0.85), 0.0014 * 0.0014, new double[20]);

    private static IQuoter Quoter(RiskControls risk) => new PipelineStrategy(new PipelineSettings
    {
        Name = "heuristic",
        Spread = new SpreadStage(SpreadMode.Fixed, baseSpreadBps: 10),
        InventoryLimit = 10,
        Volatility = Vol,
        Risk = risk,
    }).CreateQuoter(new QuoterSetup(Lanes, 0, 200, 1.0, 0.005, 1.0));

    private sealed record Step(double[] Bid, double[] Ask, double[] BidSize, double[] AskSize);

    private static Step Quote(IQuoter quoter, int step, double mid, double q = 0, double cash = 0, double bought = 0, double sold = 0)
    {
        double[] mids = [mid, mid, mid, mid], inventory = [q, q, q, q], cashes = [cash, cash, cash, cash];
        double[] bidFill = [bought, bought, bought, bought], askFill = [sold, sold, sold, sold], zero = new double[Lanes];
        double[] bid = new double[Lanes], ask = new double[Lanes], bidSize = [1, 1, 1, 1], askSize = [1, 1, 1, 1], hedge = new double[Lanes];
        quoter.Quote(new QuoteRequest(step, step * 0.005, 1 - step * 0.005, 0.005, mids, inventory, cashes, bidFill, askFill, zero, zero),
            new QuoteResponse(bid, ask, bidSize, askSize, hedge));
        return new Step(bid, ask, bidSize, askSize);
    }

    private static bool Posted(double price, double size) => size > 0 && double.IsFinite(price);

    [Fact]
    public void QuoteRefresh_FiveSteps_PricesStandBetweenRefreshes()
    {
        // Given quotes refreshed every 5 steps and a mid that moves every step
        var quoter = Quoter(new RiskControls(quoteRefresh: 5));
        var first = Quote(quoter, 0, 100);

        // When steps 1..4 quote on a moved mid, Then the posted prices stand; at step 5 they follow the mid
        for (var step = 1; step < 5; step++)
        {
            var standing = Quote(quoter, step, 100 + step * 0.1);
            standing.Bid[0].Should().Be(first.Bid[0], $"step {step} is inside the refresh interval");
        }
        Quote(quoter, 5, 100.5).Bid[0].Should().BeGreaterThan(first.Bid[0] + 0.4);
    }

    [Fact]
    public void CancelOnFill_AfterABidFill_WithdrawsTheAskForOneStep()
    {
        var quoter = Quoter(new RiskControls(cancelOnFill: true));
        Quote(quoter, 0, 100);

        var afterFill = Quote(quoter, 1, 100, q: 1, cash: -100, bought: 1);
        var next = Quote(quoter, 2, 100, q: 1, cash: -100);

        Posted(afterFill.Ask[0], afterFill.AskSize[0]).Should().BeFalse("the side opposite the fill is withdrawn");
        Posted(afterFill.Bid[0], afterFill.BidSize[0]).Should().BeTrue();
        Posted(next.Ask[0], next.AskSize[0]).Should().BeTrue("only for one step");
    }

    [Fact]
    public void DailyStop_LossBeyondLimit_StopsQuotingForTheDay()
    {
        // Given a daily stop at 1% of a capital of 100, a day's mark starting at 0
        var quoter = Quoter(new RiskControls(dailyStop: 0.01, capital: 100));
        var before = Quote(quoter, 0, 100);

        // When the mark falls to −5 (below −1)
        var stopped = Quote(quoter, 1, 100, cash: -5);
        var later = Quote(quoter, 2, 100, cash: -5);

        // Then nothing is posted from then on
        Posted(before.Bid[0], before.BidSize[0]).Should().BeTrue();
        Posted(stopped.Bid[0], stopped.BidSize[0]).Should().BeFalse();
        Posted(stopped.Ask[0], stopped.AskSize[0]).Should().BeFalse();
        Posted(later.Bid[0], later.BidSize[0]).Should().BeFalse();
    }

    [Fact]
    public void StopLoss_LosingLongPosition_QuotesOnlyTheReducingSideAtTheMid()
    {
        // Given a long position of 2 costed at 100 and a 2.5% stop-loss
        var quoter = Quoter(new RiskControls(stopLoss: 0.025));
        Quote(quoter, 0, 100, q: 2, cash: -200);

        // When the mid falls 10%
        var exit = Quote(quoter, 1, 90, q: 2, cash: -200);

        // Then only the ask is posted, at the mid
        Posted(exit.Bid[0], exit.BidSize[0]).Should().BeFalse();
        Posted(exit.Ask[0], exit.AskSize[0]).Should().BeTrue();
        exit.Ask[0].Should().Be(90);
    }
}
