namespace MarketMaking.Core.Backtest;

/// <summary>A difference against the first strategy, with its standard error.</summary>
public sealed record ComparedDifference(Estimate Difference)
{
    public double TStatistic => Difference.Value / Difference.StandardError;

    /// <summary>|t| above 1.96 (two-sided 5%, normal approximation); an exactly zero difference is not significant.</summary>
    public bool Significant => Math.Abs(TStatistic) > 1.959963984540054;
}

/// <summary>
/// One strategy's line of the comparison table: P&amp;L, drawdown, inventory and tail risk, and its differences from
/// the first strategy. Profit, max drawdown and final |q| are paired path by path (common random numbers make them
/// precise); ES 95% is pooled over steps, so its difference uses the two batch-means errors as if independent
/// (conservative when the strategies' tails move together, as they do on common paths).
/// </summary>
public sealed record ComparisonRow(string Strategy, Estimate Profit, double ProfitStd, Estimate MaxDrawdown, Estimate FinalAbsInventory, double InventoryStd,
    Estimate Es95, ComparedDifference? ProfitDifference, ComparedDifference? DrawdownDifference, ComparedDifference? AbsInventoryDifference,
    ComparedDifference? Es95Difference);

public static class StrategyComparison
{
    public static IReadOnlyList<ComparisonRow> Rows(BacktestResult result)
    {
        var baseline = result.Strategies[0];
        var rows = new List<ComparisonRow>();
        foreach (var s in result.Strategies)
        {
            var first = ReferenceEquals(s, baseline);
            var m = s.Metrics;
            var es = m.Es95;
            var esBase = baseline.Metrics.Es95;
            rows.Add(new ComparisonRow(s.Name, m.Profit, m.ProfitStd, m.MaxDrawdown, Statistics.Mean(Abs(s.Outcomes.FinalInventory)), m.InventoryStd, es,
                first ? null : Paired(s.Outcomes.Pnl, baseline.Outcomes.Pnl),
                first ? null : Paired(s.Outcomes.MaxDrawdown, baseline.Outcomes.MaxDrawdown),
                first ? null : Paired(Abs(s.Outcomes.FinalInventory), Abs(baseline.Outcomes.FinalInventory)),
                first ? null : new ComparedDifference(new Estimate(es.Value - esBase.Value,
                    Math.Sqrt(es.StandardError * es.StandardError + esBase.StandardError * esBase.StandardError)))));
        }
        return rows;
    }

    private static double[] Abs(double[] values)
    {
        // A loop: LINQ over doubles is compiled at run time in every process.
        var result = new double[values.Length];
        for (var p = 0; p < values.Length; p++) result[p] = Math.Abs(values[p]);
        return result;
    }

    private static ComparedDifference Paired(double[] a, double[] b)
    {
        var difference = new double[a.Length];
        for (var p = 0; p < a.Length; p++) difference[p] = a[p] - b[p];
        return new ComparedDifference(Statistics.Mean(difference));
    }
}
