using MarketMaking.Core.Game;
using static MarketMaking.Core.Tests.Game.GameFactory;

namespace MarketMaking.Core.Tests.Game;

public class AnalysisTests
{
    [Fact]
    public void Sensitivity_Sigma_FollowsTheClosedFormAtEachValue()
    {
        // Given identical logit makers; m = 0.01 + 0.1·σ²·0.05
        var game = Symmetric(2);
        var result = Sensitivity.Run(game, new SpreadGrid(), new SensitivitySweep(SensitivityParameter.Sigma, [0.5, 2, 4]));
        // Then each point is the continuum equilibrium m(σ) + 0.2
        foreach (var point in result.Points)
        {
            point.Kind.Should().Be("continuum");
            var expected = 0.01 + 0.1 * point.Value * point.Value * 0.05 + 0.2;
            point.HalfSpreads.Single().Should().OnlyContain(s => Math.Abs(s - expected) < 1e-9);
        }
    }

    [Fact]
    public void Sensitivity_CostAndBeta_MoveSpreadsTheRightWay()
    {
        var game = Symmetric(2);
        var grid = new SpreadGrid();
        var cost = Sensitivity.Run(game, grid, new SensitivitySweep(SensitivityParameter.Cost, [0, 0.05]));
        var beta = Sensitivity.Run(game, grid, new SensitivitySweep(SensitivityParameter.ShareElasticity, [5, 20]));
        cost.Points[1].HalfSpreads[0][0].Should().BeApproximately(cost.Points[0].HalfSpreads[0][0] + 0.05, 1e-9);
        beta.Points[0].HalfSpreads[0][0].Should().BeApproximately(0.03 + 2.0 / 5, 1e-9);
        beta.Points[1].HalfSpreads[0][0].Should().BeApproximately(0.03 + 2.0 / 20, 1e-9);
    }

    [Fact]
    public void Run_CancelledBeforeStart_ThrowsOperationCanceled()
    {
        // Given Ctrl-C already pressed, When the analysis runs, Then it stops before the grid search
        using var interrupt = new CancellationTokenSource();
        interrupt.Cancel();
        var config = new EquilibriumConfig(Market(), [Player("desk"), Player("rival")], new SpreadGrid(), [], null, null);
        var act = () => EquilibriumAnalysis.Run(config, interrupt.Token);
        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Run_CancelledDuringSensitivitySweeps_StopsBetweenThem()
    {
        // Given 30 sensitivity sweeps (about half a second each, so ~15 s in all) and Ctrl-C 100 ms into the run,
        // pressed on a thread of its own (a timer's callback can wait behind the sweeps' busy thread pool)
        var sweeps = Enumerable.Range(0, 30).Select(_ => new SensitivitySweep(SensitivityParameter.Sigma, [0.5, 1, 2, 3])).ToArray();
        var config = new EquilibriumConfig(Market(), [Player("desk"), Player("rival")], new SpreadGrid(), sweeps, null, null);
        using var interrupt = new CancellationTokenSource();
        var ctrlC = new Thread(() =>
        {
            Thread.Sleep(100);
            interrupt.Cancel();
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ctrlC.Start();

        // When the analysis runs, Then it stops with OperationCanceledException after at most one more sweep
        var act = () => EquilibriumAnalysis.Run(config, interrupt.Token);
        act.Should().Throw<OperationCanceledException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        ctrlC.Join();
    }

    [Fact]
    public void Run_IssueExample_HasEverySection()
    {
        // Given the issue's example configuration with a short Monte Carlo
        var config = new EquilibriumConfig(Market(), [Player("desk"), Player("rival")], new SpreadGrid(),
            [new SensitivitySweep(SensitivityParameter.Sigma, [0.5, 1, 2])], new DynamicsSettings([1.0, 0.2], 50), new MonteCarloSettings(1.0, 2000, 1));
        // When the analysis runs
        var result = EquilibriumAnalysis.Run(config);
        // Then every section is there and consistent with s* = 0.23
        result.Solved.Refined.Should().ContainSingle().Which.HalfSpreads.Should().OnlyContain(s => Math.Abs(s - 0.23) < 1e-9);
        result.Solved.ClosedForm!.MaxAbsDifference.Should().BeLessThan(1e-9);
        result.BestResponses.Should().HaveCount(2);
        result.BestResponses[0].RivalHalfSpreads.Should().HaveCount(2001);
        result.Surface!.Axis.Should().HaveCount(201);
        result.Sensitivity.Should().ContainSingle();
        result.Dynamics.Select(d => d.Rule).Should().Equal(LearningRule.BestResponse, LearningRule.FictitiousPlay);
        result.MonteCarlo!.Makers.Should().HaveCount(2);
        // The desk's best response to a rival at 0.2 is below the equilibrium (strategic complements) and earns less than at equilibrium
        var guidance = result.Guidance!;
        guidance.RivalHalfSpreads[1].Should().Be(0.2);
        guidance.BestResponseHalfSpread.Should().BeLessThan(0.23).And.BeGreaterThan(0.2);
        guidance.BestResponsePayoff.Should().BeLessThan(guidance.EquilibriumPayoff!.Value);
        guidance.BestResponsePayoff.Should().BeGreaterThanOrEqualTo(guidance.PayoffHoldingEquilibriumQuote!.Value);
    }

    [Fact]
    public void Run_WinnerTakesAll_ListsEveryEquilibriumAndUsesTheTightestForMonteCarlo()
    {
        var config = new EquilibriumConfig(new GameMarket(0, 0, 1, 0, ShareModel.WinnerTakesAll, 1), [Player("desk", 0.025, 0), Player("rival", 0.025, 0)],
            new SpreadGrid(0.1, 0.01), monteCarlo: new MonteCarloSettings(1, 100, 1));
        var result = EquilibriumAnalysis.Run(config);
        result.Solved.Grid.Equilibria.Should().HaveCount(2);
        result.Solved.Refined.Should().BeEmpty();
        result.Solved.ReferenceHalfSpreads.Should().Equal(0.03, 0.03);
        result.MonteCarlo!.Makers[0].HalfSpread.Should().Be(0.03);
    }
}

public class EquilibriumExamplesTests
{
    [Fact]
    public void IssueExample_MatchesTheShippedConfiguration()
    {
        // The demo's configuration is the issue's example: m = 0.03 and three sweeps
        var config = EquilibriumExamples.IssueExample(seed: 5, paths: 100);
        config.Game.MarginalCosts.Should().Equal([0.03, 0.03], (a, b) => Math.Abs(a - b) < 1e-15);
        config.Sensitivity.Select(s => s.Parameter).Should().Equal(SensitivityParameter.Sigma, SensitivityParameter.ShareElasticity, SensitivityParameter.Cost);
        config.MonteCarlo!.Seed.Should().Be(5UL);
        config.Grid.Count.Should().Be(2001);
    }
}
