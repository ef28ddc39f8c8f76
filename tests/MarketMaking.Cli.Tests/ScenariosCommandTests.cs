namespace MarketMaking.Cli.Tests;

public class ScenariosCommandTests
{
    private const string Small = """
        scenarios:
          gammas: [0.01, 0.1]
          lambda: 0.01
          regimes:
            calm: { drift: 0, sigma: 2 }
            turbulent: { sigma: 10 }
            downtrend: { drift: -10 }
        market: { process: gaussian, s0: 100, sigma: 2, dt: 0.01, horizon: 0.5 }
        intensity: { model: exponential, A: 140, k: 1.5 }
        fills: poisson
        strategy: { name: avellaneda-stoikov }
        markout_horizons: [1, 5]
        paths: 150
        seed: 5
        """;

    private static readonly string[] Reports = ["scenarios_summary.csv", "scenarios_summary.md", "scenarios_quotes.png", "scenarios_pnl.png",
        "scenarios_inventory.png", "scenarios_var.png", "scenarios_markouts.png", "scenarios_criterion.png"];

    private static Dictionary<string, byte[]> Files(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllBytes);

    [Fact]
    public void Scenarios_SmallGrid_WritesEveryReportWithTheIssuesColumns()
    {
        // Given a 3 × 2 grid
        using var dir = new TempDir();
        var config = dir.Write("sc.yaml", Small);

        // When sweeping
        var result = CliRunner.Run("scenarios", "--config", config, "--out", dir.Combine("out"));

        // Then exit 0, every report, one CSV row per cell with at least the issue's columns, findings and no per-path file
        result.ExitCode.Should().Be(0, result.Error);
        foreach (var report in Reports) File.Exists(Path.Combine(dir.Combine("out"), report)).Should().BeTrue(report);
        var csv = File.ReadAllLines(Path.Combine(dir.Combine("out"), "scenarios_summary.csv"));
        csv.Should().HaveCount(1 + 6);
        csv[0].Should().StartWith("regime,gamma,paths,avg_spread,profit_mean,profit_std,profit_se,sharpe,final_q_std,inventory_std,max_abs_inventory,fills,spread_capture,inventory_pnl,adverse_selection,var95,var99,es95,pnl_p05,markout_mean,markout_p05,markout_p95");
        csv[1].Should().StartWith("calm,0.01,150,");
        var md = File.ReadAllText(Path.Combine(dir.Combine("out"), "scenarios_summary.md"));
        md.Should().Contain("## Findings").And.Contain("Best γ").And.Contain("spreads widen steadily with γ in 3 of 3 regimes");
        File.Exists(Path.Combine(dir.Combine("out"), "scenarios_paths.csv")).Should().BeFalse();
    }

    [Fact]
    public void Scenarios_OneVersusTwoThreads_ByteIdenticalReports()
    {
        // Given the same sweep on 1 and 2 threads
        using var dir = new TempDir();
        var config = dir.Write("sc.yaml", Small);
        CliRunner.Run("scenarios", "--config", config, "--threads", "1", "--keep-paths", "--out", dir.Combine("one")).ExitCode.Should().Be(0);
        CliRunner.Run("scenarios", "--config", config, "--threads", "2", "--keep-paths", "--out", dir.Combine("two")).ExitCode.Should().Be(0);

        // Then every file is byte-identical (per-path outcomes included)
        var one = Files(dir.Combine("one"));
        one.Should().ContainKey("scenarios_paths.csv");
        var two = Files(dir.Combine("two"));
        two.Keys.Should().BeEquivalentTo(one.Keys);
        foreach (var (name, bytes) in one) two[name].Should().Equal(bytes, name);
    }

    [Fact]
    public void ScenariosMerge_ThreeShards_ByteIdenticalToSingleRun()
    {
        // Given the unsharded run and the same sweep in three shards (in two directories)
        using var dir = new TempDir();
        var config = dir.Write("sc.yaml", Small);
        CliRunner.Run("scenarios", "--config", config, "--keep-paths", "--out", dir.Combine("whole")).ExitCode.Should().Be(0);
        for (var i = 1; i <= 3; i++)
        {
            var shard = CliRunner.Run("scenarios", "--config", config, "--keep-paths", "--shard", $"{i}/3", "--out", dir.Combine(i == 3 ? "b" : "a"));
            shard.ExitCode.Should().Be(0, shard.Error);
        }
        File.Exists(Path.Combine(dir.Combine("a"), "scenarios_shard_1_of_3.json")).Should().BeTrue();

        // When merging
        var merge = CliRunner.Run("scenarios", "merge", dir.Combine("a"), dir.Combine("b"), "--out", dir.Combine("merged"));

        // Then the merged reports equal the single run's byte for byte
        merge.ExitCode.Should().Be(0, merge.Error);
        var whole = Files(dir.Combine("whole"));
        var merged = Files(dir.Combine("merged"));
        merged.Keys.Should().BeEquivalentTo(whole.Keys);
        foreach (var (name, bytes) in whole) merged[name].Should().Equal(bytes, name);
    }

    [Fact]
    public void ScenariosMerge_MismatchedOrMissingShards_FailsWritingNothing()
    {
        // Given shard 1/2 with seed 5 and shard 2/2 with seed 6
        using var dir = new TempDir();
        var config = dir.Write("sc.yaml", Small);
        CliRunner.Run("scenarios", "--config", config, "--shard", "1/2", "--out", dir.Combine("a")).ExitCode.Should().Be(0);
        CliRunner.Run("scenarios", "--config", config, "--shard", "2/2", "--seed", "6", "--out", dir.Combine("b")).ExitCode.Should().Be(0);

        // When merging them, or shard 1 alone
        var mismatched = CliRunner.Run("scenarios", "merge", dir.Combine("a"), dir.Combine("b"), "--out", dir.Combine("m1"));
        var missing = CliRunner.Run("scenarios", "merge", dir.Combine("a"), "--out", dir.Combine("m2"));
        var duplicated = CliRunner.Run("scenarios", "merge", dir.Combine("a"), dir.Combine("a"), "--out", dir.Combine("m3"));

        // Then one-line errors, exit 1, nothing written
        mismatched.ExitCode.Should().Be(1);
        mismatched.Error.Should().Contain("another sweep");
        missing.ExitCode.Should().Be(1);
        missing.Error.Should().Contain("missing shard(s) 2/2");
        duplicated.ExitCode.Should().Be(1);
        Directory.Exists(dir.Combine("m1")).Should().BeFalse();
        Directory.Exists(dir.Combine("m2")).Should().BeFalse();
    }

    [Theory]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("abc")]
    [InlineData("1/0")]
    public void Scenarios_BadShardSpec_ExitsWithUsageError(string shard)
    {
        // Given a bad --shard, When running, Then exit 2, one line, nothing written
        using var dir = new TempDir();
        var config = dir.Write("sc.yaml", Small);
        var result = CliRunner.Run("scenarios", "--config", config, "--shard", shard, "--out", dir.Combine("out"));
        result.ExitCode.Should().Be(2);
        result.Error.Should().StartWith("mm-engine: error: --shard");
        result.Error.TrimEnd().Split('\n').Should().HaveCount(1);
        Directory.Exists(dir.Combine("out")).Should().BeFalse();
    }

    [Theory]
    [InlineData("calm: { drift: 0, sigma: 2 }", "calm: { drift: 0, sigma: 2, jumps: 0.1 }", "unknown key 'jumps'", "scenarios.regimes.calm.jumps")]
    [InlineData("calm: { drift: 0, sigma: 2 }", "calm: { drift: 0, sgima: 2 }", "did you mean 'sigma'", "scenarios.regimes.calm.sgima")]
    [InlineData("calm: { drift: 0, sigma: 2 }", "calm: { drift: 0, sigma: -2 }", "must be >= 0", "scenarios.regimes.calm.sigma")]
    [InlineData("calm: { drift: 0, sigma: 2 }", "calm: { drift: 0, sigma: .nan }", "finite number", "scenarios.regimes.calm.sigma")]
    [InlineData("gammas: [0.01, 0.1]", "gammas: [0, 0.1]", "must be > 0", "scenarios.gammas")]
    [InlineData("gammas: [0.01, 0.1]", "gammas: [-0.1, 0.1]", "must be > 0", "scenarios.gammas")]
    [InlineData("gammas: [0.01, 0.1]", "gammas: []", "the grid is empty", "scenarios.gammas")]
    [InlineData("gammas: [0.01, 0.1]", "gammas: [0.1, 0.1]", "repeat", "scenarios.gammas")]
    [InlineData("lambda: 0.01", "lambda: -1", "must be >= 0", "scenarios.lambda")]
    [InlineData("strategy: { name: avellaneda-stoikov }", "strategy: { name: avellaneda-stoikov, gamma: 0.1 }", "scenarios.gammas", "strategy.gamma")]
    [InlineData("process: gaussian", "process: binomial", "no drift", "scenarios.regimes.downtrend.drift")]
    [InlineData("paths: 150", "paths: 0", "1", "paths")]
    public void Scenarios_BadConfig_OneLocatedErrorAndNothingWritten(string from, string to, string message, string field)
    {
        // Given the small config with one defect
        using var dir = new TempDir();
        var config = dir.Write("sc.yaml", Small.Replace(from, to, StringComparison.Ordinal));

        // When sweeping
        var result = CliRunner.Run("scenarios", "--config", config, "--out", dir.Combine("out"));

        // Then exit 1, one line naming the file, line and key, and nothing written
        result.ExitCode.Should().Be(1, result.Error);
        result.Error.Should().StartWith("mm-engine: error: " + config + ":").And.Contain(message).And.Contain($"({field})");
        result.Error.TrimEnd().Split('\n').Should().HaveCount(1);
        Directory.Exists(dir.Combine("out")).Should().BeFalse();
    }

    [Fact]
    public void Scenarios_EmptyRegimesOrMissingSection_Fails()
    {
        // Given no regimes, and no scenarios section at all
        using var dir = new TempDir();
        var noRegimes = dir.Write("a.yaml", Small.Replace("  regimes:\n    calm: { drift: 0, sigma: 2 }\n    turbulent: { sigma: 10 }\n    downtrend: { drift: -10 }\n", "  regimes: {}\n", StringComparison.Ordinal));
        var noSection = dir.Write("b.yaml", "market: { process: gaussian }\n");

        // Then both fail with exit 1
        var a = CliRunner.Run("scenarios", "--config", noRegimes, "--out", dir.Combine("a"));
        a.ExitCode.Should().Be(1);
        a.Error.Should().Contain("grid is empty");
        var b = CliRunner.Run("scenarios", "--config", noSection, "--out", dir.Combine("b"));
        b.ExitCode.Should().Be(1);
        b.Error.Should().Contain("scenarios section");
    }

    [Fact]
    public void Scenarios_ShippedConfig_RunsWithFewPaths()
    {
        // Given config/scenarios.yaml (the seed's 4 regimes × 5 γ) at 20 paths
        var config = Path.Combine(SampleFileTests.RepoRoot(), "config", "scenarios.yaml");
        using var dir = new TempDir();

        // When sweeping, Then 20 rows
        var result = CliRunner.Run("scenarios", "--config", config, "--paths", "20", "--out", dir.Combine("out"));
        result.ExitCode.Should().Be(0, result.Error);
        File.ReadAllLines(Path.Combine(dir.Combine("out"), "scenarios_summary.csv")).Should().HaveCount(21);
    }
}
