namespace MarketMaking.Core.Strategies;

/// <summary>Composite's stage switches (YAML <c>strategy.stages</c>).</summary>
public sealed record StageSwitches(bool Regime = true, bool VolatilitySpread = true, bool Skew = true, bool Governor = true, bool Hedge = false, bool Risk = false);

/// <summary>
/// The user's values for the pipeline strategies; null means "the named strategy's default" (defaults differ by
/// strategy where the seeds say so). Built by the YAML factory, or in code (the demo).
/// </summary>
public sealed record PresetOptions
{
    public double BaseSpreadBps { get; init; } = 10;
    public double MinSpreadBps { get; init; } = 2;
    public double VolMultiplier { get; init; } = 2;
    public double? MaxVolScale { get; init; }
    public double? InventoryWidening { get; init; }
    public double? InventorySkew { get; init; }
    public double? SoftLimit { get; init; }
    public double? MomentumSkew { get; init; }
    public double? TrendSkewBps { get; init; }
    public int ShortWindow { get; init; } = 5;
    public int LongWindow { get; init; } = 20;
    public int Warmup { get; init; } = 500;
    public int RefitEvery { get; init; }
    public GovernorStage Governor { get; init; } = new();
    public HedgeStage Hedge { get; init; } = new();
    public RiskControls Risk { get; init; } = new(pauseVolRatio: 3.0, costBps: 1.0, stopLoss: 0.025, dailyStop: 0.05);
    public StageSwitches Stages { get; init; } = new();

    /// <summary>Regime thresholds; the news threshold is set per strategy from <see cref="NewsThreshold"/>.</summary>
    public RegimeSettings Regime { get; init; } = new(trendEnter: 0.004, trendExit: 0.002);

    /// <summary>null: the heuristic's news regime at 6σ, off for the others.</summary>
    public double? NewsThreshold { get; init; }

    /// <summary>Single values of the tuning table that replace the defaults.</summary>
    public IReadOnlyDictionary<Regime, (double? Spread, double? Skew, double? Size, bool? Pause)> TuningOverrides { get; init; } =
        new Dictionary<Regime, (double?, double?, double?, bool?)>();
}

/// <summary>
/// The named strategies as the seed-003 composition pipeline (regime → spread → skew → governor → hedge) with
/// some stages on: one place that says what each name means.
/// </summary>
public static class StrategyPresets
{
    public const string Heuristic = "heuristic";
    public const string SpreadCentric = "spread-centric";
    public const string SkewCentric = "skew-centric";
    public const string InventoryGovernor = "inventory-governor";
    public const string Hedged = "hedged";
    public const string RegimeName = "regime";
    public const string Composite = "composite";

    public static readonly string[] Names = [Heuristic, SpreadCentric, SkewCentric, InventoryGovernor, Hedged, RegimeName, Composite];

    /// <summary>True when the strategy trades the hedge instrument, so the market needs one.</summary>
    public static bool NeedsHedge(string name, StageSwitches stages) => name == Hedged || (name == Composite && stages.Hedge);

    /// <param name="volatility">The run's volatility signal for (warm-up, refit_every), called only when a stage needs it.</param>
    public static PipelineStrategy Create(string name, PresetOptions o, double inventoryLimit, Func<int, int, VolatilitySettings> volatility, double hedgeCost = 0)
    {
        if (!Names.Contains(name, StringComparer.Ordinal)) throw new InputException($"'{name}' is not a pipeline strategy", field: "name");
        var stages = o.Stages;
        var regime = name is RegimeName or Heuristic || (name == Composite && stages.Regime);
        var spreadMode = name == SpreadCentric || (name == Composite && stages.VolatilitySpread) ? SpreadMode.Volatility : SpreadMode.Fixed;
        var skewOn = name is Heuristic or SkewCentric or RegimeName || (name == Composite && stages.Skew);
        var governorOn = name is InventoryGovernor or Hedged || (name == Composite && stages.Governor);
        var hedgeOn = NeedsHedge(name, stages);
        var riskOn = name == Heuristic || (name == Composite && stages.Risk);

        var spread = new SpreadStage(spreadMode, o.BaseSpreadBps, o.MinSpreadBps, o.VolMultiplier,
            o.MaxVolScale ?? (name == Heuristic ? 3.0 : 1.0),
            o.InventoryWidening ?? (name is SpreadCentric or Composite ? 0.5 : 0.0));
        var skew = skewOn
            ? new SkewStage(
                o.InventorySkew ?? (name == SkewCentric ? 1.0 : 0.5),
                o.SoftLimit ?? (name == Heuristic ? 0.5 : 0.0),
                o.MomentumSkew ?? (name is SkewCentric or Composite ? 1.0 : 0.0),
                o.TrendSkewBps ?? (name is RegimeName or Heuristic or Composite ? 5.0 : 0.0))
            : null;
        var risk = riskOn ? o.Risk : null;
        var needsVolatility = regime || spread.Mode == SpreadMode.Volatility || spread.MaxVolScale > 1 || risk is { PauseVolRatio: > 0 };
        var r = o.Regime;
        return new PipelineStrategy(new PipelineSettings
        {
            Name = name,
            Spread = spread,
            InventoryLimit = inventoryLimit,
            Volatility = needsVolatility ? volatility(o.Warmup, o.RefitEvery) : null,
            Regime = regime
                ? new RegimeSettings(r.VolEnter, r.VolExit, r.TrendEnter, r.TrendExit, r.MinDwell, o.NewsThreshold ?? (name == Heuristic ? 6.0 : 0.0), r.NewsPause)
                : null,
            Tuning = Tuning(name == Heuristic, o.TuningOverrides),
            Skew = skew,
            Governor = governorOn ? o.Governor : null,
            Hedge = hedgeOn ? o.Hedge : null,
            Risk = risk,
            ShortWindow = o.ShortWindow,
            LongWindow = o.LongWindow,
            HedgeCost = hedgeCost,
        });
    }

    /// <summary>
    /// The tuning table: seed 002's for the heuristic (normal 1.0× / skew 0.5 / 100%, trending 1.5× / 0.3 / 80%,
    /// high vol 2.0× / 1.0 / 50%, news: pause; skew as multiples of inventory_skew = 0.5), seed 003's for the others
    /// (mean reversion 0.5×, trending 1.5×, high vol 2×); overrides replace single values.
    /// </summary>
    public static IReadOnlyDictionary<Regime, RegimeTuning> Tuning(bool heuristic, IReadOnlyDictionary<Regime, (double? Spread, double? Skew, double? Size, bool? Pause)> overrides)
    {
        var defaults = heuristic
            ? new Dictionary<Regime, (double, double, double, bool)>
            {
                [Regime.MeanReversion] = (1.0, 1.0, 1.0, false),
                [Regime.Trending] = (1.5, 0.6, 0.8, false),
                [Regime.HighVol] = (2.0, 2.0, 0.5, false),
                [Regime.News] = (1.0, 0.0, 0.0, true),
            }
            : new Dictionary<Regime, (double, double, double, bool)>
            {
                [Regime.MeanReversion] = (0.5, 1.0, 1.0, false),
                [Regime.Trending] = (1.5, 1.0, 1.0, false),
                [Regime.HighVol] = (2.0, 1.0, 1.0, false),
                [Regime.News] = (1.0, 0.0, 0.0, true),
            };
        var table = new Dictionary<Regime, RegimeTuning>();
        foreach (var (regime, (spread, skew, size, pause)) in defaults)
        {
            var o = overrides.TryGetValue(regime, out var v) ? v : default;
            table[regime] = new RegimeTuning(o.Spread ?? spread, o.Skew ?? skew, o.Size ?? size, o.Pause ?? pause);
        }
        return table;
    }
}
