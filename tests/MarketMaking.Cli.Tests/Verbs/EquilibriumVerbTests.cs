using System.Globalization;

namespace MarketMaking.Cli.Tests.Verbs;

public class EquilibriumVerbTests
{
    // A small grid keeps the run fast; everything else is the example.
    private const string Config = """
        market:
          sigma: 2.0
          holding_horizon: 0.05
          arrival_rate: 100
          flow_elasticity: 0.0
          share_model: logit
          share_elasticity: 10
        players:
          - { name: desk,  cost: 0.01, risk_aversion: 0.1 }
          - { name: rival, cost: 0.01, risk_aversion: 0.1 }
        grid: { max_half_spread: 1.0, tick: 0.005 }
        sensitivity: { sigma: [1, 2], cost: [0, 0.02] }
        dynamics: { start: [1.0, 0.2], rounds: 20 }
        monte_carlo: { horizon: 1.0, paths: 500, seed: 1 }
        """;

    [Fact]
    public void Equilibrium_ValidConfig_WritesEveryReport()
    {
        // Given the example configuration
        using var dir = new TempDir();
        var config = dir.Write("eq.yaml", Config);
        var output = dir.Combine("out");

        // When the verb runs
        var result = CliRunner.Run("equilibrium", "--config", config, "--out", output);

        // Then exit 0 and every report is written
        result.ExitCode.Should().Be(0, result.Error);
        result.Out.Should().Contain("wrote");
        foreach (var file in new[] { "equilibria.csv", "best_response.csv", "sensitivity_sigma.csv", "sensitivity_cost.csv", "dynamics.csv", "monte_carlo.csv", "equilibrium_report.md",
            "best_response.png", "payoff_heatmap.png", "sensitivity_sigma.png", "sensitivity_cost.png", "dynamics.png", "pnl_distribution.png" })
        {
            File.Exists(Path.Combine(output, file)).Should().BeTrue(file);
        }
        // And the continuum equilibrium is the closed form s* = 0.03 + 2/10 = 0.23 for both makers
        var lines = File.ReadAllLines(Path.Combine(output, "equilibria.csv"));
        lines[0].Should().Be("equilibrium,player,half_spread,share,flow,payoff,kind,probability,source");
        var continuum = lines.Skip(1).Select(l => l.Split(',')).Where(c => c[8] == "continuum").ToList();
        continuum.Should().HaveCount(2);
        continuum.Should().OnlyContain(c => Math.Abs(double.Parse(c[2], CultureInfo.InvariantCulture) - 0.23) < 1e-9 && c[6] == "pure");
        File.ReadAllLines(Path.Combine(output, "best_response.csv")).Should().HaveCount(1 + 2 * 201);
        File.ReadAllText(Path.Combine(output, "equilibrium_report.md")).Should().Contain("Closed-form check").And.Contain("Decision guidance");
        dir.Contents().Should().NotContain(p => p.Contains(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public void Equilibrium_SameConfigTwice_WritesIdenticalBytes()
    {
        using var dir = new TempDir();
        var config = dir.Write("eq.yaml", Config);
        CliRunner.Run("equilibrium", "--config", config, "--out", dir.Combine("a")).ExitCode.Should().Be(0);
        CliRunner.Run("equilibrium", "--config", config, "--out", dir.Combine("b")).ExitCode.Should().Be(0);
        foreach (var file in Directory.GetFiles(dir.Combine("a")).Select(Path.GetFileName))
        {
            File.ReadAllBytes(dir.Combine("b/" + file)).Should().Equal(File.ReadAllBytes(dir.Combine("a/" + file)), file);
        }
    }

    [Fact]
    public void Equilibrium_WinnerTakesAll_ListsEveryGridEquilibrium()
    {
        // Given the hand-checked game: m = 0.025, Λ0 = 1, ticks of 0.01 → (0.03, 0.03) and (0.04, 0.04)
        using var dir = new TempDir();
        var config = dir.Write("wta.yaml", """
            market: { sigma: 0, holding_horizon: 0, arrival_rate: 1, share_model: winner_takes_all }
            players: [ { name: desk, cost: 0.025, risk_aversion: 0 }, { name: rival, cost: 0.025, risk_aversion: 0 } ]
            grid: { max_half_spread: 0.1, tick: 0.01 }
            """);
        var output = dir.Combine("out");
        var result = CliRunner.Run("equilibrium", "--config", config, "--out", output);
        result.ExitCode.Should().Be(0, result.Error);
        var rows = File.ReadAllLines(Path.Combine(output, "equilibria.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        rows.Select(r => (r[0], r[2])).Should().Equal(("1", "0.03"), ("1", "0.03"), ("2", "0.04"), ("2", "0.04"));
    }

    [Fact]
    public void Equilibrium_ThreeMakersWinnerTakesAllWithEverySection_Runs()
    {
        // Given three makers (no heatmap), winner-takes-all (several equilibria), with sweeps, dynamics and Monte Carlo
        using var dir = new TempDir();
        var config = dir.Write("three.yaml", """
            market: { sigma: 1, holding_horizon: 0.01, arrival_rate: 10, share_model: winner_takes_all }
            players:
              - { name: desk, cost: 0.02, risk_aversion: 0.5 }
              - { name: rival, cost: 0.02, risk_aversion: 0.5 }
              - { name: third, cost: 0.03, risk_aversion: 0.5 }
            grid: { max_half_spread: 0.2, tick: 0.01 }
            sensitivity: { sigma: [0.5, 1], flow_elasticity: [0, 5] }
            dynamics: { start: [0.2, 0.1, 0.15], rounds: 10 }
            monte_carlo: { horizon: 1, paths: 200, seed: 3 }
            """);
        var output = dir.Combine("out");
        var result = CliRunner.Run("equilibrium", "--config", config, "--out", output);
        result.ExitCode.Should().Be(0, result.Error);
        File.Exists(Path.Combine(output, "payoff_heatmap.png")).Should().BeFalse();
        File.Exists(Path.Combine(output, "sensitivity_flow_elasticity.png")).Should().BeTrue();
        File.ReadAllText(Path.Combine(output, "equilibrium_report.md")).Should().Contain("exhaustive over all 9261 profiles");
    }

    [Theory]
    [InlineData("sigma: 2.0", "sigma: -2.0", ":2:10: must be >= 0, got -2 (market.sigma)")]
    [InlineData("share_elasticity: 10", "share_elasticity: 0", ":7:21: must be > 0, got 0 (market.share_elasticity)")]
    [InlineData("share_model: logit", "share_model: logist", "did you mean 'logit'? (market.share_model)")]
    [InlineData("sigma: 2.0", "sigmaa: 2.0", "unknown key 'sigmaa'; did you mean 'sigma'? (market.sigmaa)")]
    [InlineData("  - { name: rival, cost: 0.01, risk_aversion: 0.1 }\n", "", "need at least two players for a game, got 1 (players)")]
    [InlineData("tick: 0.005", "tick: 2", "must not exceed grid.max_half_spread (1), got 2 (grid.tick)")]
    [InlineData("cost: 0.01, risk_aversion: 0.1 }\n  - { name: rival", "cost: -0.01, risk_aversion: 0.1 }\n  - { name: rival", "must be >= 0, got -0.01 (players[0].cost)")]
    public void Equilibrium_BadConfig_OneLineErrorExit1AndNothingWritten(string find, string replace, string expected)
    {
        // Given the example with one thing wrong
        using var dir = new TempDir();
        Config.Should().Contain(find);
        var config = dir.Write("eq.yaml", Config.Replace(find, replace, StringComparison.Ordinal));
        var output = dir.Combine("out");

        // When the verb runs
        var result = CliRunner.Run("equilibrium", "--config", config, "--out", output);

        // Then one error line naming the file, line and key; exit 1; no output directory, no staging leftovers
        result.ExitCode.Should().Be(1);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle();
        lines[0].Should().StartWith("mm-engine: error: " + config + ":").And.EndWith(expected);
        Directory.Exists(output).Should().BeFalse();
        dir.Contents().Should().Equal("eq.yaml");
    }

    [Fact]
    public void Equilibrium_MissingConfigOption_IsAUsageError()
    {
        var result = CliRunner.Run("equilibrium");
        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("--config");
    }

    [Fact]
    public void Equilibrium_ConfigFileMissing_Exit1()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("equilibrium", "--config", dir.Combine("nope.yaml"), "--out", dir.Combine("out"));
        result.ExitCode.Should().Be(1);
        result.Error.Should().StartWith("mm-engine: error: ");
        Directory.Exists(dir.Combine("out")).Should().BeFalse();
    }

    [Fact]
    public void Equilibrium_Help_ShowsTheDefaultOutputDirectory()
    {
        var result = CliRunner.Run("equilibrium", "--help");
        result.ExitCode.Should().Be(0);
        result.Out.Should().Contain("reports/equilibrium");
    }
}
