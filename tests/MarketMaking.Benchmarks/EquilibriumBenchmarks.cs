using BenchmarkDotNet.Attributes;
using MarketMaking.Core.Game;

namespace MarketMaking.Benchmarks;

/// <summary>The exhaustive two-maker grid search on 2001 ticks (8·10⁶ payoff evaluations) and the issue's whole example.</summary>
[MemoryDiagnoser]
public class EquilibriumBenchmarks
{
    private SpreadGame _logit = null!;
    private SpreadGame _logitWithFlowElasticity = null!;
    private readonly SpreadGrid _grid = new();

    [GlobalSetup]
    public void Setup()
    {
        GamePlayer[] players = [new("desk", 0.01, 0.1), new("rival", 0.01, 0.1)];
        _logit = new SpreadGame(new GameMarket(2, 0.05, 100, 0.0, ShareModel.Logit, 10), players);
        _logitWithFlowElasticity = new SpreadGame(new GameMarket(2, 0.05, 100, 0.5, ShareModel.Logit, 10), players);
    }

    [Benchmark(Description = "all grid equilibria, 2 makers × 2001 ticks, κ = 0")]
    public int GridSearch() => GridEquilibria.Find(_logit, _grid).Equilibria.Count;

    [Benchmark(Description = "all grid equilibria, 2 makers × 2001 ticks, κ = 0.5")]
    public int GridSearchWithFlowElasticity() => GridEquilibria.Find(_logitWithFlowElasticity, _grid).Equilibria.Count;

    [Benchmark(Description = "equilibrium analysis, issue example (10^4 Monte Carlo paths)")]
    public int IssueExample() => EquilibriumAnalysis.Run(EquilibriumExamples.IssueExample()).Solved.Refined.Count;
}
