using MarketMaking.Core;
using MarketMaking.Core.Backtest;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;
using MarketMaking.Core.Scenarios;

namespace MarketMaking.Core.Tests.Scenarios;

public class ScenarioSweepTests
{
    private static readonly double[] Gammas = [0.01, 0.1, 0.3];

    /// <summary>A small version of the seed's grid: calm and turbulent (and a downtrend) × three γ, 300 paths, 100 steps.</summary>
    private static ScenarioSpec SmallGrid(int threads = 0, Shard? shard = null)
    {
        ScenarioRegime[] regimes = [new("calm", 0, 2), new("turbulent", 0, 10), new("downtrend", -10, 2)];
        var intensity = new ExponentialIntensity(140, 1.5);
        var specs = regimes.SelectMany(r => Gammas.Select(g => new BacktestSpec
        {
            Market = new SyntheticMarket(new GaussianProcess(r.Drift, r.Sigma), 100, 0.01, 1.0),
            BidIntensity = intensity,
            AskIntensity = intensity,
            Fills = PoissonFills.Instance,
            Strategies = [new AvellanedaStoikovStrategy(g, 1.5, r.Sigma)],
            Paths = 300,
        })).ToArray();
        return new ScenarioSpec(regimes, Gammas, specs, 0.01) { Seed = 7, Threads = threads, Shard = shard ?? Shard.Whole };
    }

    [Fact]
    public void Run_SmallGrid_ReproducesTheSeedsFindings()
    {
        // Given the small grid with a fixed seed
        var spec = SmallGrid();

        // When sweeping
        var analysis = ScenarioAnalysis.Analyse(ScenarioSweep.Grid(spec), ScenarioSweep.Run(spec));

        // Then in every regime spreads widen with γ, and inventory dispersion and VaR are lower at the highest γ than at the lowest
        for (var r = 0; r < spec.Regimes.Count; r++)
        {
            var cells = analysis.Cells.Skip(r * Gammas.Length).Take(Gammas.Length).ToArray();
            var spreads = cells.Select(c => c.Metrics.AvgSpread).ToArray();
            spreads.Should().BeInAscendingOrder(spec.Regimes[r].Name);
            spreads.Distinct().Should().HaveCount(Gammas.Length);
            cells[^1].Metrics.InventoryStd.Should().BeLessThan(cells[0].Metrics.InventoryStd, spec.Regimes[r].Name);
            cells[^1].Metrics.FinalQStd.Should().BeLessThan(cells[0].Metrics.FinalQStd, spec.Regimes[r].Name);
            cells[^1].Metrics.Var95.Should().BeLessThan(cells[0].Metrics.Var95, spec.Regimes[r].Name);
            cells[^1].Metrics.Var99.Should().BeLessThan(cells[0].Metrics.Var99, spec.Regimes[r].Name);
        }
        // And turbulent quotes are wider than calm ones at the same γ (σ enters the A-S spread)
        analysis.Cells[Gammas.Length + 2].Metrics.AvgSpread.Should().BeGreaterThan(analysis.Cells[2].Metrics.AvgSpread);
    }

    [Fact]
    public void Run_OneVersusFourThreads_IdenticalCells()
    {
        // Given the same sweep on 1 and 4 threads
        var one = ScenarioSweep.Run(SmallGrid(threads: 1));
        var four = ScenarioSweep.Run(SmallGrid(threads: 4));

        // Then every per-path P&L and metric is bit-identical
        for (var c = 0; c < one.Count; c++)
        {
            four[c].PathPnl.Should().Equal(one[c].PathPnl);
            four[c].Metrics.Should().Be(one[c].Metrics);
        }
    }

    [Fact]
    public void Run_Shards_PartitionTheCellsWithTheSameResults()
    {
        // Given the whole sweep and its three shards
        var whole = ScenarioSweep.Run(SmallGrid());
        var shards = Enumerable.Range(1, 3).Select(i => ScenarioSweep.Run(SmallGrid(shard: new Shard(i, 3)))).ToArray();

        // Then each cell runs in exactly one shard, with the same numbers
        var cells = shards.SelectMany(s => s).OrderBy(c => c.Cell).ToArray();
        cells.Select(c => c.Cell).Should().Equal(Enumerable.Range(0, whole.Count));
        for (var c = 0; c < whole.Count; c++) cells[c].PathPnl.Should().Equal(whole[c].PathPnl);
    }

    [Fact]
    public void Run_GammasOfARegime_ShareTheirMidPaths()
    {
        // Given a sweep (common random numbers within a regime)
        var cells = ScenarioSweep.Run(SmallGrid());

        // Then path 0's mid is the same for every γ of a regime, and differs between regimes
        cells[1].Path0Mid.Should().Equal(cells[0].Path0Mid);
        cells[2].Path0Mid.Should().Equal(cells[0].Path0Mid);
        cells[3].Path0Mid.Should().NotEqual(cells[0].Path0Mid);
    }

    [Fact]
    public void RegimeSeed_DependsOnSeedAndName_NotOnPosition()
    {
        // Given two names and two seeds, Then each pair gives its own seed, stable across calls
        ScenarioSweep.RegimeSeed(1, "calm").Should().Be(ScenarioSweep.RegimeSeed(1, "calm"));
        ScenarioSweep.RegimeSeed(1, "calm").Should().NotBe(ScenarioSweep.RegimeSeed(1, "turbulent"));
        ScenarioSweep.RegimeSeed(1, "calm").Should().NotBe(ScenarioSweep.RegimeSeed(2, "calm"));
    }

    [Fact]
    public void UtilityTerms_Mean_IsMeanMinusHalfLambdaVariance()
    {
        // Given P&Ls 1, 2, 3, 10: mean 4, sample variance (9 + 4 + 1 + 36)/3 = 50/3 (by hand)
        double[] pnl = [1, 2, 3, 10];

        // When forming the per-path terms with λ = 0.3
        var terms = ScenarioAnalysis.UtilityTerms(pnl, 0.3);

        // Then their mean is 4 − 0.15·50/3 = 1.5
        terms.Average().Should().BeApproximately(1.5, 1e-12);
    }

    [Fact]
    public void Analyse_BestGamma_PairsTheRunnerUpPathByPath()
    {
        // Given a sweep
        var spec = SmallGrid();
        var analysis = ScenarioAnalysis.Analyse(ScenarioSweep.Grid(spec), ScenarioSweep.Run(spec));

        // Then the best cell by utility has the highest utility of its regime, and the paired difference equals the difference of utilities
        for (var r = 0; r < spec.Regimes.Count; r++)
        {
            var best = analysis.BestByUtility[r];
            var regimeCells = Enumerable.Range(r * Gammas.Length, Gammas.Length);
            regimeCells.Should().OnlyContain(c => analysis.Criteria[c].Utility.Value <= analysis.Criteria[best.BestCell].Utility.Value);
            var runnerUp = best.RunnerUpCell!.Value;
            best.Difference.Value.Should().BeApproximately(analysis.Criteria[best.BestCell].Utility.Value - analysis.Criteria[runnerUp].Utility.Value, 1e-9);
            best.Difference.StandardError.Should().BePositive();
            analysis.BestBySharpe[r].Difference.Value.Should().BeGreaterThanOrEqualTo(0);
        }
    }

    [Theory]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("abc")]
    [InlineData("1/0")]
    [InlineData("-1/2")]
    [InlineData("1/2/3")]
    [InlineData("")]
    public void ShardTryParse_Invalid_ReturnsNullWithReason(string text)
    {
        // Given a bad shard spec, When parsing, Then null and a reason
        Shard.TryParse(text, out var problem).Should().BeNull();
        problem.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void ShardTryParse_Valid_Parses()
    {
        Shard.TryParse("2/5", out _).Should().Be(new Shard(2, 5));
    }

    [Fact]
    public void ScenarioSpec_RegimeListedTwice_ThrowsNamingIt()
    {
        // Given three regimes, the first repeated as the third
        var spec = SmallGrid();
        var cells = spec.Cells.Select(c => c.Spec).ToArray();
        ScenarioRegime[] regimes = [spec.Regimes[0], spec.Regimes[1], spec.Regimes[0]];

        // When the grid is built / Then it is refused under `regimes`, naming the repeated regime
        var thrown = FluentActions.Invoking(() => new ScenarioSpec(regimes, Gammas, cells, 0.01)).Should().Throw<InputException>().Which;
        thrown.Field.Should().Be("regimes");
        thrown.Message.Should().Contain($"regime '{spec.Regimes[0].Name}' is listed twice");
    }

    [Fact]
    public void ScenarioSpec_EmptyOrBadGrid_Throws()
    {
        // Given grids with no regime, no γ, γ <= 0, NaN γ, a NaN σ
        var spec = SmallGrid();
        var cells = spec.Cells.Select(c => c.Spec).ToArray();
        FluentActions.Invoking(() => new ScenarioSpec([], [], [], 0.01)).Should().Throw<InputException>();
        FluentActions.Invoking(() => new ScenarioSpec(spec.Regimes, [], [], 0.01)).Should().Throw<InputException>();
        FluentActions.Invoking(() => new ScenarioSpec(spec.Regimes, [0.0, 0.1, 0.3], cells, 0.01)).Should().Throw<InputException>();
        FluentActions.Invoking(() => new ScenarioSpec(spec.Regimes, [-0.1, 0.1, 0.3], cells, 0.01)).Should().Throw<InputException>();
        FluentActions.Invoking(() => new ScenarioSpec(spec.Regimes, [double.NaN, 0.1, 0.3], cells, 0.01)).Should().Throw<InputException>();
        FluentActions.Invoking(() => new ScenarioSpec(spec.Regimes, Gammas, cells, double.NaN)).Should().Throw<InputException>();
        FluentActions.Invoking(() => new ScenarioRegime("x", 0, double.NaN)).Should().Throw<InputException>();
        FluentActions.Invoking(() => new ScenarioRegime("x", 0, -1)).Should().Throw<InputException>();
    }
}
