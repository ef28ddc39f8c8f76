using MarketMaking.Core.Game;
using static MarketMaking.Core.Tests.Game.GameFactory;

namespace MarketMaking.Core.Tests.Game;

public class ContinuumEquilibriumTests
{
    [Theory]
    [InlineData(2, 0.0)]
    [InlineData(2, 2.5)]
    [InlineData(3, 0.0)]
    [InlineData(3, 2.5)]
    public void Solve_SymmetricLogit_ReproducesTheClosedForm(int makers, double kappa)
    {
        // Given N identical makers, m = 0.03, β = 10
        var game = Symmetric(makers, kappa);
        var grid = makers == 2 ? new SpreadGrid() : new SpreadGrid(0.6, 0.005);
        // When the grid equilibria are found and refined
        var solved = EquilibriumSolver.Solve(game, grid);
        // Then s* = m + N / ((N−1)·β + κ) to 1e-9, converged, and it is a global best response
        var expected = 0.03 + makers / ((makers - 1) * 10.0 + kappa);
        solved.Refined.Should().ContainSingle();
        var eq = solved.Refined[0];
        eq.Outcome.Converged.Should().BeTrue();
        eq.Residual.Should().BeLessThan(1e-9);
        eq.GlobalBestResponse.Should().BeTrue();
        eq.HalfSpreads.Should().OnlyContain(s => Math.Abs(s - expected) < 1e-9);
        solved.ClosedForm!.Predicted.Should().BeApproximately(expected, 1e-15);
        solved.ClosedForm.MaxAbsDifference.Should().BeLessThan(1e-9);
        eq.Shares.Should().OnlyContain(w => Math.Abs(w - 1.0 / makers) < 1e-9);
    }

    [Theory]
    // Reference: /usr/bin/python3 with scipy 1.10.1, fsolve (xtol 1e-15) on each maker's own-payoff derivative taken by
    // complex step of π_i = Λ0·e^(−κΣw_j s_j)·w_i·(s_i − m_i) written from the formulas (not from this code), each
    // confirmed a global maximum by minimize_scalar; residual < 2e-14. m = (0.035, 0.075[, 0.05]), β = 10, Λ0 = 100.
    [InlineData(0.0, new[] { 0.24923314171666833, 0.2625402693975005 })]
    [InlineData(0.5, new[] { 0.23869693472204628, 0.25386700762308023 })]
    [InlineData(0.5, new[] { 0.18887229105381642, 0.21340711817309935, 0.19757877432591164 })]
    public void Solve_AsymmetricMakers_MatchesAnIndependentSolve(double kappa, double[] expected)
    {
        // Given makers with m = cost + γσ²h + αJ = (0.035, 0.075, 0.05) through all three terms
        var players = new List<GamePlayer> { Player("desk", 0.01, 0.1), Player("rival", 0.03, 0.2), Player("third", 0.025, 0.1) }.Take(expected.Length).ToList();
        var game = new SpreadGame(Market(kappa: kappa, alpha: 0.1, jump: 0.05), players);
        game.MarginalCosts.Take(2).Should().Equal([0.035, 0.075], (a, b) => Math.Abs(a - b) < 1e-15);
        var grid = expected.Length == 2 ? new SpreadGrid() : new SpreadGrid(0.6, 0.005);
        // When solved
        var solved = EquilibriumSolver.Solve(game, grid);
        // Then the refined equilibrium agrees to 1e-9
        solved.Refined.Should().ContainSingle();
        solved.Refined[0].HalfSpreads.Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-9);
        solved.ClosedForm.Should().BeNull("the makers are not symmetric");
    }

    [Fact]
    public void Stability_TwoLogitMakers_SpectralRadiusBelowOneAndIterationConverges()
    {
        // Given the symmetric two-maker game, where BR(s') solves the FOC; by the implicit function theorem
        // BR'(s') = −(∂f/∂s')/(∂f/∂s) at the equilibrium
        var game = Symmetric(2);
        var solved = EquilibriumSolver.Solve(game, new SpreadGrid());
        var stability = solved.Refined[0].Stability!;
        // Then with w = 1/2, s − m = 0.2, β = 10: ∂f/∂s = −(β/2) − (s−m)·β²/4 = −10, ∂f/∂s' = (s−m)·β²/4 = 5, so ρ = 0.5
        stability.SpectralRadius.Should().BeApproximately(0.5, 1e-6);
        stability.LocallyStable.Should().BeTrue();
        stability.IterationConverged.Should().BeTrue();
    }

    [Fact]
    public void BestResponse_Continuum_SolvesTheFirstOrderCondition()
    {
        var game = Symmetric(2, kappa: 1.0);
        var grid = new SpreadGrid();
        var br = ContinuumEquilibrium.BestResponse(game, grid, 0, [0.0, 0.4]);
        ContinuumEquilibrium.FirstOrderConditions(game, [br, 0.4])[0].Should().BeApproximately(0, 1e-10);
        // No grid point beats it
        var (_, best) = GridEquilibria.BestResponse(game, grid, 0, [0.0, 0.4]);
        game.Payoff(0, [br, 0.4]).Should().BeGreaterThanOrEqualTo(best - 1e-12);
    }

    [Fact]
    public void FirstOrderConditions_WinnerTakesAll_Throws()
    {
        var act = () => ContinuumEquilibrium.FirstOrderConditions(WinnerTakesAll(0.01, 0.01), [0.1, 0.1]);
        act.Should().Throw<InvalidOperationException>();
    }
}
