using MarketMaking.Core;
using MarketMaking.Core.Game;
using MarketMaking.Data.Config;

namespace MarketMaking.Data.Tests.Config;

public class EquilibriumConfigLoaderTests
{
    private const string Valid = """
        market:
          sigma: 2.0
          holding_horizon: 0.05
          arrival_rate: 100
          flow_elasticity: 0.5
          share_model: logit
          share_elasticity: 10
          informed_fraction: 0.1
          informed_move: 0.05
        players:
          - { name: desk,  cost: 0.01, risk_aversion: 0.1 }
          - { name: rival, cost: 0.03, risk_aversion: 0.2 }
        grid: { max_half_spread: 1.0, tick: 0.01 }
        sensitivity: { sigma: [0.5, 1], cost: [0, 0.01] }
        dynamics: { start: [1.0, 0.2], rounds: 20 }
        monte_carlo: { horizon: 2.0, paths: 500, seed: 9 }
        """;

    [Fact]
    public void Parse_FullConfig_ReadsEveryKey()
    {
        var config = EquilibriumConfigLoader.Parse(Valid, "eq.yaml");
        var m = config.Game.Market;
        (m.Sigma, m.HoldingHorizon, m.ArrivalRate, m.FlowElasticity, m.ShareModel, m.ShareElasticity, m.InformedFraction, m.InformedMove)
            .Should().Be((2.0, 0.05, 100.0, 0.5, ShareModel.Logit, 10.0, 0.1, 0.05));
        config.Game.Players.Select(p => (p.Name, p.Cost, p.RiskAversion)).Should().Equal(("desk", 0.01, 0.1), ("rival", 0.03, 0.2));
        (config.Grid.MaxHalfSpread, config.Grid.Tick).Should().Be((1.0, 0.01));
        config.Sensitivity.Select(s => s.Parameter).Should().Equal(SensitivityParameter.Sigma, SensitivityParameter.Cost);
        config.Sensitivity[1].Values.Should().Equal(0, 0.01);
        config.Dynamics!.Start.Should().Equal(1.0, 0.2);
        config.Dynamics.Rounds.Should().Be(20);
        (config.MonteCarlo!.Horizon, config.MonteCarlo.Paths, config.MonteCarlo.Seed).Should().Be((2.0, 500, 9UL));
    }

    [Fact]
    public void Parse_MinimalConfig_UsesDefaults()
    {
        var config = EquilibriumConfigLoader.Parse("""
            market: { sigma: 1, holding_horizon: 0.1, arrival_rate: 10, share_model: winner_takes_all }
            players: [ { name: a, cost: 0, risk_aversion: 0 }, { name: b, cost: 0, risk_aversion: 0 } ]
            """);
        config.Grid.Count.Should().Be(2001);
        config.Game.Market.ShareModel.Should().Be(ShareModel.WinnerTakesAll);
        config.Game.Market.FlowElasticity.Should().Be(0);
        config.Sensitivity.Should().BeEmpty();
        config.Dynamics.Should().BeNull();
        config.MonteCarlo.Should().BeNull();
    }

    [Fact]
    public void Load_ShippedConfig_IsValid()
    {
        // config/equilibrium.yaml documents every key; it must load as it is.
        var path = Path.Combine(RepoRoot(), "config", "equilibrium.yaml");
        var config = EquilibriumConfigLoader.Load(path);
        config.Game.N.Should().Be(2);
        config.Sensitivity.Should().HaveCount(3);
    }

    [Theory]
    [InlineData("sigma: 2.0", "sigam: 2.0", 2, "market.sigam", "did you mean 'sigma'")]
    [InlineData("seed: 9 }", "seed: 9 }\nextra: 1", 17, "extra", "unknown key")]
    [InlineData("max_half_spread: 1.0", "max_half_spred: 1.0", 13, "grid.max_half_spred", "did you mean 'max_half_spread'")]
    [InlineData("sensitivity: { sigma:", "sensitivity: { sigmaa:", 14, "sensitivity.sigmaa", "did you mean 'sigma'")]
    [InlineData("risk_aversion: 0.1 }", "risk_aversion: 0.1, costs: 1 }", 11, "players[0].costs", "did you mean 'cost'")]
    [InlineData("rounds: 20", "round: 20", 15, "dynamics.round", "did you mean 'rounds'")]
    public void Parse_UnknownKey_NamesKeyLineAndClosest(string find, string replace, int line, string field, string message)
    {
        // Given the valid configuration with one key misspelt or added
        var error = Error(Valid.Replace(find, replace, StringComparison.Ordinal));
        // Then the error is about that key, at its line, with the closest known key
        error.Field.Should().Be(field);
        error.Line.Should().Be(line);
        error.Message.Should().Contain(message);
        error.File.Should().Be("eq.yaml");
    }

    [Theory]
    [InlineData("sigma: 2.0", "sigma: -1", "market.sigma", 2)]
    [InlineData("sigma: 2.0", "sigma: .nan", "market.sigma", 2)]
    [InlineData("sigma: 2.0", "sigma: abc", "market.sigma", 2)]
    [InlineData("  sigma: 2.0\n", "", "market.sigma", 2)]
    [InlineData("holding_horizon: 0.05", "holding_horizon: -0.05", "market.holding_horizon", 3)]
    [InlineData("arrival_rate: 100", "arrival_rate: 0", "market.arrival_rate", 4)]
    [InlineData("arrival_rate: 100", "arrival_rate: -100", "market.arrival_rate", 4)]
    [InlineData("flow_elasticity: 0.5", "flow_elasticity: -0.5", "market.flow_elasticity", 5)]
    [InlineData("share_model: logit", "share_model: logitt", "market.share_model", 6)]
    [InlineData("share_elasticity: 10", "share_elasticity: 0", "market.share_elasticity", 7)]
    [InlineData("share_elasticity: 10", "share_elasticity: -10", "market.share_elasticity", 7)]
    [InlineData("  share_elasticity: 10\n", "", "market.share_elasticity", 2)]
    [InlineData("informed_fraction: 0.1", "informed_fraction: 2", "market.informed_fraction", 8)]
    [InlineData("cost: 0.01, risk", "cost: -0.01, risk", "players[0].cost", 11)]
    [InlineData("cost: 0.03, risk_aversion: 0.2", "cost: 0.03, risk_aversion: -0.2", "players[1].risk_aversion", 12)]
    [InlineData("name: rival, ", "", "players[1].name", 12)]
    [InlineData("name: rival", "name: desk", "players[1].name", 12)]
    [InlineData("  - { name: rival, cost: 0.03, risk_aversion: 0.2 }\n", "", "players", 11)]
    [InlineData("tick: 0.01", "tick: 0", "grid.tick", 13)]
    [InlineData("tick: 0.01", "tick: -0.01", "grid.tick", 13)]
    [InlineData("tick: 0.01", "tick: 5", "grid.tick", 13)]
    [InlineData("start: [1.0, 0.2]", "start: [1.0]", "dynamics.start", 15)]
    [InlineData("start: [1.0, 0.2]", "start: [1.0, -0.2]", "dynamics.start[1]", 15)]
    [InlineData("start: [1.0, 0.2], ", "", "dynamics.start", 15)]
    [InlineData("rounds: 20", "rounds: 0", "dynamics.rounds", 15)]
    [InlineData("paths: 500", "paths: 0", "monte_carlo.paths", 16)]
    [InlineData("seed: 9", "seed: -9", "monte_carlo.seed", 16)]
    [InlineData("horizon: 2.0", "horizon: 0", "monte_carlo.horizon", 16)]
    [InlineData("seed: 9", "seed: 1.5", "monte_carlo.seed", 16)]
    [InlineData("sigma: [0.5, 1]", "sigma: [0.5, -1]", "sensitivity.sigma", 14)]
    public void Parse_BadValue_NamesKeyAndLine(string find, string replace, string field, int line)
    {
        // Given the valid configuration with one value broken (or removed)
        Valid.Should().Contain(find);
        var error = Error(Valid.Replace(find, replace, StringComparison.Ordinal));
        // Then the error names the key and its line
        error.Field.Should().Be(field);
        error.Line.Should().Be(line);
        error.Describe().Should().StartWith("eq.yaml:" + line);
    }

    [Fact]
    public void Parse_LargeSeed_IsKeptExactly()
    {
        var config = EquilibriumConfigLoader.Parse(Valid.Replace("seed: 9", "seed: 18446744073709551615", StringComparison.Ordinal), "eq.yaml");
        config.MonteCarlo!.Seed.Should().Be(ulong.MaxValue);
    }

    [Fact]
    public void Parse_MissingPlayersSection_IsAnError()
    {
        var error = Error("market: { sigma: 1, holding_horizon: 0.1, arrival_rate: 10, share_elasticity: 1 }");
        error.Field.Should().Be("players");
        error.Message.Should().Contain("at least two players");
    }

    private static InputException Error(string text) =>
        FluentActions.Invoking(() => EquilibriumConfigLoader.Parse(text, "eq.yaml")).Should().Throw<InputException>().Which;

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MarketMaking.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
