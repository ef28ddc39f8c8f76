using System.Runtime.Intrinsics;

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
            rows.Add(new ComparisonRow(s.Name, m.Profit, m.ProfitStd, m.MaxDrawdown, MeanOf(new PathValues(s.Outcomes.FinalInventory, null, Absolute: true)), m.InventoryStd, es,
                first ? null : new ComparedDifference(PairedMean(s.Outcomes.Pnl, baseline.Outcomes.Pnl)),
                first ? null : new ComparedDifference(PairedMean(s.Outcomes.MaxDrawdown, baseline.Outcomes.MaxDrawdown)),
                first ? null : new ComparedDifference(MeanOf(new PathValues(s.Outcomes.FinalInventory, baseline.Outcomes.FinalInventory, Absolute: true))),
                first ? null : new ComparedDifference(new Estimate(es.Value - esBase.Value,
                    Math.Sqrt(es.StandardError * es.StandardError + esBase.StandardError * esBase.StandardError)))));
        }
        return rows;
    }

    /// <summary>The mean of a − b path by path, with its standard error (common random numbers make it precise).</summary>
    public static Estimate PairedMean(double[] a, double[] b) => MeanOf(new PathValues(a, b, Absolute: false));

    private static Estimate MeanOf(PathValues values) => Moments.Of(values).Estimate;

    /// <summary>f(a) − f(b) path by path (f(a) when b is null), f the absolute value or the identity: read, not stored.</summary>
    private readonly record struct PathValues(double[] A, double[]? B, bool Absolute) : IIndexedSample
    {
        public int Length => A.Length;
        public double this[int path] => B is null ? F(A[path]) : F(A[path]) - F(B[path]);

        // The same operations on two paths at once (an absolute value clears the sign bit either way).
        public Vector128<double> Pair(int path) => B is null ? F(Vector128.Create(A.AsSpan(path, 2))) : F(Vector128.Create(A.AsSpan(path, 2))) - F(Vector128.Create(B.AsSpan(path, 2)));

        private double F(double v) => Absolute ? Math.Abs(v) : v;

        private Vector128<double> F(Vector128<double> v) => Absolute ? Vector128.Abs(v) : v;
    }
}
