using MarketMaking.Core.Game;
using static MarketMaking.Core.Tests.Game.GameFactory;

namespace MarketMaking.Core.Tests.Game;

public class GameModelTests
{
    [Fact]
    public void MarginalCost_AllThreeTerms_AddUp()
    {
        // Given cost 0.01, γ = 0.1, σ = 2, h = 0.05, α = 0.1, J = 0.05
        // When / Then m = 0.01 + 0.1·4·0.05 + 0.1·0.05 = 0.035
        GameFormulas.MarginalCost(0.01, 0.1, 2.0, 0.05, 0.1, 0.05).Should().BeApproximately(0.035, 1e-15);
    }

    [Fact]
    public void LogitShares_TwoMakers_MatchTheDefinition()
    {
        // Given s = (0.1, 0.3) and β = 10
        var shares = new double[2];
        GameFormulas.LogitShares([0.1, 0.3], 10, shares);
        // Then w_1 = e^-1 / (e^-1 + e^-3)
        var expected = Math.Exp(-1) / (Math.Exp(-1) + Math.Exp(-3));
        shares[0].Should().BeApproximately(expected, 1e-15);
        shares[1].Should().BeApproximately(1 - expected, 1e-15);
        GameFormulas.LogitShareOfTwo(0.1, 0.3, 10).Should().BeApproximately(expected, 1e-15);
        GameFormulas.LogitShareOfTwo(0.3, 0.1, 10).Should().BeApproximately(1 - expected, 1e-15);
    }

    [Fact]
    public void LogitShares_HugeBetaTimesSpread_StaysFinite()
    {
        // Given β·s so large that e^(−β·s) underflows to 0 for every maker
        var shares = new double[3];
        GameFormulas.LogitShares([10.0, 10.0, 10.5], 1000, shares);
        // Then the max-subtraction keeps the shares finite: the two tightest split the flow
        shares.Should().Equal(0.5, 0.5, Math.Exp(-500) / 2);
        GameFormulas.LogitShareOfTwo(10.0, 10.5, 1e4).Should().Be(1.0);
        GameFormulas.LogitShareOfTwo(10.5, 10.0, 1e4).Should().Be(0.0);
    }

    [Fact]
    public void WinnerTakesAllShares_Ties_SplitEqually()
    {
        var shares = new double[3];
        GameFormulas.WinnerTakesAllShares([0.2, 0.1, 0.1], shares);
        shares.Should().Equal(0.0, 0.5, 0.5);
    }

    [Fact]
    public void TotalFlowAndPayoff_KappaPositive_FollowTheFormulas()
    {
        // Given s = (0.1, 0.3), w = (0.75, 0.25), Λ0 = 100, κ = 2
        var flow = GameFormulas.TotalFlow(100, 2, [0.1, 0.3], [0.75, 0.25]);
        // Then Λ = 100·e^(−2·0.15) and π_1 = Λ·0.75·(0.1 − 0.04)
        flow.Should().BeApproximately(100 * Math.Exp(-0.3), 1e-12);
        GameFormulas.Payoff(flow, 0.75, 0.1, 0.04).Should().BeApproximately(100 * Math.Exp(-0.3) * 0.75 * 0.06, 1e-12);
        GameFormulas.TotalFlow(100, 0, [0.1, 0.3], [0.75, 0.25]).Should().Be(100);
    }

    [Fact]
    public void SpreadGame_PayoffPaths_AgreeWithEachOther()
    {
        // Given a logit game with κ > 0, the general payoff and the two-maker fast path must agree
        var game = new SpreadGame(Market(kappa: 0.7, alpha: 0.1, jump: 0.05), [Player("a"), Player("b", 0.02, 0.3)]);
        var payoffs = new double[2];
        game.Payoffs([0.2, 0.35], payoffs);
        game.TwoPlayerPayoff(0, 0.2, 0.35).Should().BeApproximately(payoffs[0], 1e-12);
        game.TwoPlayerPayoff(1, 0.35, 0.2).Should().BeApproximately(payoffs[1], 1e-12);
        game.Payoff(1, [0.2, 0.35]).Should().BeApproximately(payoffs[1], 1e-12);
    }

    [Fact]
    public void SpreadGrid_Defaults_Have2001Points()
    {
        var grid = new SpreadGrid();
        grid.Count.Should().Be(2001);
        grid[2000].Should().Be(2.0);
        grid.IndexOf(0.2504).Should().Be(250);
        grid.IndexOf(-1).Should().Be(0);
        grid.IndexOf(9).Should().Be(2000);
    }

    public static TheoryData<string, Action> BadInputs => new()
    {
        { "market.sigma", () => Market(sigma: double.NaN) },
        { "market.sigma", () => Market(sigma: -1) },
        { "market.holding_horizon", () => Market(h: -0.1) },
        { "market.holding_horizon", () => Market(h: double.PositiveInfinity) },
        { "market.arrival_rate", () => Market(arrivalRate: 0) },
        { "market.arrival_rate", () => Market(arrivalRate: -5) },
        { "market.arrival_rate", () => Market(arrivalRate: double.NaN) },
        { "market.flow_elasticity", () => Market(kappa: -0.1) },
        { "market.share_elasticity", () => Market(beta: 0) },
        { "market.share_elasticity", () => Market(beta: -3) },
        { "market.share_elasticity", () => Market(beta: double.NaN) },
        { "market.informed_fraction", () => Market(alpha: 1.5) },
        { "market.informed_fraction", () => Market(alpha: -0.1) },
        { "market.informed_move", () => Market(jump: -0.1) },
        { "market.share_model", () => ShareModels.Parse("auction") },
        { "market.share_model", () => ShareModels.Parse(null) },
        { "market.share_model", () => new GameMarket(1, 1, 1, 0, (ShareModel)7, 1) },
        { "players.cost", () => Player("a", cost: -0.01) },
        { "players.cost", () => Player("a", cost: double.NaN) },
        { "players.risk_aversion", () => Player("a", riskAversion: -1) },
        { "players.risk_aversion", () => Player("a", riskAversion: double.NaN) },
        { "players.name", () => Player("") },
        { "players.name", () => new GamePlayer(null!, 0, 0) },
        { "players", () => new SpreadGame(Market(), [Player("a")]) },
        { "players", () => new SpreadGame(Market(), []) },
        { "players", () => new SpreadGame(Market(), null!) },
        { "players[1].name", () => new SpreadGame(Market(), [Player("a"), Player("a")]) },
        { "market", () => new SpreadGame(null!, [Player("a"), Player("b")]) },
        { "grid.tick", () => new SpreadGrid(2.0, 0) },
        { "grid.tick", () => new SpreadGrid(2.0, -0.001) },
        { "grid.tick", () => new SpreadGrid(2.0, double.NaN) },
        { "grid.tick", () => new SpreadGrid(0.5, 1.0) },
        { "grid.tick", () => new SpreadGrid(2.0, 1e-9) },
        { "grid.max_half_spread", () => new SpreadGrid(0, 0.001) },
        { "grid.max_half_spread", () => new SpreadGrid(-1, 0.001) },
        { "monte_carlo.horizon", () => new MonteCarloSettings(0, 10, 1) },
        { "monte_carlo.horizon", () => new MonteCarloSettings(double.NaN, 10, 1) },
        { "monte_carlo.paths", () => new MonteCarloSettings(1, 0, 1) },
        { "dynamics.rounds", () => new DynamicsSettings([0.1, 0.2], 0) },
        { "dynamics.start", () => new DynamicsSettings([], 5) },
        { "dynamics.start[1]", () => new DynamicsSettings([0.1, -0.2], 5) },
        { "dynamics.start", () => new EquilibriumConfig(Market(), [Player("a"), Player("b")], dynamics: new DynamicsSettings([0.1], 5)) },
        { "dynamics.start[0]", () => new EquilibriumConfig(Market(), [Player("a"), Player("b")], new SpreadGrid(1.0, 0.01), dynamics: new DynamicsSettings([1.5, 0.1], 5)) },
        { "sensitivity.sigma", () => new SensitivitySweep(SensitivityParameter.Sigma, []) },
        { "sensitivity.cost", () => new SensitivitySweep(SensitivityParameter.Cost, [0.01, double.NaN]) },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Construction_BadInput_ThrowsNamingTheField(string field, Action construct)
    {
        // When the record is built from a bad value, Then the error names the configuration key
        construct.Should().Throw<InputException>().Which.Field.Should().Be(field);
    }

    [Fact]
    public void Sensitivity_NegativeSigmaValue_IsAnErrorNamingTheSweep()
    {
        // Given a sweep that would set σ < 0
        var game = Symmetric(2);
        var act = () => Sensitivity.Run(game, new SpreadGrid(1, 0.01), new SensitivitySweep(SensitivityParameter.Sigma, [1, -1]));
        // Then it is rejected naming the sweep
        act.Should().Throw<InputException>().Which.Field.Should().Be("sensitivity.sigma");
    }
}
