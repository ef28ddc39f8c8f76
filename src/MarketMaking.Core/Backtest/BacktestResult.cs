namespace MarketMaking.Core.Backtest;

/// <summary>The outcome of a backtest: one entry per strategy, all run on the same market paths.</summary>
public sealed record BacktestResult
{
    public required BacktestSpec Spec { get; init; }
    public required int Steps { get; init; }
    public required double Horizon { get; init; }

    /// <summary>Step stride of <see cref="StrategyResult.Path0"/>.</summary>
    public required int TimeseriesEvery { get; init; }

    /// <summary>Paths kept whole for quantiles (the first ones).</summary>
    public required int DistributionPaths { get; init; }

    public required IReadOnlyList<StrategyResult> Strategies { get; init; }

    /// <summary>Per-step quantiles of the mid across the distribution paths (the same for every strategy).</summary>
    public required FanSeries MidFan { get; init; }

    /// <summary>Profit of each compared strategy minus the first one's, path by path (common random numbers make this precise).</summary>
    public IReadOnlyList<PairedDifference> Differences { get; init; } = [];
}

public sealed record PairedDifference(string Strategy, string Baseline, Estimate Profit)
{
    /// <summary>Profit difference over its standard error.</summary>
    public double TStatistic => Profit.Value / Profit.StandardError;

    /// <summary>|t| above 1.96: different at the 5% level (two-sided, normal approximation).</summary>
    public bool Significant => Math.Abs(TStatistic) > 1.959963984540054;
}

public sealed record StrategyResult
{
    public required string Name { get; init; }
    public required StrategyMetrics Metrics { get; init; }
    public required PathOutcomes Outcomes { get; init; }
    public required PathSeries Path0 { get; init; }
    public required FanSeries PnlFan { get; init; }
    public required FanSeries InventoryFan { get; init; }

    /// <summary>Fills of path 0 (every path's with <see cref="BacktestSpec.AllFills"/>), in path then step order.</summary>
    public required IReadOnlyList<FillRecord> Fills { get; init; }

    /// <summary>True when <see cref="Fills"/> hit the record limit and stops early.</summary>
    public required bool FillsTruncated { get; init; }

    /// <summary>Per-fill markouts (per unit, side·(S_{t+h} − price)) of the distribution paths, one array per horizon.</summary>
    public required IReadOnlyList<double[]> MarkoutSamples { get; init; }

    /// <summary>The strategy's own per-path quantities (<see cref="Quoting.IDiagnosticStrategy"/>): regimes, pauses, hedge residual.</summary>
    public IReadOnlyList<StrategyDiagnostic> Diagnostics { get; init; } = [];
}

/// <summary>One diagnostic of a strategy: its value per path and their mean ± SE.</summary>
public sealed record StrategyDiagnostic(string Name, double[] PerPath, Estimate Mean);

/// <summary>
/// Per-path outcomes, indexed by path. P&amp;L, Sharpe ratio, final inventory and maximum drawdown are always kept
/// (histograms, tails, paired comparisons); the rest only with <see cref="BacktestSpec.KeepPathOutcomes"/>, null otherwise. The summary
/// statistics do not need them: they come from each batch's moments.
/// </summary>
public sealed record PathOutcomes
{
    public required double[] Pnl { get; init; }
    public required double[] FinalInventory { get; init; }
    public required double[] MaxDrawdown { get; init; }
    public required double[] Sharpe { get; init; }

    public required double[]? SpreadCapture { get; init; }
    public required double[]? InventoryPnl { get; init; }

    /// <summary>P&amp;L of the hedge instrument (its carry minus trading costs); zero without one. Pnl = SpreadCapture + InventoryPnl + HedgePnl.</summary>
    public required double[]? HedgePnl { get; init; }

    public required double[]? Fills { get; init; }
    public required double[]? AverageSpread { get; init; }
    public required double[]? Sortino { get; init; }
    public required double[]? InventoryMean { get; init; }
    public required double[]? InventoryM2 { get; init; }
    public required double[]? MaxAbsInventory { get; init; }

    /// <summary>Adverse selection per path, one array per markout horizon: Σ over fills of −signed quantity·(S_{t+h} − S_t).</summary>
    public required double[][]? AdverseSelection { get; init; }
}

public sealed record StrategyMetrics
{
    public required int Paths { get; init; }
    public required Estimate AvgSpread { get; init; }
    public required Estimate Profit { get; init; }
    public required double ProfitStd { get; init; }
    public required Estimate FinalInventory { get; init; }
    public required double FinalInventoryStd { get; init; }
    public required double InventoryMean { get; init; }
    public required double InventoryStd { get; init; }
    public required double MaxAbsInventory { get; init; }
    public required Estimate Fills { get; init; }
    public required Estimate SpreadCapture { get; init; }
    public required Estimate InventoryPnl { get; init; }
    public required Estimate HedgePnl { get; init; }
    public required IReadOnlyList<MarkoutMetrics> Markouts { get; init; }

    /// <summary>Adverse selection at the first (shortest) horizon.</summary>
    public Estimate AdverseSelection => Markouts[0].AdverseSelection;

    public required Estimate Sharpe { get; init; }
    public required Estimate Sortino { get; init; }
    public required Estimate MaxDrawdown { get; init; }
    public required Estimate Var95 { get; init; }
    public required Estimate Es95 { get; init; }
    public required Estimate Var99 { get; init; }
    public required Estimate Es99 { get; init; }
    public required Estimate PnlP05 { get; init; }
}

/// <param name="AdverseSelection">Per path: cost of the mid moving against the fills within h steps (positive = cost).</param>
/// <param name="MarkoutMean">Per fill and unit: side·(S_{t+h} − price), from the distribution paths.</param>
public sealed record MarkoutMetrics(int Horizon, Estimate AdverseSelection, double MarkoutMean, double MarkoutP05, double MarkoutP95, int SampledFills);

/// <summary>A fill: side +1 bought at the bid, −1 sold at the ask.</summary>
public readonly record struct FillRecord(int Path, int Step, double Time, int Side, double Price, double Mid, double Quantity, double InventoryAfter, double[] Markouts);

/// <summary>One path's state at the recorded steps: time t_i, mid S_i, the quotes posted at t_i (NaN if not posted), inventory, cash and P&amp;L before that step's fills, and the step's fills.</summary>
public sealed record PathSeries(int[] Step, double[] Time, double[] Mid, double[] Bid, double[] Ask, double[] Inventory, double[] Cash, double[] Pnl, double[] BidFill, double[] AskFill);

/// <summary>Quantiles across paths at recorded steps: Values[q][row] for probability Probabilities[q].</summary>
public sealed record FanSeries(int[] Step, double[] Probabilities, double[][] Values);
