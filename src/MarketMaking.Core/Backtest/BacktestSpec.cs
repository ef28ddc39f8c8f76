using MarketMaking.Core.Intensity;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;

namespace MarketMaking.Core.Backtest;

/// <summary>
/// Everything a backtest needs. Validated by <see cref="Validate"/> (called by <see cref="Backtester.Run"/>); field
/// names in errors are the YAML keys, so the loader can locate them.
/// </summary>
public sealed record BacktestSpec
{
    public required IMarket Market { get; init; }

    /// <summary>λ(δ) for the bid side: arrivals of sell orders that reach a bid δ below the mid.</summary>
    public required IIntensityModel BidIntensity { get; init; }

    /// <summary>λ(δ) for the ask side; the same model as the bid unless per-side fits are given.</summary>
    public required IIntensityModel AskIntensity { get; init; }

    public required IFillModel Fills { get; init; }

    /// <summary>The strategy first, then the ones compared with it on the same paths.</summary>
    public required IReadOnlyList<IQuotingStrategy> Strategies { get; init; }

    public int Paths { get; init; } = 1;
    public ulong Seed { get; init; } = 1;

    /// <summary>Worker threads; 0 means one per core. Results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Inventory cap q_max (|q| never exceeds it), or null for none.</summary>
    public double? MaxInventory { get; init; }

    /// <summary>Quote size v posted by strategies that do not size their quotes themselves.</summary>
    public double QuoteSize { get; init; } = 1.0;

    /// <summary>Cost per unit of the hedge instrument traded (half-spread plus fees), when the market has one.</summary>
    public double HedgeCost { get; init; }

    /// <summary>Markout horizons, in steps.</summary>
    public IReadOnlyList<int> MarkoutHorizons { get; init; } = [1, 10, 50];

    /// <summary>Keep every Nth step of path 0's time series; 0 chooses automatically (every step up to 200 000 steps).</summary>
    public int TimeseriesEvery { get; init; }

    /// <summary>Record the fills of every path, not only path 0.</summary>
    public bool AllFills { get; init; }

    /// <summary>Paths (the first ones) whose every step is kept for quantiles: fans, VaR/ES, markout distributions.</summary>
    public int DistributionPaths { get; init; } = 1000;

    /// <summary>
    /// Keep every per-path outcome in <see cref="PathOutcomes"/>, not only P&amp;L, Sharpe ratio, final inventory and drawdown (for
    /// reports of every path's outcomes; the summary statistics do not need them).
    /// </summary>
    public bool KeepPathOutcomes { get; init; }

    public void Validate()
    {
        Guard.AtLeast(Paths, 1, "paths");
        Guard.AtLeast(Threads, 0, "threads");
        Guard.Positive(QuoteSize, "quote_size");
        Guard.NonNegative(HedgeCost, "hedge_cost");
        if (MaxInventory is double cap)
        {
            Guard.Positive(cap, "max_inventory");
            if (cap < QuoteSize)
            {
                throw new InputException($"must be at least quote_size ({Guard.Format(QuoteSize)}), or no quote could ever be posted, got {Guard.Format(cap)}", field: "max_inventory");
            }
        }
        if (Strategies.Count == 0) throw new InputException("no strategy to run", field: "strategy");
        Guard.UniqueNames(Strategies, s => s.Name, "strategy", "compare");
        if (MarkoutHorizons.Count == 0) throw new InputException("give at least one markout horizon", field: "markout_horizons");
        // Loops rather than LINQ over ints: framework generics over value types are compiled at run time in every process.
        for (var i = 0; i < MarkoutHorizons.Count; i++)
        {
            var h = MarkoutHorizons[i];
            Guard.AtLeast(h, 1, "markout_horizons");
            if (h > 1_000_000) throw new InputException("markout horizons above 1000000 steps are not supported", field: "markout_horizons");
            for (var j = 0; j < i; j++)
            {
                if (MarkoutHorizons[j] == h) throw new InputException("markout horizons repeat", field: "markout_horizons");
            }
        }
        Guard.AtLeast(TimeseriesEvery, 0, "timeseries_every");
        Guard.AtLeast(DistributionPaths, 1, "distribution_paths");
    }
}
