using MarketMaking.Core.Backtest;

namespace MarketMaking.Core.Tests.Backtest;

public class ComparisonTests
{
    [Fact]
    public void Rows_PairedFigures_MatchTwoPassStatisticsOfStoredDifferences()
    {
        // Given the paper's two strategies on the same 301 paths
        var result = Backtester.Run(PaperSetting.Spec(0.1, 301)); // 301: the vector loops take four paths at a time, and one is left over
        var a = result.Strategies[1].Outcomes;
        var b = result.Strategies[0].Outcomes;

        // When the comparison table is built (its differences are read path by path, never stored)
        var rows = StrategyComparison.Rows(result);

        // Then each paired figure is bit-identical to the statistics of the differences written out
        double[] Paired(Func<int, double> value) => Enumerable.Range(0, 301).Select(value).ToArray();
        rows[1].ProfitDifference!.Difference.Should().Be(Statistics.Mean(Paired(p => a.Pnl[p] - b.Pnl[p])));
        rows[1].DrawdownDifference!.Difference.Should().Be(Statistics.Mean(Paired(p => a.MaxDrawdown[p] - b.MaxDrawdown[p])));
        rows[1].AbsInventoryDifference!.Difference.Should().Be(Statistics.Mean(Paired(p => Math.Abs(a.FinalInventory[p]) - Math.Abs(b.FinalInventory[p]))));
        rows[0].FinalAbsInventory.Should().Be(Statistics.Mean(Paired(p => Math.Abs(b.FinalInventory[p]))));
        rows[0].ProfitDifference.Should().BeNull();
        // and the backtest's own paired difference is the same figure
        result.Differences[0].Profit.Should().Be(rows[1].ProfitDifference!.Difference);
        rows[1].ProfitDifference!.Difference.StandardError.Should().BeGreaterThan(0);
    }
}
