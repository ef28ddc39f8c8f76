using MarketMaking.Core.Backtest;

namespace MarketMaking.Core.Scenarios;

/// <summary>
/// One cell's results, self-contained: everything the sweep's reports use, so that a shard can store it and a merge
/// rebuild the same reports from it. Metrics mean what they mean in backtest_summary.json.
/// </summary>
public sealed record ScenarioCellResult
{
    public required int Cell { get; init; }
    public required string Regime { get; init; }
    public required double Gamma { get; init; }
    public required CellMetrics Metrics { get; init; }

    /// <summary>Terminal P&amp;L per path (for the criterion and the paired comparison of γ's).</summary>
    public required double[] PathPnl { get; init; }

    /// <summary>Step-P&amp;L Sharpe per path (NaN when a path's P&amp;L never moved).</summary>
    public required double[] PathSharpe { get; init; }

    /// <summary>Times of the fan rows, and the 5/25/50/75/95 % quantiles of P&amp;L and inventory across the distribution paths.</summary>
    public required double[] FanTime { get; init; }
    public required double[][] PnlFan { get; init; }
    public required double[][] InventoryFan { get; init; }

    /// <summary>Path 0 (the same mid for every γ of the regime): time, mid, bid, ask (NaN = not posted), inventory.</summary>
    public required double[] Path0Time { get; init; }
    public required double[] Path0Mid { get; init; }
    public required double[] Path0Bid { get; init; }
    public required double[] Path0Ask { get; init; }
    public required double[] Path0Inventory { get; init; }

    /// <summary>Per-fill markout quantiles at the first horizon, at <see cref="ScenarioSweep.MarkoutProbabilities"/>.</summary>
    public required double[] MarkoutQuantiles { get; init; }

    /// <summary>Every path's outcomes, only with --keep-paths.</summary>
    public KeptPaths? Kept { get; init; }

    public static ScenarioCellResult From(int cell, string regime, double gamma, BacktestResult backtest, bool keepPaths)
    {
        var strategy = backtest.Strategies[0];
        var m = strategy.Metrics;
        var markout = m.Markouts[0];
        var outcomes = strategy.Outcomes;
        var metrics = new CellMetrics
        {
            Paths = m.Paths,
            AvgSpread = m.AvgSpread.Value,
            ProfitMean = m.Profit.Value,
            ProfitStd = m.ProfitStd,
            ProfitSe = m.Profit.StandardError,
            Sharpe = m.Sharpe.Value,
            SharpeSe = m.Sharpe.StandardError,
            FinalQMean = m.FinalInventory.Value,
            FinalQStd = m.FinalInventoryStd,
            InventoryStd = m.InventoryStd,
            MaxAbsInventory = m.MaxAbsInventory,
            Fills = m.Fills.Value,
            SpreadCapture = m.SpreadCapture.Value,
            InventoryPnl = m.InventoryPnl.Value,
            AdverseSelection = m.AdverseSelection.Value,
            MaxDrawdown = m.MaxDrawdown.Value,
            Var95 = m.Var95.Value,
            Var95Se = m.Var95.StandardError,
            Var99 = m.Var99.Value,
            Var99Se = m.Var99.StandardError,
            Es95 = m.Es95.Value,
            PnlP05 = m.PnlP05.Value,
            MarkoutHorizon = markout.Horizon,
            MarkoutMean = markout.MarkoutMean,
            MarkoutP05 = markout.MarkoutP05,
            MarkoutP95 = markout.MarkoutP95,
            MarkoutFills = markout.SampledFills,
        };
        var markoutQuantiles = new double[ScenarioSweep.MarkoutProbabilities.Length];
        Statistics.Quantiles((double[])strategy.MarkoutSamples[0].Clone(), ScenarioSweep.MarkoutProbabilities, markoutQuantiles);
        var path0 = strategy.Path0;
        var times = new Dictionary<int, double>(path0.Step.Length);
        for (var i = 0; i < path0.Step.Length; i++) times[path0.Step[i]] = path0.Time[i];
        return new ScenarioCellResult
        {
            Cell = cell,
            Regime = regime,
            Gamma = gamma,
            Metrics = metrics,
            PathPnl = outcomes.Pnl,
            PathSharpe = outcomes.Sharpe,
            FanTime = strategy.PnlFan.Step.Select(s => times.TryGetValue(s, out var t) ? t : double.NaN).ToArray(),
            PnlFan = strategy.PnlFan.Values,
            InventoryFan = strategy.InventoryFan.Values,
            Path0Time = path0.Time,
            Path0Mid = path0.Mid,
            Path0Bid = path0.Bid,
            Path0Ask = path0.Ask,
            Path0Inventory = path0.Inventory,
            MarkoutQuantiles = markoutQuantiles,
            Kept = keepPaths
                ? new KeptPaths
                {
                    FinalInventory = outcomes.FinalInventory,
                    SpreadCapture = KeptOutcome(outcomes.SpreadCapture),
                    InventoryPnl = KeptOutcome(outcomes.InventoryPnl),
                    AdverseSelection = KeptOutcome(outcomes.AdverseSelection)[0],
                    Fills = KeptOutcome(outcomes.Fills),
                    AverageSpread = KeptOutcome(outcomes.AverageSpread),
                    MaxDrawdown = outcomes.MaxDrawdown,
                    MaxAbsInventory = KeptOutcome(outcomes.MaxAbsInventory),
                }
                : null,
        };
    }

    private static T KeptOutcome<T>(T? values)
        where T : class =>
        values ?? throw new InvalidOperationException("every path's outcomes were asked for, but the backtest ran without KeepPathOutcomes");
}

/// <summary>A cell's summary figures (scenarios_summary.csv's columns), as in backtest_summary.json.</summary>
public sealed record CellMetrics
{
    public required int Paths { get; init; }
    public required double AvgSpread { get; init; }
    public required double ProfitMean { get; init; }
    public required double ProfitStd { get; init; }
    public required double ProfitSe { get; init; }
    public required double Sharpe { get; init; }
    public required double SharpeSe { get; init; }
    public required double FinalQMean { get; init; }
    public required double FinalQStd { get; init; }
    public required double InventoryStd { get; init; }
    public required double MaxAbsInventory { get; init; }
    public required double Fills { get; init; }
    public required double SpreadCapture { get; init; }
    public required double InventoryPnl { get; init; }
    public required double AdverseSelection { get; init; }
    public required double MaxDrawdown { get; init; }
    public required double Var95 { get; init; }
    public required double Var95Se { get; init; }
    public required double Var99 { get; init; }
    public required double Var99Se { get; init; }
    public required double Es95 { get; init; }
    public required double PnlP05 { get; init; }
    public required int MarkoutHorizon { get; init; }
    public required double MarkoutMean { get; init; }
    public required double MarkoutP05 { get; init; }
    public required double MarkoutP95 { get; init; }
    public required int MarkoutFills { get; init; }
}

/// <summary>Per-path outcomes kept with --keep-paths (P&amp;L and Sharpe are always kept).</summary>
public sealed record KeptPaths
{
    public required double[] FinalInventory { get; init; }
    public required double[] SpreadCapture { get; init; }
    public required double[] InventoryPnl { get; init; }

    /// <summary>At the first markout horizon.</summary>
    public required double[] AdverseSelection { get; init; }

    public required double[] Fills { get; init; }
    public required double[] AverageSpread { get; init; }
    public required double[] MaxDrawdown { get; init; }
    public required double[] MaxAbsInventory { get; init; }
}
