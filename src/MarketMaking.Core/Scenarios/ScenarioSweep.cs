using MarketMaking.Core.Backtest;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Scenarios;

/// <summary>What a sweep's report needs besides the cells: the grid and the criterion's λ.</summary>
public sealed record ScenarioGrid(IReadOnlyList<ScenarioRegime> Regimes, IReadOnlyList<double> Gammas, double Lambda, ulong Seed, int Paths)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public int CellCount => Regimes.Count * Gammas.Count;
}

/// <summary>
/// Runs a regime × γ grid with <see cref="Backtester.Run"/> per cell (seed 001, done properly). Every γ of a regime
/// runs on the regime's seed, derived from the sweep seed and the regime's name: the same mid paths and fill draws
/// (common random numbers), so γ's are compared path by path; a regime's numbers do not change when other regimes or
/// γ's are added, nor with the order, thread count or shard that runs them.
/// </summary>
public static class ScenarioSweep
{
    /// <summary>Probabilities of the stored per-fill markout quantiles (0, 1, …, 100 %): enough to draw the distribution.</summary>
    public static readonly double[] MarkoutProbabilities = Enumerable.Range(0, 101).Select(i => i / 100.0).ToArray();

    public static ScenarioGrid Grid(ScenarioSpec spec) =>
        new(spec.Regimes, spec.Gammas, spec.Lambda, spec.Seed, spec.Cells[0].Spec.Paths);

    /// <summary>The seed of every cell of a regime: xoshiro stream (seed, FNV-1a hash of the name), first output.</summary>
    public static ulong RegimeSeed(ulong seed, string regime)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in regime)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return Xoshiro256StarStar.ForStream(seed, hash).NextUInt64();
    }

    /// <summary>Runs the cells of the spec's shard, in cell order in the result. <paramref name="progress"/> gets 1 per finished cell.</summary>
    public static IReadOnlyList<ScenarioCellResult> Run(ScenarioSpec spec, IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        var cells = spec.Cells.Where(c => spec.Shard.Contains(c.Index)).ToArray();
        var results = new ScenarioCellResult[cells.Length];
        if (cells.Length == 0) return results;
        var threads = spec.Threads > 0 ? spec.Threads : Environment.ProcessorCount;
        // Cells in parallel, and a cell's path batches on the threads left over: the results never depend on the split.
        var outer = Math.Min(threads, cells.Length);
        var inner = Math.Max(1, threads / outer);
        var options = new ParallelOptions { MaxDegreeOfParallelism = outer, CancellationToken = cancel };
        try
        {
            Parallel.For(0, cells.Length, options, i =>
            {
                var cell = cells[i];
                var regime = spec.Regimes[cell.RegimeIndex];
                var backtest = Backtester.Run(cell.Spec with { Seed = RegimeSeed(spec.Seed, regime.Name), Threads = inner, KeepPathOutcomes = spec.KeepPaths }, cancel);
                results[i] = ScenarioCellResult.From(cell.Index, regime.Name, spec.Gammas[cell.GammaIndex], backtest, spec.KeepPaths);
                progress?.Report(1);
            });
        }
        catch (AggregateException e) when (e.InnerException is InputException or OperationCanceledException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        return results;
    }
}
