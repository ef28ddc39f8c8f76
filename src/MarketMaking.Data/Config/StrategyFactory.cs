using MarketMaking.Core;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;
using MarketMaking.Core.Strategies;
using MarketMaking.Data.Yaml;

namespace MarketMaking.Data.Config;

/// <summary>
/// What every strategy of a run shares: the market (for the volatility warm-up), the run's defaults for the model
/// parameters, and a cache so the GARCH warm-up is fitted once per run however many strategies use it.
/// </summary>
public sealed class StrategyContext(IMarket market, ulong seed, double gamma, double k, double sigma, double a, double drift, double quoteSize,
    double? maxInventory, double hedgeCost)
{
    private readonly Dictionary<(int, int), VolatilitySettings> _volatility = [];

    public IMarket Market { get; } = market;
    public ulong Seed { get; } = seed;
    public double Gamma { get; } = gamma;
    public double K { get; } = k;
    public double Sigma { get; } = sigma;
    public double A { get; } = a;
    public double Drift { get; } = drift;
    public double QuoteSize { get; } = quoteSize;
    public double? MaxInventory { get; } = maxInventory;
    public double HedgeCost { get; } = hedgeCost;

    /// <summary>The strategies' own limit when none is given: the run's cap, or 20 quote sizes.</summary>
    public double DefaultInventoryLimit => MaxInventory ?? 20 * QuoteSize;

    public VolatilitySettings Volatility(int warmup, int refitEvery)
    {
        lock (_volatility)
        {
            if (!_volatility.TryGetValue((warmup, refitEvery), out var settings))
            {
                settings = VolatilitySettings.FromReturns(VolatilitySettings.WarmUpReturns(Market, warmup, Seed), refitEvery);
                _volatility[(warmup, refitEvery)] = settings;
            }
            return settings;
        }
    }
}

/// <summary>
/// Builds any strategy by name from the keys of the <c>strategy:</c> section (schema in config/strategies.yaml):
/// shared by <c>backtest</c> and <c>scenarios</c>. Every key is read whatever the strategy, so a key is never
/// reported as unknown just because the strategy selected does not use it. What each pipeline name means lives in
/// <see cref="StrategyPresets"/>; this class only reads and locates the values.
/// </summary>
public static class StrategyFactory
{
    public const string Hedged = StrategyPresets.Hedged;

    public static readonly string[] Names =
    [
        AvellanedaStoikovStrategy.StrategyName, SymmetricStrategy.StrategyName, GlftStrategy.StrategyName, GlftExactStrategy.StrategyName,
        .. StrategyPresets.Names,
    ];

    /// <summary>True when the strategy trades the hedge instrument, so the market needs one.</summary>
    public static bool NeedsHedge(string name, ConfigMap section) => StrategyPresets.NeedsHedge(name, ReadStages(section));

    /// <param name="where">Where the name came from (a flag or the compare key); null for strategy.name.</param>
    public static IQuotingStrategy Create(string name, ConfigMap section, StrategyContext context, InputException? where = null)
    {
        // Read (and validate) every key once, whatever the strategy.
        var keys = Read(section, context);
        switch (name)
        {
            case AvellanedaStoikovStrategy.StrategyName:
                return section.Build(() => new AvellanedaStoikovStrategy(context.Gamma, context.K, context.Sigma));
            case SymmetricStrategy.StrategyName:
                return section.Build(() => new SymmetricStrategy(context.Gamma, context.K, context.Sigma));
            case GlftStrategy.StrategyName:
                return section.Build(() => new GlftStrategy(Glft(context, keys)));
            case GlftExactStrategy.StrategyName:
                return section.Build(() => new GlftExactStrategy(Glft(context, keys), keys.InventoryLimit ?? context.DefaultInventoryLimit));
        }
        if (!Names.Contains(name, StringComparer.Ordinal))
        {
            var closest = ConfigMap.Closest(name, Names);
            var message = $"unknown strategy '{name}' (known: {string.Join(", ", Names)}){(closest is null ? "" : $"; did you mean '{closest}'?")}";
            throw where is null ? section.ErrorAt("name", message) : new InputException(message, where.File, where.Line, where.Column, where.Field);
        }
        return section.Build(() => StrategyPresets.Create(name, keys.Options, keys.InventoryLimit ?? context.DefaultInventoryLimit, context.Volatility, context.HedgeCost));
    }

    private static GlftParameters Glft(StrategyContext context, Keys keys) =>
        new(context.Gamma, context.Sigma, keys.A ?? context.A, context.K, context.QuoteSize, keys.Drift ?? context.Drift);

    /// <summary>Every key of <c>stages</c> (each read of a section must read all of its keys, or the rest look unknown).</summary>
    private static StageSwitches ReadStages(ConfigMap section)
    {
        var stages = section.Map("stages");
        var spread = stages.Choice("spread", "volatility", "volatility", "fixed");
        return new StageSwitches(stages.Bool("regime", true), spread == "volatility", stages.Bool("skew", true), stages.Bool("governor", true),
            stages.Bool("hedge", false), stages.Bool("risk", false));
    }

    private sealed record Keys(double? A, double? Drift, double? InventoryLimit, PresetOptions Options);

    /// <summary>Every key of the strategy section, read and range-checked (located errors) in one place.</summary>
    private static Keys Read(ConfigMap s, StrategyContext context)
    {
        var a = s.OptionalDouble("A", NumberRule.Positive);
        var drift = s.OptionalDouble("drift");
        var inventoryLimit = s.OptionalDouble("inventory_limit", NumberRule.Positive);
        if (inventoryLimit is double limit && context.MaxInventory is double cap && limit > cap)
        {
            throw s.ErrorAt("inventory_limit", $"must not exceed the run's max_inventory ({Guard.Format(cap)}), got {Guard.Format(limit)}");
        }
        var o = new PresetOptions
        {
            Warmup = s.Int("warmup", 500, 10),
            RefitEvery = s.Int("refit_every", 0, 0),
            BaseSpreadBps = s.Double("base_spread_bps", 10, NumberRule.Positive),
            MinSpreadBps = s.Double("min_spread_bps", 2, NumberRule.NonNegative),
            VolMultiplier = s.Double("vol_multiplier", 2, NumberRule.Positive),
            MaxVolScale = s.OptionalDouble("max_vol_scale", NumberRule.Positive),
            InventoryWidening = s.OptionalDouble("inventory_widening", NumberRule.NonNegative),
            InventorySkew = s.OptionalDouble("inventory_skew", NumberRule.NonNegative),
            SoftLimit = s.OptionalDouble("soft_limit", NumberRule.NonNegative),
            MomentumSkew = s.OptionalDouble("momentum_skew", NumberRule.NonNegative),
            TrendSkewBps = s.OptionalDouble("trend_skew_bps", NumberRule.NonNegative),
            ShortWindow = s.Int("short_window", 5, 1),
            LongWindow = s.Int("long_window", 20, 2),
            Stages = ReadStages(s),
        };
        if (o.ShortWindow >= o.LongWindow) throw s.ErrorAt("short_window", $"must be below long_window ({o.LongWindow}), got {o.ShortWindow}");
        s.Build(() => new SpreadStage(SpreadMode.Fixed, o.BaseSpreadBps, o.MinSpreadBps, o.VolMultiplier, o.MaxVolScale ?? 1, o.InventoryWidening ?? 0));
        s.Build(() => new SkewStage(o.InventorySkew ?? 0, o.SoftLimit ?? 0, o.MomentumSkew ?? 0, o.TrendSkewBps ?? 0));
        var exposureWidening = s.Double("exposure_widening", 1.0, NumberRule.NonNegative);
        var maxAdjust = s.Double("max_adjust_bps", 20, NumberRule.NonNegative);
        var ratio = s.Double("hedge_ratio", 0.8, NumberRule.NonNegative);
        o = o with
        {
            Governor = s.Build(() => new GovernorStage(exposureWidening, maxAdjust)),
            Hedge = s.Build(() => new HedgeStage(ratio)),
        };

        var risk = s.Map("risk");
        var quoteRefresh = risk.Int("quote_refresh", 1, 1);
        var cancelOnFill = risk.Bool("cancel_on_fill", false);
        var pauseVol = risk.Double("pause_vol_ratio", 3.0, NumberRule.NonNegative);
        var cost = risk.Double("cost_bps", 1.0, NumberRule.NonNegative);
        var pauseSteps = risk.Int("pause_steps", 20, 1);
        var stopLoss = risk.Double("stop_loss", 0.025, NumberRule.NonNegative);
        var dailyStop = risk.Double("daily_stop", 0.05, NumberRule.NonNegative);
        var capital = risk.Double("capital", 10_000, NumberRule.Positive);
        var dayLength = risk.Double("day_length", 0, NumberRule.NonNegative);
        o = o with { Risk = risk.Build(() => new RiskControls(quoteRefresh, cancelOnFill, pauseVol, cost, pauseSteps, stopLoss, dailyStop, capital, dayLength)) };

        var regime = s.Map("regime");
        var volEnter = regime.Double("vol_enter", 1.5, NumberRule.Positive);
        var volExit = regime.Double("vol_exit", 1.2, NumberRule.Positive);
        var trendEnter = regime.Double("trend_enter", 0.004, NumberRule.Positive);
        var trendExit = regime.Double("trend_exit", 0.002, NumberRule.Positive);
        var minDwell = regime.Int("min_dwell", 10, 0);
        var news = regime.OptionalDouble("news_threshold", NumberRule.NonNegative);
        var newsPause = regime.Int("news_pause", 20, 1);
        o = o with
        {
            Regime = regime.Build(() => new RegimeSettings(volEnter, volExit, trendEnter, trendExit, minDwell, news ?? 0, newsPause)),
            NewsThreshold = news,
        };
        // Only the regimes with a value given: an absent entry means the defaults (as a null one would). Indexed by the
        // names rather than Enum.GetValues, and filled only when needed: generic code over the Regime enum is not in the
        // ReadyToRun image, so every instantiation touched costs a JIT compilation on a cold start.
        Dictionary<Regime, (double?, double?, double?, bool?)>? overrides = null;
        for (var index = 0; index < RegimeNames.All.Length; index++)
        {
            var map = regime.Map(RegimeNames.All[index]);
            var spread = map.OptionalDouble("spread", NumberRule.Positive);
            var skew = map.OptionalDouble("skew", NumberRule.NonNegative);
            var size = map.OptionalDouble("size", NumberRule.NonNegative);
            var pause = map.Has("pause") ? map.Bool("pause", false) : (bool?)null;
            // Checked here, where the map can locate the key.
            map.Build(() => new RegimeTuning(spread ?? 1, skew ?? 0, size ?? 0));
            if (spread is not null || skew is not null || size is not null || pause is not null)
            {
                (overrides ??= [])[(Regime)index] = (spread, skew, size, pause);
            }
        }
        return new Keys(a, drift, inventoryLimit, overrides is null ? o : o with { TuningOverrides = overrides });
    }
}
