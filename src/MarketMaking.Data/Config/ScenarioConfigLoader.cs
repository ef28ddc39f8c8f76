using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MarketMaking.Core;
using MarketMaking.Core.Backtest;
using MarketMaking.Core.Scenarios;
using MarketMaking.Data.Yaml;

namespace MarketMaking.Data.Config;

/// <summary>Command-line values that replace the YAML's (null = keep the YAML's).</summary>
public sealed record ScenarioOverrides
{
    public int? Paths { get; init; }
    public ulong? Seed { get; init; }
    public int? Threads { get; init; }
    public bool KeepPaths { get; init; }
    public Shard Shard { get; init; } = Shard.Whole;
}

/// <param name="ConfigHash">SHA-256 of the config file's bytes and the flags that change results: shards of one sweep share it.</param>
public sealed record ScenarioSetup(ScenarioSpec Spec, IReadOnlyList<KeyValuePair<string, string>> Settings, string ConfigHash);

/// <summary>
/// Reads the scenarios YAML (schema in config/scenarios.yaml): the backtest's own sections (market, intensity, fills,
/// strategy, …), read by <see cref="BacktestConfigLoader"/> once per cell with the regime's σ and drift and the cell's γ,
/// plus a `scenarios` section with the grid. Errors are located like the backtest's.
/// </summary>
public static class ScenarioConfigLoader
{
    public const double DefaultLambda = 0.01;

    public static ScenarioSetup Load(string path, ScenarioOverrides overrides)
    {
        var root = YamlConfig.Load(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot read: {e.Message}", path, inner: e);
        }
        return Build(root, overrides, bytes, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    public static ScenarioSetup Build(ConfigMap root, ScenarioOverrides overrides, byte[] configBytes, string? baseDirectory = null)
    {
        var section = root.OptionalMap("scenarios") ?? throw root.ErrorAt("scenarios", "missing the scenarios section (gammas, lambda, regimes)");
        var gammas = section.OptionalDoubleList("gammas", NumberRule.Positive) ?? throw section.ErrorAt("gammas", "missing the list of risk aversions γ");
        if (gammas.Count == 0) throw section.ErrorAt("gammas", "the grid is empty: give at least one γ > 0");
        if (gammas.Distinct().Count() != gammas.Count) throw section.ErrorAt("gammas", "γ values repeat");
        var lambda = section.Double("lambda", DefaultLambda, NumberRule.NonNegative);

        var market = root.Map("market");
        var process = market.Choice("process", "binomial", BacktestConfigLoader.Processes);
        var marketSigma = market.Double("sigma", 2.0, NumberRule.NonNegative);
        var marketDrift = market.Double("drift", 0.0);
        // Read here too (BacktestConfigLoader checks them): this view of the section must know every key it holds.
        var s0 = market.Double("s0", 100.0);
        var dt = market.Double("dt", 0.005);
        var horizon = market.Double("horizon", 1.0);
        market.OptionalString("file");
        if (process == "csv") throw market.ErrorAt("process", "a scenario sweep simulates its regimes: use binomial, gaussian or gbm, not csv");
        var strategy = root.Map("strategy");
        strategy.OptionalString("name");
        var strategySigma = strategy.OptionalDouble("sigma");
        var strategyK = strategy.OptionalDouble("k");
        if (strategy.Has("gamma")) throw strategy.ErrorAt("gamma", "γ comes from scenarios.gammas in a sweep; remove strategy.gamma");
        if (root.OptionalStringList("compare") is { Count: > 0 }) throw root.ErrorAt("compare", "a sweep runs one strategy per cell; compare strategies with `backtest --compare`");

        var regimeMaps = section.NamedMaps("regimes");
        if (regimeMaps.Count == 0) throw section.ErrorAt("regimes", "the grid is empty: give at least one regime (name: { drift, sigma })");
        var regimes = new List<ScenarioRegime>();
        foreach (var (name, map) in regimeMaps)
        {
            var drift = map.Double("drift", marketDrift);
            var sigma = map.Double("sigma", marketSigma, NumberRule.NonNegative);
            if (drift != 0 && process == "binomial") throw map.ErrorAt("drift", "the binomial mid has no drift: set market.process to gaussian or gbm");
            regimes.Add(map.Build(() => new ScenarioRegime(name, drift, sigma)));
        }
        // Every regime key has been asked for: BacktestConfigLoader.Build's unknown-key check now also catches a misspelt
        // regime key, or jumps / switching, which the engine's price processes do not support.
        var specs = new List<BacktestSpec>();
        IReadOnlyList<KeyValuePair<string, string>> shared = [];
        foreach (var regime in regimes)
        {
            foreach (var gamma in gammas)
            {
                var setup = BacktestConfigLoader.Build(root, new BacktestOverrides
                {
                    Gamma = gamma,
                    Sigma = regime.Sigma,
                    Drift = regime.Drift,
                    Paths = overrides.Paths,
                    Seed = overrides.Seed,
                }, baseDirectory);
                specs.Add(setup.Spec);
                shared = setup.Settings;
            }
        }
        var first = specs[0];
        var seed = first.Seed;
        var spec = section.Build(() => new ScenarioSpec(regimes, gammas, specs, lambda)
        {
            Seed = seed,
            Threads = overrides.Threads is int t ? Guard.AtLeast(t, 0, "--threads") : 0,
            KeepPaths = overrides.KeepPaths,
            Shard = overrides.Shard,
        });

        var settings = new List<KeyValuePair<string, string>>
        {
            new("market", $"{process}, s0 = {Num(s0)}, dt = {Num(dt)}, horizon = {Num(horizon)} ({Int(first.Market.Steps)} steps); drift and σ per regime"),
        };
        settings.AddRange(shared.Where(kv => kv.Key is not "market" and not "strategy"));
        settings.Add(new("strategy", $"{first.Strategies[0].Name}, γ per cell, σ = {(strategySigma is double ss ? Num(ss) : "the regime's σ")}{(strategyK is double kk ? $", k = {Num(kk)}" : ", k = the intensity's k")}"));
        settings.Add(new("distribution_paths", Int(Math.Min(first.DistributionPaths, first.Paths))));
        settings.Add(new("criterion", $"mean-variance utility profit_mean − ½·λ·variance with λ = {Num(lambda)}; and the step Sharpe"));

        var fingerprint = new StringBuilder()
            .Append("paths=").Append(Int(first.Paths)).Append('\n')
            .Append("seed=").Append(seed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        var hash = SHA256.HashData([.. configBytes, .. Encoding.UTF8.GetBytes(fingerprint.ToString())]);
        return new ScenarioSetup(spec, settings, Convert.ToHexStringLower(hash));
    }

    private static string Num(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
