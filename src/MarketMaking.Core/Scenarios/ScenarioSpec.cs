using System.Globalization;
using MarketMaking.Core.Backtest;

namespace MarketMaking.Core.Scenarios;

/// <summary>A market regime of the sweep: the drift μ and volatility σ of the mid (the strategy assumes the same σ).</summary>
public sealed record ScenarioRegime
{
    public ScenarioRegime(string name, double drift, double sigma)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new InputException("a regime needs a name", field: "regimes");
        Name = name;
        Drift = Guard.Finite(drift, "drift");
        Sigma = Guard.NonNegative(sigma, "sigma");
    }

    public string Name { get; }
    public double Drift { get; }
    public double Sigma { get; }
}

/// <summary>One cell of the grid: a regime, a risk aversion, and the backtest that runs it (its seed is set by the sweep).</summary>
public sealed record ScenarioCell(int Index, int RegimeIndex, int GammaIndex, BacktestSpec Spec);

/// <summary>
/// A regime × γ sweep. Cells are regime-major (cell = regime·|γ| + γ index). Every cell's backtest is complete apart
/// from its seed and threads, which <see cref="ScenarioSweep"/> sets.
/// </summary>
public sealed record ScenarioSpec
{
    public ScenarioSpec(IReadOnlyList<ScenarioRegime> regimes, IReadOnlyList<double> gammas, IReadOnlyList<BacktestSpec> cellSpecs, double lambda)
    {
        if (regimes.Count == 0) throw new InputException("the grid is empty: give at least one regime", field: "regimes");
        if (gammas.Count == 0) throw new InputException("the grid is empty: give at least one γ", field: "gammas");
        foreach (var g in gammas) Guard.Positive(g, "gammas");
        if (gammas.Distinct().Count() != gammas.Count) throw new InputException("γ values repeat", field: "gammas");
        Guard.UniqueNames(regimes, r => r.Name, "regime", "regimes");
        if (cellSpecs.Count != regimes.Count * gammas.Count) throw new ArgumentException("one backtest per regime × γ", nameof(cellSpecs));
        if (cellSpecs.Any(s => s.Strategies.Count != 1)) throw new InputException("a scenario cell runs exactly one strategy", field: "compare");
        Regimes = regimes;
        Gammas = gammas;
        Lambda = Guard.NonNegative(lambda, "lambda");
        Cells = cellSpecs.Select((spec, i) => new ScenarioCell(i, i / gammas.Count, i % gammas.Count, spec)).ToArray();
    }

    public IReadOnlyList<ScenarioRegime> Regimes { get; }
    public IReadOnlyList<double> Gammas { get; }

    /// <summary>λ of the mean-variance criterion profit_mean − ½·λ·variance.</summary>
    public double Lambda { get; }

    public IReadOnlyList<ScenarioCell> Cells { get; }

    public ulong Seed { get; init; } = 1;
    public int Paths { get; init; } = 1000;

    /// <summary>Worker threads; 0 = one per core. Results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Keep every path's outcomes (for --keep-paths).</summary>
    public bool KeepPaths { get; init; }

    /// <summary>The share of the cells to run; <see cref="Shard.Whole"/> for all.</summary>
    public Shard Shard { get; init; } = Shard.Whole;
}

/// <summary>
/// Shard I of N (1-based): cells I−1, I−1+N, I−1+2N, … Round robin spreads every regime over the shards, so
/// shards take about the same time.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    public static readonly Shard Whole = new(1, 1);

    public bool IsWhole => Count == 1;

    public bool Contains(int cell) => cell % Count == Index - 1;

    public override string ToString() => $"{Index.ToString(CultureInfo.InvariantCulture)}/{Count.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses "I/N" with 1 ≤ I ≤ N; null with the reason otherwise.</summary>
    public static Shard? TryParse(string text, out string? problem)
    {
        problem = null;
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            problem = $"expected I/N with whole numbers, e.g. 1/4, got '{text}'";
            return null;
        }
        if (count < 1 || index < 1 || index > count)
        {
            problem = $"shard index must be between 1 and the shard count, got '{text}'";
            return null;
        }
        return new Shard(index, count);
    }
}
