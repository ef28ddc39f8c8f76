namespace MarketMaking.Cli.Tests.Reliability;

/// <summary>
/// One small, fast, valid run of every verb that writes files, with the inputs it reads: the failure-mode tests
/// sabotage one thing at a time and check that the run fails cleanly.
/// </summary>
public sealed record VerbCase(string Name, Func<TempDir, string[]> Args, IReadOnlyDictionary<string, string> CsvInputs)
{
    public override string ToString() => Name;

    public static readonly string Samples = Path.Combine(SampleFileTests.RepoRoot(), "samples");

    public const string Bins = "delta,count,exposure\n0.1,120,10\n0.2,90,10\n0.5,40,10\n1,11,10\n2,1,10\n";
    public const string Mids = "time,mid\n0,100\n0.5,100.25\n1,99.75\n1.5,100\n2,100.5\n2.5,100.25\n";
    public const string Returns = "return\n0.01\n-0.02\n0.005\n0.012\n-0.007\n0.02\n-0.015\n0.001\n0.003\n-0.009\n0.011\n-0.004\n";
    public const string Fit = "model,A,k,delta0,aic\nexponential,140,1.5,,100\n";

    public const string BacktestYaml = "market: { process: gaussian, sigma: 2, dt: 0.01, horizon: 0.5 }\npaths: 40\ndistribution_paths: 10\n";

    public const string EquilibriumYaml = """
        market: { sigma: 2.0, holding_horizon: 0.05, arrival_rate: 100, share_elasticity: 10 }
        players:
          - { name: desk,  cost: 0.01, risk_aversion: 0.1 }
          - { name: rival, cost: 0.01, risk_aversion: 0.1 }
        grid: { max_half_spread: 1.0, tick: 0.02 }
        dynamics: { start: [1.0, 0.2], rounds: 5 }
        monte_carlo: { horizon: 1.0, paths: 50, seed: 1 }
        """;

    public static readonly VerbCase Calibrate = new("calibrate",
        d => ["calibrate", "--input", d.Write("bins.csv", Bins), "--mid", d.Write("mid.csv", Mids)],
        new Dictionary<string, string> { ["bins.csv"] = Bins, ["mid.csv"] = Mids });

    public static readonly VerbCase CalibrateReturns = new("calibrate --returns",
        d => ["calibrate", "--returns", d.Write("returns.csv", Returns)],
        new Dictionary<string, string> { ["returns.csv"] = Returns });

    public static readonly VerbCase Bins_ = new("bins",
        d => ["bins", "--trades", d.Write("trades.csv", File.ReadAllText(Path.Combine(Samples, "tape_trades.csv"))),
            "--quotes", d.Write("quotes.csv", File.ReadAllText(Path.Combine(Samples, "tape_quotes.csv"))), "--ticks", "5", "--tick-size", "0.01"],
        new Dictionary<string, string>
        {
            ["trades.csv"] = File.ReadAllText(Path.Combine(Samples, "tape_trades.csv")),
            ["quotes.csv"] = File.ReadAllText(Path.Combine(Samples, "tape_quotes.csv")),
        });

    public static readonly VerbCase Backtest = new("backtest",
        d => ["backtest", "--config", d.Write("bt.yaml", BacktestYaml), "--fit", d.Write("fit.csv", Fit), "--threads", "1"],
        new Dictionary<string, string> { ["fit.csv"] = Fit });

    public static readonly VerbCase BacktestMid = new("backtest --mid",
        d => ["backtest", "--config", d.Write("bt.yaml", BacktestYaml), "--mid", d.Write("mid.csv", Mids), "--paths", "5"],
        new Dictionary<string, string> { ["mid.csv"] = Mids });

    public static readonly VerbCase Equilibrium = new("equilibrium",
        d => ["equilibrium", "--config", d.Write("eq.yaml", EquilibriumYaml)],
        new Dictionary<string, string>());

    /// <summary>2 regimes × 2 γ at a handful of short paths: the sweep, its shards and their merge stay fast.</summary>
    public const string ScenariosYaml = """
        scenarios:
          gammas: [0.01, 0.1]
          lambda: 0.01
          regimes:
            calm: { drift: 0, sigma: 2 }
            turbulent: { sigma: 10 }
        market: { process: gaussian, s0: 100, sigma: 2, dt: 0.01, horizon: 0.2 }
        intensity: { model: exponential, A: 140, k: 1.5 }
        strategy: { name: avellaneda-stoikov }
        markout_horizons: [1, 5]
        paths: 12
        seed: 5
        """;

    public static readonly VerbCase Scenarios = new("scenarios",
        d => ["scenarios", "--config", d.Write("sc.yaml", ScenariosYaml), "--threads", "1"],
        new Dictionary<string, string>());

    /// <summary>The merge of a two-shard run of <see cref="ScenariosYaml"/> (the shards are written when the arguments are made).</summary>
    public static readonly VerbCase ScenariosMerge = new("scenarios merge", d =>
        {
            var config = d.Write("sc.yaml", ScenariosYaml);
            foreach (var shard in new[] { "1/2", "2/2" })
            {
                var run = CliRunner.Run("scenarios", "--config", config, "--shard", shard, "--out", d.Combine("shards"), "--quiet");
                if (run.ExitCode != 0) throw new InvalidOperationException("shard run failed: " + run.Error);
            }
            return ["scenarios", "merge", d.Combine("shards")];
        },
        new Dictionary<string, string>());

    public static readonly VerbCase Demo = new("demo", _ => ["demo"], new Dictionary<string, string>());

    public static readonly VerbCase[] WithFiles = [Calibrate, CalibrateReturns, Bins_, Backtest, BacktestMid, Equilibrium, Scenarios, ScenariosMerge];

    /// <summary>Every verb that writes reports (the demo is the slowest: it runs once per failure mode).</summary>
    public static TheoryData<string> Writers()
    {
        var data = new TheoryData<string>();
        foreach (var verb in WithFiles.Append(Demo)) data.Add(verb.Name);
        return data;
    }

    /// <summary>The writers without the demo (whose run takes seconds): for failures injected in the shared OutputDirectory.</summary>
    public static TheoryData<string> FastWriters()
    {
        var data = new TheoryData<string>();
        foreach (var verb in WithFiles) data.Add(verb.Name);
        return data;
    }

    /// <summary>Every (verb, CSV input) pair.</summary>
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var verb in WithFiles)
        {
            foreach (var input in verb.CsvInputs.Keys) data.Add(verb.Name, input);
        }
        return data;
    }

    public static VerbCase Named(string name) => WithFiles.Append(Demo).Single(v => v.Name == name);
}
