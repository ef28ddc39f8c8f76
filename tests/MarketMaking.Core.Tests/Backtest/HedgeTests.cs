using MarketMaking.Core.Backtest;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Tests.Backtest;

public class HedgeTests
{
    /// <summary>A walk of 400 steps and a second instrument that moves with it plus noise.</summary>
    private static SeriesMarket Market()
    {
        var rng = new Xoshiro256StarStar(9);
        var mid = new double[401];
        var hedge = new double[401];
        mid[0] = 100;
        hedge[0] = 50;
        for (var i = 1; i < mid.Length; i++)
        {
            var move = rng.NextGaussian() * 0.1;
            mid[i] = mid[i - 1] + move;
            hedge[i] = hedge[i - 1] + move + rng.NextGaussian() * 0.02;
        }
        return new SeriesMarket(mid, null, 0.005, hedge);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void Run_HedgingStrategy_PnlIsSpreadCapturePlusInventoryPlusHedge(double cost)
    {
        // Given a strategy that quotes ±0.5 and hedges its whole inventory every step, with a cost per unit traded
        var spec = PaperSetting.Spec(0.1, 40) with { Market = Market(), Strategies = [new HedgeAll()], HedgeCost = cost, KeepPathOutcomes = true };

        // When run
        var result = Backtester.Run(spec);

        // Then on every path: total = spread capture + inventory P&L + hedge P&L, and the hedge really traded
        var o = result.Strategies[0].Outcomes;
        for (var p = 0; p < o.Pnl.Length; p++)
        {
            (o.SpreadCapture![p] + o.InventoryPnl![p] + o.HedgePnl![p]).Should().BeApproximately(o.Pnl[p], 1e-9 * (1 + Math.Abs(o.Pnl[p])));
        }
        o.HedgePnl.Should().Contain(h => h != 0);
        // and hedging takes the mid's moves out: inventory and hedge P&L nearly cancel (only the noise and fills in between remain)
        var carry = o.InventoryPnl!.Select((x, p) => Math.Abs(x + o.HedgePnl![p])).Average();
        carry.Should().BeLessThan(o.InventoryPnl!.Select(Math.Abs).Average());
    }

    [Fact]
    public void Run_HedgeCost_ChargedPerUnitTraded()
    {
        // Given the same paths with and without a cost
        var free = Backtester.Run(PaperSetting.Spec(0.1, 20) with { Market = Market(), Strategies = [new HedgeAll()], KeepPathOutcomes = true });
        var costly = Backtester.Run(PaperSetting.Spec(0.1, 20) with { Market = Market(), Strategies = [new HedgeAll()], HedgeCost = 0.01, KeepPathOutcomes = true });

        // Then fills are unchanged (the hedge does not touch the quotes) and P&L falls by the cost
        costly.Strategies[0].Outcomes.Fills.Should().Equal(free.Strategies[0].Outcomes.Fills);
        for (var p = 0; p < 20; p++)
        {
            costly.Strategies[0].Outcomes.Pnl[p].Should().BeLessThan(free.Strategies[0].Outcomes.Pnl[p]);
        }
    }

    [Fact]
    public void Run_Hedged_OneVersusTwoThreadsIdentical()
    {
        var spec = PaperSetting.Spec(0.1, 300) with { Market = Market(), Strategies = [new HedgeAll(), new SymmetricStrategy(0.1, 1.5, 2.0)], KeepPathOutcomes = true };

        var one = Backtester.Run(spec with { Threads = 1 });
        var two = Backtester.Run(spec with { Threads = 2 });

        for (var s = 0; s < 2; s++)
        {
            one.Strategies[s].Outcomes.Pnl.Should().Equal(two.Strategies[s].Outcomes.Pnl);
            one.Strategies[s].Outcomes.HedgePnl.Should().Equal(two.Strategies[s].Outcomes.HedgePnl);
        }
        // A strategy that never hedges has no hedge P&L.
        one.Strategies[1].Outcomes.HedgePnl.Should().OnlyContain(h => h == 0);
    }

    [Fact]
    public void Spec_NegativeHedgeCost_Throws()
    {
        ((Action)(() => Backtester.Run(PaperSetting.Spec(0.1, 2) with { HedgeCost = -1 }))).Should().Throw<InputException>().Which.Field.Should().Be("hedge_cost");
    }

    /// <summary>Quotes ±0.5 around the mid and trades the hedge so that its position is minus the inventory.</summary>
    private sealed record HedgeAll : IQuotingStrategy
    {
        public string Name => "hedge-all";

        public IQuoter CreateQuoter(in QuoterSetup setup) => new Quoter();

        private sealed class Quoter : IQuoter
        {
            public void Quote(in QuoteRequest request, in QuoteResponse response)
            {
                for (var i = 0; i < request.Mid.Length; i++)
                {
                    response.Bid[i] = request.Mid[i] - 0.5;
                    response.Ask[i] = request.Mid[i] + 0.5;
                    response.Hedge[i] = -request.Inventory[i] - request.HedgePosition[i];
                }
            }
        }
    }
}
