using MarketMaking.Core.Game;
using static MarketMaking.Core.Tests.Game.GameFactory;

namespace MarketMaking.Core.Tests.Game;

public class GridEquilibriaTests
{
    [Fact]
    public void Find_WinnerTakesAllOffGridCost_ListsBothEquilibria()
    {
        // Given two makers with m = 0.025, Λ0 = 1, κ = 0 on the grid {0, 0.01, …, 0.1}
        var game = WinnerTakesAll(0.025, 0.025);
        var grid = new SpreadGrid(0.1, 0.01);
        // When every equilibrium is searched for
        var result = GridEquilibria.Find(game, grid);
        // Then by hand: at (s, s) each earns (s − m)/2, undercutting one tick earns s − 0.01 − m, raising earns 0.
        // (0.03, 0.03): 0.0025 vs −0.005 / 0 → equilibrium. (0.04, 0.04): 0.0075 vs 0.005 → equilibrium.
        // (0.05, 0.05): 0.0125 vs 0.015 → undercut. Unequal quotes: the winner raises to one tick below → never.
        result.Exhaustive.Should().BeTrue();
        result.Equilibria.Select(e => e.Indices.ToArray()).Should().BeEquivalentTo(new[] { new[] { 3, 3 }, new[] { 4, 4 } }, o => o.WithStrictOrdering());
        result.Equilibria[1].Payoffs[0].Should().BeApproximately(0.0075, 1e-15);
        result.Equilibria[1].Shares.Should().Equal(0.5, 0.5);
    }

    [Fact]
    public void Find_WinnerTakesAllCostOnGrid_IncludesTheIndifferentProfile()
    {
        // Given m = 0.03 on the grid: at (0.05, 0.05) each earns 0.01 and undercutting to 0.04 also earns 0.01 (a tie)
        var game = WinnerTakesAll(0.03, 0.03);
        var grid = new SpreadGrid(0.1, 0.01);
        var result = GridEquilibria.Find(game, grid);
        // Then (0.03,0.03), (0.04,0.04) and (0.05,0.05) are all listed: ties count as best responses
        result.Equilibria.Select(e => e.Indices.ToArray()).Should().BeEquivalentTo(new[] { new[] { 3, 3 }, new[] { 4, 4 }, new[] { 5, 5 } }, o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData(0.012, 0.018, 0.0)]
    [InlineData(0.0, 0.045, 0.0)]
    [InlineData(0.02, 0.02, 3.0)]
    public void Find_WinnerTakesAllAnyCosts_MatchesBruteForce(double m0, double m1, double kappa)
    {
        // Given a winner-takes-all game on a small grid (11 points)
        var game = new SpreadGame(Market(kappa: kappa, model: ShareModel.WinnerTakesAll, arrivalRate: 1, sigma: 0), [Player("a", m0, 0), Player("b", m1, 0)]);
        var grid = new SpreadGrid(0.1, 0.01);
        // When / Then the fast search lists exactly the profiles the naive check of all 121 finds
        var found = GridEquilibria.Find(game, grid).Equilibria.Select(e => e.Indices.ToArray()).ToList();
        found.Should().BeEquivalentTo(BruteForceEquilibria(game, grid), o => o.WithStrictOrdering());
        found.Should().NotBeEmpty();
    }

    [Fact]
    public void Find_ThreeMakersSmallGrid_IsExhaustiveAndMatchesBruteForce()
    {
        // Given three asymmetric logit makers on a 26-point grid (3·26³ evaluations: within the exhaustive budget)
        var game = new SpreadGame(Market(kappa: 0.5), [Player("a", 0.0), Player("b", 0.03), Player("c", 0.06)]);
        var grid = new SpreadGrid(0.5, 0.02);
        var result = GridEquilibria.Find(game, grid);
        result.Exhaustive.Should().BeTrue();
        result.Equilibria.Select(e => e.Indices.ToArray()).Should().BeEquivalentTo(BruteForceEquilibria(game, grid), o => o.WithStrictOrdering());
        result.Equilibria.Should().NotBeEmpty();
    }

    [Fact]
    public void Find_ThreeWinnerTakesAllMakers_MatchesBruteForce()
    {
        var game = WinnerTakesAll(0.02, 0.02, 0.035);
        var grid = new SpreadGrid(0.08, 0.01);
        GridEquilibria.Find(game, grid).Equilibria.Select(e => e.Indices.ToArray())
            .Should().BeEquivalentTo(BruteForceEquilibria(game, grid), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Find_TwoLogitMakersDefaultGrid_EquilibriumIsWithinATickOfTheClosedForm()
    {
        // Given the example market: m = 0.01 + 0.1·4·0.05 = 0.03, β = 10, κ = 0, on 2001 ticks
        var game = Symmetric(2);
        var grid = new SpreadGrid();
        var result = GridEquilibria.Find(game, grid);
        // Then s* = 0.03 + 2/10 = 0.23 and the grid equilibria lie within one tick of it
        result.Equilibria.Should().NotBeEmpty();
        result.Equilibria.SelectMany(e => e.HalfSpreads).Should().OnlyContain(s => Math.Abs(s - 0.23) <= 0.001 + 1e-12);
        result.BestResponses.Should().NotBeNull();
        result.PayoffEvaluations.Should().Be(2L * 2001 * 2001);
    }

    [Fact]
    public void BestResponse_LogitRivalAtClosedForm_IsTheClosedForm()
    {
        var game = Symmetric(2);
        var grid = new SpreadGrid();
        var (set, best) = GridEquilibria.BestResponse(game, grid, 0, [0.0, 0.23]);
        grid[set[0]].Should().BeApproximately(0.23, 1e-12);
        best.Should().BeApproximately(game.Payoff(0, [0.23, 0.23]), 1e-12);
    }

    [Fact]
    public void Find_ThreeMakersFullGrid_UsesVerifiedCandidatesAndFindsTheClosedForm()
    {
        // Given three identical makers on 2001 ticks (3·2001³ is beyond the exhaustive budget)
        var game = Symmetric(3, kappa: 1.0);
        var grid = new SpreadGrid();
        var result = GridEquilibria.Find(game, grid);
        // Then the search says it is not exhaustive, and the closed form 0.03 + 3/(2·10 + 1) is within a tick of what it found
        result.Exhaustive.Should().BeFalse();
        var expected = 0.03 + 3.0 / 21.0;
        result.Equilibria.Should().Contain(e => e.HalfSpreads.All(s => Math.Abs(s - expected) <= 0.001));
        result.Equilibria.Should().OnlyContain(e => GridEquilibria.IsEquilibrium(game, grid, e.Indices));
    }
}
