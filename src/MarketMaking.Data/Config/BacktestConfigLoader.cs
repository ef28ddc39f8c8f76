using System.Globalization;
using MarketMaking.Core;
using MarketMaking.Core.Backtest;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;
using MarketMaking.Data.Inputs;
using MarketMaking.Data.Yaml;

namespace MarketMaking.Data.Config;

/// <summary>Command-line values that replace the YAML's (null = keep the YAML's).</summary>
public sealed record BacktestOverrides
{
    public string? Mid { get; init; }
    public string? Fit { get; init; }
    public FitModelChoice FitModel { get; init; } = FitModelChoice.Best;
    public string? Strategy { get; init; }
    public IReadOnlyList<string>? Compare { get; init; }
    public double? Gamma { get; init; }

    /// <summary>Replaces market.sigma (and so the strategy's default σ): a scenario regime's volatility.</summary>
    public double? Sigma { get; init; }

    /// <summary>Replaces market.drift: a scenario regime's drift.</summary>
    public double? Drift { get; init; }
    public int? Paths { get; init; }
    public ulong? Seed { get; init; }
    public int? Threads { get; init; }
    public int? TimeseriesEvery { get; init; }
    public bool AllFills { get; init; }
}

/// <summary>A loaded backtest: the Core spec plus the settings as the reports should echo them.</summary>
public sealed record BacktestSetup(BacktestSpec Spec, IReadOnlyList<KeyValuePair<string, string>> Settings);

/// <summary>
/// Reads the backtest YAML (schema in config/base.yaml) through <see cref="ConfigMap"/>: unknown keys, wrong types
/// and out-of-range values fail with the file, line, column and key. Flags override the YAML.
/// </summary>
public static class BacktestConfigLoader
{
    public static readonly string[] Processes = ["binomial", "gaussian", "gbm", "csv"];
    public static readonly string[] IntensityModels = ["exponential", "power"];
    public static readonly string[] FillModels = [PoissonFills.ModelName, LinearFills.ModelName];
    public static readonly string[] StrategyNames = StrategyFactory.Names;

    /// <summary>Loads <paramref name="path"/> (or the defaults when null) and applies the overrides.</summary>
    public static BacktestSetup Load(string? path, BacktestOverrides overrides) =>
        Build(path is null ? YamlConfig.Parse("", "<defaults>") : YamlConfig.Load(path), overrides, path is null ? null : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)));

    public static BacktestSetup Build(ConfigMap root, BacktestOverrides overrides, string? baseDirectory = null)
    {
        var settings = new List<KeyValuePair<string, string>>();
        void Echo(string key, string value) => settings.Add(new(key, value));

        // Market.
        var market = root.Map("market");
        // Every key is read (and checked) even when a flag replaces it, so a replaced key is never reported as unknown.
        var yamlProcess = market.Choice("process", "binomial", Processes);
        var process = overrides.Mid is not null ? "csv" : yamlProcess;
        var s0 = market.Double("s0", 100.0);
        var yamlSigma = market.Double("sigma", 2.0, NumberRule.NonNegative);
        var sigma = overrides.Sigma is double regimeSigma ? Guard.NonNegative(regimeSigma, "sigma") : yamlSigma;
        var yamlDrift = market.Double("drift", 0.0);
        var drift = overrides.Drift is double regimeDrift ? Guard.Finite(regimeDrift, "drift") : yamlDrift;
        var dt = market.Double("dt", 0.005, NumberRule.Positive);
        var horizon = market.Double("horizon", 1.0, NumberRule.Positive);
        var file = market.OptionalString("file");
        var midColumn = market.String("mid_column", "mid");
        var hedgeMap = market.OptionalMap("hedge");
        var hedgeColumn = hedgeMap?.OptionalString("column");
        IMarket built;
        if (process == "csv")
        {
            var mid = overrides.Mid ?? (file is null ? throw market.ErrorAt("file", "process csv needs a mid file: market.file or --mid") : Resolve(file, baseDirectory));
            built = midColumn == "mid" && hedgeColumn is null ? new CsvMidMarket(mid, dt) : ColumnSeries.Market(mid, midColumn, hedgeColumn, dt);
            Echo("market", $"mid series {System.IO.Path.GetFileName(mid)}{(midColumn == "mid" ? "" : $" column {midColumn}")}{(hedgeColumn is null ? "" : $", hedge column {hedgeColumn}")} ({built.Steps.ToString(CultureInfo.InvariantCulture)} steps)");
        }
        else if (hedgeColumn is not null)
        {
            throw hedgeMap!.ErrorAt("column", "a hedge column needs market.process csv");
        }
        else
        {
            IPriceProcess priceProcess = process switch
            {
                "binomial" => new BinomialProcess(sigma),
                "gaussian" => new GaussianProcess(drift, sigma),
                _ => new GbmProcess(drift, sigma),
            };
            built = market.Build(() => new SyntheticMarket(priceProcess, s0, dt, horizon));
            Echo("market", $"{process}, s0 = {Num(s0)}, σ = {Num(sigma)}, drift = {Num(drift)}, dt = {Num(dt)}, horizon = {Num(horizon)} ({built.Steps.ToString(CultureInfo.InvariantCulture)} steps)");
        }

        // Intensity: config (shared or per side), replaced by a fit.csv when --fit is given (the section is still checked).
        var intensity = root.Map("intensity");
        var both = ReadIntensity(intensity, null);
        var bidMap = intensity.OptionalMap("bid");
        var askMap = intensity.OptionalMap("ask");
        var bid = bidMap is null ? both : ReadIntensity(bidMap, intensity);
        var ask = askMap is null ? both : ReadIntensity(askMap, intensity);
        var (bidIntensity, askIntensity) = (bid.Model, ask.Model);
        var intensityK = bid.K is not null && bid.K == ask.K ? bid.K : null;
        if (overrides.Fit is not null)
        {
            var fit = FitCsvReader.Read(overrides.Fit, overrides.FitModel);
            bidIntensity = fit.Bid.Intensity;
            askIntensity = fit.Ask.Intensity;
            intensityK = fit.CommonK;
            static string Params(FittedSide side) => $"A = {Num(side.A)}, k = {Num(side.K)}{(side.Delta0 is double d0 ? $", δ0 = {Num(d0)}" : "")}";
            Echo("intensity", fit.BySide
                ? $"{fit.Model} by side from {System.IO.Path.GetFileName(fit.Source)}: bid {Params(fit.Bid)}; ask {Params(fit.Ask)}"
                : $"{fit.Model} from {System.IO.Path.GetFileName(fit.Source)}: {Params(fit.Bid)}");
        }
        else
        {
            Echo("intensity", bidMap is null && askMap is null ? Describe(both.Model) : $"bid {Describe(bidIntensity)}; ask {Describe(askIntensity)}");
        }

        var fills = root.Choice("fills", PoissonFills.ModelName, FillModels);
        Echo("fills", fills == LinearFills.ModelName ? "linear, p = min(1, λΔt)" : "poisson, p = 1 − e^(−λΔt)");

        var maxInventory = root.OptionalDouble("max_inventory", NumberRule.Positive);
        var quoteSize = root.Double("quote_size", 1.0, NumberRule.Positive);

        // Strategies: the main one, then the compared ones, all sharing the strategy section's parameters.
        var strategy = root.Map("strategy");
        var yamlName = strategy.Choice("name", AvellanedaStoikovStrategy.StrategyName, StrategyNames);
        var yamlCompare = root.OptionalStringList("compare") ?? [];
        var yamlGamma = strategy.Double("gamma", 0.1, NumberRule.Positive);
        var gamma = overrides.Gamma is double g ? Guard.Positive(g, "--gamma") : yamlGamma;
        var strategySigma = strategy.Double("sigma", sigma, NumberRule.NonNegative);
        var strategyK = strategy.OptionalDouble("k", NumberRule.Positive) ?? intensityK
            ?? throw strategy.ErrorAt("k", "strategy.k is required when the intensity is not one exponential model (the A-S formulas use an exponential decay k)");
        var names = new List<StrategyName>
        {
            overrides.Strategy is { } flag ? new(flag, new InputException("", field: "--strategy")) : new(yamlName, null),
        };
        foreach (var name in overrides.Compare ?? yamlCompare)
        {
            names.Add(new(name, overrides.Compare is null ? root.ErrorAt("compare", "") : new InputException("", field: "--compare")));
        }
        // The hedge instrument: the csv's second column, or a synthetic one correlated with the mid (configured, or by
        // default when a strategy hedges).
        var hedgeCost = hedgeMap?.Double("cost", 0.0, NumberRule.NonNegative) ?? 0.0;
        var correlation = hedgeMap?.Double("correlation", 0.9) ?? 0.9;
        var relativeSigma = process == "gbm" ? sigma : sigma / Math.Abs(s0);
        var hedgeS0 = hedgeMap?.Double("s0", s0, NumberRule.Positive) ?? s0;
        var hedgeSigma = hedgeMap?.Double("sigma", relativeSigma, NumberRule.NonNegative) ?? relativeSigma;
        if (!built.HasHedge && (hedgeMap is not null || names.Exists(n => StrategyFactory.NeedsHedge(n.Name, strategy))))
        {
            if (process == "csv") throw market.ErrorAt("hedge", "a hedging strategy on a csv market needs market.hedge.column (the hedge instrument's column)");
            var inner = built;
            built = (hedgeMap ?? market).Build<IMarket>(() => new CorrelatedHedgeMarket(inner, correlation, hedgeS0, relativeSigma, hedgeSigma));
            Echo("hedge", $"synthetic, correlation {Num(correlation)}, s0 = {Num(hedgeS0)}, relative σ = {Num(hedgeSigma)}, cost {Num(hedgeCost)} per unit");
        }
        else if (built.HasHedge)
        {
            Echo("hedge", $"column {hedgeColumn}, cost {Num(hedgeCost)} per unit");
        }
        var intensityA = bidIntensity is ExponentialIntensity exponential ? exponential.A : double.NaN;
        var context = new StrategyContext(built, overrides.Seed ?? (ulong)root.Int("seed", 1, 0), gamma, strategyK, strategySigma, intensityA,
            drift, quoteSize, maxInventory, hedgeCost);
        var strategies = new List<IQuotingStrategy>();
        foreach (var (name, where) in names)
        {
            strategies.Add(StrategyFactory.Create(name, strategy, context, where));
        }
        Echo("strategy", $"{string.Join(" vs ", strategies.Select(s => s.Name))}: γ = {Num(gamma)}, k = {Num(strategyK)}, σ = {Num(strategySigma)}");

        var horizons = root.OptionalIntList("markout_horizons", 1) ?? [1, 10, 50];
        var yamlPaths = root.Int("paths", 1000, 1);
        var paths = overrides.Paths is int p ? Guard.AtLeast(p, 1, "--paths") : yamlPaths;
        var yamlSeed = (ulong)root.Int("seed", 1, 0);
        var seed = overrides.Seed ?? yamlSeed;
        var yamlEvery = root.Int("timeseries_every", 0, 0);
        var every = overrides.TimeseriesEvery is int e ? Guard.AtLeast(e, 1, "--timeseries-every") : yamlEvery;
        var distributionPaths = root.Int("distribution_paths", 1000, 1);
        Echo("max_inventory", maxInventory is double cap ? Num(cap) : "none");
        Echo("quote_size", Num(quoteSize));
        Echo("markout_horizons", string.Join(", ", ToStrings(horizons)) + " steps");
        Echo("paths", paths.ToString(CultureInfo.InvariantCulture));
        Echo("seed", seed.ToString(CultureInfo.InvariantCulture));
        root.RejectUnknownKeys();

        var spec = new BacktestSpec
        {
            Market = built,
            BidIntensity = bidIntensity,
            AskIntensity = askIntensity,
            Fills = fills == LinearFills.ModelName ? LinearFills.Instance : PoissonFills.Instance,
            Strategies = strategies,
            Paths = paths,
            Seed = seed,
            Threads = overrides.Threads is int t ? Guard.AtLeast(t, 0, "--threads") : 0,
            MaxInventory = maxInventory,
            HedgeCost = hedgeCost,
            QuoteSize = quoteSize,
            MarkoutHorizons = horizons,
            TimeseriesEvery = every,
            AllFills = overrides.AllFills,
            DistributionPaths = distributionPaths,
        };
        root.Build(() =>
        {
            spec.Validate();
            return spec;
        });
        return new BacktestSetup(spec, settings);
    }

    /// <summary>A strategy to build, and where its name came from (a flag or the compare key; null for strategy.name).</summary>
    private sealed record StrategyName(string Name, InputException? Where);

    /// <summary>An intensity model and its exponential decay k (null for the power model).</summary>
    private sealed record SideIntensity(IIntensityModel Model, double? K);

    /// <summary>One intensity model; a per-side section falls back to the shared section's keys.</summary>
    private static SideIntensity ReadIntensity(ConfigMap map, ConfigMap? shared)
    {
        var model = map.Choice("model", shared?.Choice("model", "exponential", IntensityModels) ?? "exponential", IntensityModels);
        var a = map.OptionalDouble("A", NumberRule.Positive) ?? shared?.OptionalDouble("A", NumberRule.Positive) ?? 140.0;
        var k = map.OptionalDouble("k", NumberRule.Positive) ?? shared?.OptionalDouble("k", NumberRule.Positive) ?? 1.5;
        if (model == "exponential")
        {
            return new(map.Build<IIntensityModel>(() => new ExponentialIntensity(a, k)), k);
        }
        var delta0 = map.OptionalDouble("delta0", NumberRule.Positive) ?? shared?.OptionalDouble("delta0", NumberRule.Positive)
            ?? throw map.ErrorAt("delta0", "the power model needs delta0 (> 0)");
        return new(map.Build<IIntensityModel>(() => new PowerLawIntensity(a, k, delta0)), null);
    }

    /// <summary>Invariant text of each integer (a loop: LINQ over ints would be JIT-compiled on every cold start).</summary>
    private static string[] ToStrings(IReadOnlyList<int> values)
    {
        var text = new string[values.Count];
        for (var i = 0; i < text.Length; i++) text[i] = values[i].ToString(CultureInfo.InvariantCulture);
        return text;
    }

    private static string Describe(IIntensityModel model) => model switch
    {
        ExponentialIntensity e => $"exponential, A = {Num(e.A)}, k = {Num(e.K)}",
        PowerLawIntensity p => $"power, A = {Num(p.A)}, k = {Num(p.K)}, δ0 = {Num(p.Delta0)}",
        _ => model.GetType().Name,
    };

    private static string Resolve(string file, string? baseDirectory) =>
        System.IO.Path.IsPathRooted(file) || baseDirectory is null ? file : System.IO.Path.Combine(baseDirectory, file);

    private static string Num(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
