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
/// reported as unknown just because the strategy selected does not use it; defaults differ by strategy where the
/// seeds say so.
/// </summary>
public static class StrategyFactory
{
    public const string Heuristic = "heuristic";
    public const string SpreadCentric = "spread-centric";
    public const string SkewCentric = "skew-centric";
    public const string InventoryGovernor = "inventory-governor";
    public const string Hedged = "hedged";
    public const string RegimeName = "regime";
    public const string Composite = "composite";

    public static readonly string[] Names =
    [
        AvellanedaStoikovStrategy.StrategyName, SymmetricStrategy.StrategyName, GlftStrategy.StrategyName, GlftExactStrategy.StrategyName,
        Heuristic, SpreadCentric, SkewCentric, InventoryGovernor, Hedged, RegimeName, Composite,
    ];

    /// <summary>True when the strategy trades the hedge instrument, so the market needs one.</summary>
    public static bool NeedsHedge(string name, ConfigMap section) =>
        name == Hedged || (name == Composite && ReadStages(section).Hedge);

    /// <summary>Every key of <c>stages</c> (each read of a section must read all of its keys, or the rest look unknown).</summary>
    private static StageSwitches ReadStages(ConfigMap section)
    {
        var stages = section.Map("stages");
        var spread = stages.Choice("spread", "volatility", "volatility", "fixed");
        return new StageSwitches(stages.Bool("regime", true), spread == "volatility", stages.Bool("skew", true), stages.Bool("governor", true),
            stages.Bool("hedge", false), stages.Bool("risk", false));
    }

    /// <param name="where">Where the name came from (a flag or the compare key); null for strategy.name.</param>
    public static IQuotingStrategy Create(string name, ConfigMap section, StrategyContext context, InputException? where = null)
    {
        // Read (and validate) every key once, whatever the strategy.
        var keys = Keys.Read(section, context);
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
        var settings = section.Build(() => Pipeline(name, section, keys, context));
        return section.Build(() => new PipelineStrategy(settings));
    }

    private static GlftParameters Glft(StrategyContext context, Keys keys) =>
        new(context.Gamma, context.Sigma, keys.A ?? context.A, context.K, context.QuoteSize, keys.Drift ?? context.Drift);

    /// <summary>The named strategies as the composition pipeline with some stages on (seed 003's "composing the strategies").</summary>
    private static PipelineSettings Pipeline(string name, ConfigMap section, Keys k, StrategyContext context)
    {
        var stages = k.Stages;
        var regime = name == RegimeName || name == Heuristic || (name == Composite && stages.Regime);
        var spreadMode = name == SpreadCentric || (name == Composite && stages.VolatilitySpread) ? SpreadMode.Volatility : SpreadMode.Fixed;
        var skewOn = name is Heuristic or SkewCentric or RegimeName || (name == Composite && stages.Skew);
        var governorOn = name is InventoryGovernor or Hedged || (name == Composite && stages.Governor);
        var hedgeOn = name == Hedged || (name == Composite && stages.Hedge);
        var riskOn = name == Heuristic || (name == Composite && stages.Risk);

        var spread = new SpreadStage(spreadMode, k.BaseSpreadBps, k.MinSpreadBps, k.VolMultiplier,
            k.MaxVolScale ?? (name == Heuristic ? 3.0 : 1.0),
            k.InventoryWidening ?? (name == SpreadCentric || name == Composite ? 0.5 : 0.0));
        var skew = skewOn
            ? new SkewStage(
                k.InventorySkew ?? (name == SkewCentric ? 1.0 : 0.5),
                k.SoftLimit ?? (name == Heuristic ? 0.5 : 0.0),
                k.MomentumSkew ?? (name is SkewCentric or Composite ? 1.0 : 0.0),
                k.TrendSkewBps ?? (name is RegimeName or Heuristic or Composite ? 5.0 : 0.0))
            : null;
        var risk = riskOn ? k.Risk : null;
        var needsVolatility = regime || spread.Mode == SpreadMode.Volatility || spread.MaxVolScale > 1 || risk is { PauseVolRatio: > 0 };
        return new PipelineSettings
        {
            Name = name,
            Spread = spread,
            InventoryLimit = k.InventoryLimit ?? context.DefaultInventoryLimit,
            Volatility = needsVolatility ? context.Volatility(k.Warmup, k.RefitEvery) : null,
            Regime = regime ? k.RegimeSettings(name == Heuristic) : null,
            Tuning = k.Tuning(name == Heuristic),
            Skew = skew,
            Governor = governorOn ? k.Governor : null,
            Hedge = hedgeOn ? k.Hedge : null,
            Risk = risk,
            ShortWindow = k.ShortWindow,
            LongWindow = k.LongWindow,
            HedgeCost = context.HedgeCost,
        };
    }

    /// <summary>Composite's stage switches (<c>strategy.stages</c>).</summary>
    private sealed record StageSwitches(bool Regime, bool VolatilitySpread, bool Skew, bool Governor, bool Hedge, bool Risk);

    /// <summary>Every key of the strategy section, read and range-checked (located errors) in one place.</summary>
    private sealed class Keys
    {
        public double? A, Drift, InventoryLimit, MaxVolScale, InventoryWidening, InventorySkew, SoftLimit, MomentumSkew, TrendSkewBps;
        public double BaseSpreadBps, MinSpreadBps, VolMultiplier;
        public int Warmup, RefitEvery, ShortWindow, LongWindow;
        public GovernorStage Governor = null!;
        public HedgeStage Hedge = null!;
        public RiskControls Risk = null!;
        public StageSwitches Stages = null!;
        private double _volEnter, _volExit, _trendEnter, _trendExit, _newsThreshold;
        private int _minDwell, _newsPause;
        private bool _newsGiven;
        private readonly Dictionary<Regime, ConfigMap> _tuningMaps = [];
        private readonly Dictionary<Regime, (double? Spread, double? Skew, double? Size, bool? Pause)> _tuning = [];

        public static Keys Read(ConfigMap s, StrategyContext context)
        {
            var k = new Keys
            {
                A = s.OptionalDouble("A", NumberRule.Positive),
                Drift = s.OptionalDouble("drift"),
                InventoryLimit = s.OptionalDouble("inventory_limit", NumberRule.Positive),
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
            };
            if (k.InventoryLimit is double limit && context.MaxInventory is double cap && limit > cap)
            {
                throw s.ErrorAt("inventory_limit", $"must not exceed the run's max_inventory ({Guard.Format(cap)}), got {Guard.Format(limit)}");
            }
            if (k.ShortWindow >= k.LongWindow) throw s.ErrorAt("short_window", $"must be below long_window ({k.LongWindow}), got {k.ShortWindow}");
            var exposureWidening = s.Double("exposure_widening", 1.0, NumberRule.NonNegative);
            var maxAdjust = s.Double("max_adjust_bps", 20, NumberRule.NonNegative);
            k.Governor = s.Build(() => new GovernorStage(exposureWidening, maxAdjust));
            var ratio = s.Double("hedge_ratio", 0.8, NumberRule.NonNegative);
            k.Hedge = s.Build(() => new HedgeStage(ratio));
            s.Build(() => new SpreadStage(SpreadMode.Fixed, k.BaseSpreadBps, k.MinSpreadBps, k.VolMultiplier, k.MaxVolScale ?? 1, k.InventoryWidening ?? 0));
            s.Build(() => new SkewStage(k.InventorySkew ?? 0, k.SoftLimit ?? 0, k.MomentumSkew ?? 0, k.TrendSkewBps ?? 0));

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
            k.Risk = risk.Build(() => new RiskControls(quoteRefresh, cancelOnFill, pauseVol, cost, pauseSteps, stopLoss, dailyStop, capital, dayLength));

            k.Stages = ReadStages(s);

            var regime = s.Map("regime");
            k._volEnter = regime.Double("vol_enter", 1.5, NumberRule.Positive);
            k._volExit = regime.Double("vol_exit", 1.2, NumberRule.Positive);
            k._trendEnter = regime.Double("trend_enter", 0.004, NumberRule.Positive);
            k._trendExit = regime.Double("trend_exit", 0.002, NumberRule.Positive);
            k._minDwell = regime.Int("min_dwell", 10, 0);
            var news = regime.OptionalDouble("news_threshold", NumberRule.NonNegative);
            k._newsGiven = news is not null;
            k._newsThreshold = news ?? 6.0;
            k._newsPause = regime.Int("news_pause", 20, 1);
            regime.Build(() => new RegimeSettings(k._volEnter, k._volExit, k._trendEnter, k._trendExit, k._minDwell, k._newsThreshold, k._newsPause));
            foreach (var r in Enum.GetValues<Regime>())
            {
                var map = regime.Map(RegimeNames.Name(r));
                k._tuningMaps[r] = map;
                var entry = (map.OptionalDouble("spread", NumberRule.Positive), map.OptionalDouble("skew", NumberRule.NonNegative),
                    map.OptionalDouble("size", NumberRule.NonNegative), map.Has("pause") ? map.Bool("pause", false) : (bool?)null);
                if (entry.Item3 is > 1) throw map.ErrorAt("size", $"must be in [0, 1] (a fraction of quote_size), got {Guard.Format(entry.Item3.Value)}");
                k._tuning[r] = entry;
            }
            return k;
        }

        /// <summary>The heuristic enables the news regime (seed 002's "news event: pause") unless news_threshold is 0.</summary>
        public RegimeSettings RegimeSettings(bool heuristic) =>
            new(_volEnter, _volExit, _trendEnter, _trendExit, _minDwell, heuristic || _newsGiven ? _newsThreshold : 0, _newsPause);

        /// <summary>
        /// The tuning table: seed 002's for the heuristic (normal 1.0× / skew 0.5 / 100%, trending 1.5× / 0.3 / 80%,
        /// high vol 2.0× / 1.0 / 50%, news: pause; skew as multiples of inventory_skew = 0.5), seed 003's for the others
        /// (mean reversion 0.5×, trending 1.5×, high vol 2×); YAML entries override single values.
        /// </summary>
        public IReadOnlyDictionary<Regime, RegimeTuning> Tuning(bool heuristic)
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
                var o = _tuning[regime];
                table[regime] = _tuningMaps[regime].Build(() => new RegimeTuning(o.Spread ?? spread, o.Skew ?? skew, o.Size ?? size, o.Pause ?? pause));
            }
            return table;
        }
    }
}
