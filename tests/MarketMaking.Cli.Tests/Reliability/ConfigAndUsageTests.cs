namespace MarketMaking.Cli.Tests.Reliability;

/// <summary>YAML and option errors through the CLI: the key, its line, the value and the allowed range; usage is exit 2.</summary>
public class ConfigAndUsageTests
{
    public static TheoryData<string, string, string, string> YamlErrors() => new()
    {
        // verb, YAML, expected fragment (file:line:column is checked by its line)
        { "equilibrium", VerbCase.EquilibriumYaml.Replace("sigma: 2.0", "sigam: 2.0", StringComparison.Ordinal), "eq.yaml:1:", "unknown key 'sigam'; did you mean 'sigma'? (market.sigam)" },
        { "equilibrium", VerbCase.EquilibriumYaml.Replace("tick: 0.02", "tick: fast", StringComparison.Ordinal), "eq.yaml:5:", "expected a finite number, got 'fast' (grid.tick)" },
        { "equilibrium", VerbCase.EquilibriumYaml.Replace("share_elasticity: 10", "share_elasticity: -1", StringComparison.Ordinal), "eq.yaml:1:", "-1" },
        { "equilibrium", VerbCase.EquilibriumYaml.Replace("- { name: rival", "- { name: rival,, ", StringComparison.Ordinal), "eq.yaml:4:", "invalid YAML" },
        { "equilibrium", VerbCase.EquilibriumYaml + "\nmonte_carlo: { paths: 1 }\n", "eq.yaml:", "invalid YAML" },
        { "backtest", VerbCase.BacktestYaml + "pathz: 3\n", "bt.yaml:4:1: ", "did you mean 'paths'?" },
        { "backtest", VerbCase.BacktestYaml.Replace("dt: 0.01", "dt: -0.01", StringComparison.Ordinal), "bt.yaml:1:", "must be > 0, got -0.01 (market.dt)" },
        { "backtest", VerbCase.BacktestYaml.Replace("paths: 40", "paths: many", StringComparison.Ordinal), "bt.yaml:2:", "expected an integer, got 'many' (paths)" },
        { "backtest", VerbCase.BacktestYaml.Replace("paths: 40", "paths: 0", StringComparison.Ordinal), "bt.yaml:2:", "must be >= 1, got 0 (paths)" },
        { "backtest", VerbCase.BacktestYaml + "fills: [poisson\n", "bt.yaml:", "invalid YAML" },
        { "backtest", VerbCase.BacktestYaml + "strategy: { name: avelaneda-stoikov }\n", "bt.yaml:4:", "did you mean 'avellaneda-stoikov'?" },
        { "scenarios", VerbCase.ScenariosYaml.Replace("lambda: 0.01", "lamda: 0.01", StringComparison.Ordinal), "sc.yaml:3:", "unknown key 'lamda'; did you mean 'lambda'? (scenarios.lamda)" },
        { "scenarios", VerbCase.ScenariosYaml.Replace("turbulent: { sigma: 10 }", "turbulent: { sigma: -10 }", StringComparison.Ordinal), "sc.yaml:6:", "must be >= 0, got -10 (scenarios.regimes.turbulent.sigma)" },
        { "scenarios", VerbCase.ScenariosYaml.Replace("paths: 12", "paths: many", StringComparison.Ordinal), "sc.yaml:11:", "expected an integer, got 'many' (paths)" },
        { "scenarios", VerbCase.ScenariosYaml.Replace("paths: 12", "paths: 0", StringComparison.Ordinal), "sc.yaml:11:", "must be >= 1, got 0 (paths)" },
        { "scenarios", VerbCase.ScenariosYaml.Replace("lambda: 0.01", "lambda: high", StringComparison.Ordinal), "sc.yaml:3:", "expected a finite number, got 'high' (scenarios.lambda)" },
        { "scenarios", VerbCase.ScenariosYaml.Replace("gammas: [0.01, 0.1]", "gammas: [0.01, 0.1", StringComparison.Ordinal), "sc.yaml:", "invalid YAML" },
        { "scenarios", VerbCase.ScenariosYaml.Replace("  lambda: 0.01", "  lambda: 0.01\n lambda: 2", StringComparison.Ordinal), "sc.yaml:4:", "invalid YAML" },
    };

    [Theory]
    [MemberData(nameof(YamlErrors))]
    public void Run_BadYaml_Exit1NamesKeyLineAndValue(string verb, string yaml, string location, string fragment)
    {
        // Given a configuration with one error
        using var dir = new TempDir();
        var args = VerbCase.Named(verb).Args(dir);
        File.WriteAllText(dir.Combine(verb switch { "backtest" => "bt.yaml", "scenarios" => "sc.yaml", _ => "eq.yaml" }), yaml);

        // When run, Then exit 1 with the line and the key, nothing written
        var outcome = CleanFailure.Check(dir, [.. args, "--out", dir.Combine("out")], 1, fragment);
        outcome.Error.Should().Contain(location);
    }

    public static TheoryData<string[]> UsageErrors() => new()
    {
        new[] { "calibrate", "--input", "x.csv", "--bogus" },
        new[] { "calibrate", "--input", "x.csv", "--model", "cubic" },
        new[] { "calibrate", "--input", "x.csv", "--dt", "abc" },
        new[] { "calibrate" },
        new[] { "backtest", "--paths", "many" },
        new[] { "backtest", "--threads", "1.5" },
        new[] { "bins", "--trades", "t.csv", "--quotes", "q.csv" },
        new[] { "bins", "--trades", "t.csv", "--quotes", "q.csv", "--deltas", "1:x:0.1" },
        new[] { "equilibrium" },
        new[] { "quote", "--mid", "100", "--gamma", "0.1", "--sigma", "2", "--k", "1.5", "--model", "glft" },
        new[] { "demo", "--seed", "-1" },
        new[] { "frobnicate" },
        new[] { "scenarios", "--config", "sc.yaml", "--shard", "0/2" },
        new[] { "scenarios", "--config", "sc.yaml", "--shard", "3/2" },
        new[] { "scenarios", "--config", "sc.yaml", "--shard", "1/x" },
        new[] { "scenarios", "--config", "sc.yaml", "--threads", "two" },
        new[] { "scenarios", "merge" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void Run_UsageError_Exit2OneLineNothingWritten(string[] args)
    {
        using var dir = new TempDir();
        CleanFailure.Check(dir, [.. args, "--out", dir.Combine("out")], 2);
    }

    public static TheoryData<string[], string> BadOptionValues() => new()
    {
        { new[] { "quote", "--mid", "100", "--gamma", "0", "--sigma", "2", "--k", "1.5" }, "--gamma" },
        { new[] { "quote", "--mid", "NaN", "--gamma", "0.1", "--sigma", "2", "--k", "1.5" }, "--mid" },
        { new[] { "quote", "--mid", "100", "--gamma", "0.1", "--sigma", "-2", "--k", "1.5" }, "--sigma" },
        { new[] { "backtest", "--gamma", "-1", "--paths", "5" }, "--gamma" },
        { new[] { "backtest", "--paths", "0" }, "--paths" },
        { new[] { "calibrate", "--input", VerbCase.Samples + "/calibration_bins.csv", "--delta0", "-1" }, "delta0" },
    };

    [Theory]
    [MemberData(nameof(BadOptionValues))]
    public void Run_OutOfRangeOption_Exit1NamesOption(string[] args, string option)
    {
        using var dir = new TempDir();
        // quote prints to stdout and has no --out.
        CleanFailure.Check(dir, args[0] == "quote" ? args : [.. args, "--out", dir.Combine("out")], 1, option);
    }
}
