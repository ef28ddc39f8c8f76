using MarketMaking.Core;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Strategies;
using MarketMaking.Data.Config;
using MarketMaking.Data.Yaml;

namespace MarketMaking.Data.Tests.Config;

public class StrategyFactoryTests
{
    private static BacktestSetup Load(string yaml, BacktestOverrides? overrides = null) =>
        BacktestConfigLoader.Build(YamlConfig.Parse(yaml, "bt.yaml"), overrides ?? new BacktestOverrides());

    public static TheoryData<string> Names() => new(StrategyFactory.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void Build_NameAlone_UsesDefaults(string name)
    {
        // Given only the strategy's name
        var spec = Load($"strategy: {{ name: {name} }}\npaths: 10").Spec;

        // Then it is built with its defaults (and a hedging strategy gets the default synthetic hedge instrument)
        spec.Strategies.Single().Name.Should().Be(name);
        spec.Market.HasHedge.Should().Be(name == StrategyFactory.Hedged);
    }

    [Fact]
    public void Build_Composite_StagesSwitchable()
    {
        var spec = Load("strategy: { name: composite, stages: { regime: false, spread: fixed, skew: false, governor: true, hedge: true } }").Spec;

        var settings = spec.Strategies.Single().Should().BeOfType<PipelineStrategy>().Subject.Settings;
        settings.Regime.Should().BeNull();
        settings.Spread.Mode.Should().Be(SpreadMode.Fixed);
        settings.Skew.Should().BeNull();
        settings.Governor.Should().NotBeNull();
        settings.Hedge.Should().NotBeNull();
        spec.Market.HasHedge.Should().BeTrue();
    }

    [Fact]
    public void Build_Heuristic_SeedTableAndRiskControls()
    {
        var spec = Load("strategy: { name: heuristic, regime: { trending: { size: 0.6 } }, risk: { quote_refresh: 3 } }").Spec;

        var s = spec.Strategies.Single().Should().BeOfType<PipelineStrategy>().Subject.Settings;
        s.Tuning[Regime.Trending].Size.Should().Be(0.6);
        s.Tuning[Regime.Trending].Spread.Should().Be(1.5);
        s.Tuning[Regime.HighVol].Size.Should().Be(0.5);
        s.Tuning[Regime.News].Pause.Should().BeTrue();
        s.Risk!.QuoteRefresh.Should().Be(3);
        s.Skew!.SoftLimit.Should().Be(0.5);
        s.Spread.MaxVolScale.Should().Be(3.0);
    }

    [Fact]
    public void Build_RegimeOverrideInEachRegime_ReplacesOnlyThatRegimesValue()
    {
        // Given one override in each regime's section of the regime strategy (seed 003 table: 0.5x, 1.5x, 2x, news pause)
        var spec = Load("strategy: { name: regime, regime: { mean_reversion: { spread: 0.7 }, trending: { skew: 0.2 }, high_vol: { size: 0.4 }, news: { pause: false } } }").Spec;

        // Then each lands in its own regime, and every value not given keeps the table's
        var tuning = spec.Strategies.Single().Should().BeOfType<PipelineStrategy>().Subject.Settings.Tuning;
        tuning[Regime.MeanReversion].Should().Be(new RegimeTuning(0.7, 1.0, 1.0));
        tuning[Regime.Trending].Should().Be(new RegimeTuning(1.5, 0.2, 1.0));
        tuning[Regime.HighVol].Should().Be(new RegimeTuning(2.0, 1.0, 0.4));
        tuning[Regime.News].Should().Be(new RegimeTuning(1.0, 0.0, 0.0, pause: false));
    }

    [Fact]
    public void Build_RegimeWithoutOverrides_KeepsTheTable()
    {
        // Given the regime strategy with no regime section
        var spec = Load("strategy: { name: regime }").Spec;

        // Then the seed 003 table applies unchanged
        var tuning = spec.Strategies.Single().Should().BeOfType<PipelineStrategy>().Subject.Settings.Tuning;
        tuning[Regime.MeanReversion].Should().Be(new RegimeTuning(0.5, 1.0, 1.0));
        tuning[Regime.HighVol].Should().Be(new RegimeTuning(2.0, 1.0, 1.0));
        tuning[Regime.News].Pause.Should().BeTrue();
    }

    [Fact]
    public void Build_CsvWithHedgeColumn_DaxQuotedCacHedge()
    {
        // Given eustockmarkets.csv: DAX quoted, CAC as the hedge
        var file = Path.Combine(AppContext.BaseDirectory, "eustockmarkets.csv");
        File.WriteAllText(file, "day,DAX,SMI,CAC,FTSE\n1,1628.75,1678.1,1772.8,2443.6\n2,1613.63,1688.5,1750.5,2460.2\n3,1606.51,1678.6,1718,2448.2\n4,1621.04,1684.1,1708.1,2470.4\n");
        var spec = Load($"market: {{ process: csv, file: '{file}', mid_column: DAX, hedge: {{ column: CAC, cost: 0.5 }} }}\nstrategy: {{ name: hedged, warmup: 10 }}\npaths: 4").Spec;

        spec.Market.Should().BeOfType<SeriesMarket>();
        spec.Market.HasHedge.Should().BeTrue();
        spec.Market.InitialMid.Should().Be(1628.75);
        spec.Market.InitialHedgeMid.Should().Be(1772.8);
        spec.HedgeCost.Should().Be(0.5);
    }

    [Theory]
    [InlineData("strategy: { name: heuristic, base_spread_bps: 0 }", "strategy.base_spread_bps")]
    [InlineData("strategy: { name: heuristic, base_spread_bps: -1 }", "strategy.base_spread_bps")]
    [InlineData("strategy: { name: heuristic, base_spread_bps: .nan }", "strategy.base_spread_bps")]
    [InlineData("strategy: { name: heuristic, min_spread_bps: -1 }", "strategy.min_spread_bps")]
    [InlineData("strategy: { name: spread-centric, vol_multiplier: 0 }", "strategy.vol_multiplier")]
    [InlineData("strategy: { name: heuristic, max_vol_scale: 0.5 }", "strategy.max_vol_scale")]
    [InlineData("strategy: { name: heuristic, inventory_limit: 0 }", "strategy.inventory_limit")]
    [InlineData("strategy: { name: heuristic, inventory_limit: 30 }\nmax_inventory: 10", "strategy.inventory_limit")]
    [InlineData("strategy: { name: heuristic, inventory_skew: -0.5 }", "strategy.inventory_skew")]
    [InlineData("strategy: { name: heuristic, soft_limit: 1.5 }", "strategy.soft_limit")]
    [InlineData("strategy: { name: skew-centric, momentum_skew: .nan }", "strategy.momentum_skew")]
    [InlineData("strategy: { name: regime, trend_skew_bps: -5 }", "strategy.trend_skew_bps")]
    [InlineData("strategy: { name: skew-centric, short_window: 0 }", "strategy.short_window")]
    [InlineData("strategy: { name: skew-centric, short_window: 30, long_window: 20 }", "strategy.short_window")]
    [InlineData("strategy: { name: heuristic, warmup: 0 }", "strategy.warmup")]
    [InlineData("strategy: { name: heuristic, refit_every: -1 }", "strategy.refit_every")]
    [InlineData("strategy: { name: inventory-governor, exposure_widening: -1 }", "strategy.exposure_widening")]
    [InlineData("strategy: { name: inventory-governor, max_adjust_bps: .nan }", "strategy.max_adjust_bps")]
    [InlineData("strategy: { name: hedged, hedge_ratio: -0.1 }", "strategy.hedge_ratio")]
    [InlineData("strategy: { name: hedged, hedge_ratio: 1.5 }", "strategy.hedge_ratio")]
    [InlineData("strategy: { name: heuristic, risk: { quote_refresh: 0 } }", "strategy.risk.quote_refresh")]
    [InlineData("strategy: { name: heuristic, risk: { cancel_on_fill: maybe } }", "strategy.risk.cancel_on_fill")]
    [InlineData("strategy: { name: heuristic, risk: { pause_vol_ratio: -1 } }", "strategy.risk.pause_vol_ratio")]
    [InlineData("strategy: { name: heuristic, risk: { cost_bps: .nan } }", "strategy.risk.cost_bps")]
    [InlineData("strategy: { name: heuristic, risk: { pause_steps: 0 } }", "strategy.risk.pause_steps")]
    [InlineData("strategy: { name: heuristic, risk: { stop_loss: 2 } }", "strategy.risk.stop_loss")]
    [InlineData("strategy: { name: heuristic, risk: { daily_stop: -0.1 } }", "strategy.risk.daily_stop")]
    [InlineData("strategy: { name: heuristic, risk: { capital: 0 } }", "strategy.risk.capital")]
    [InlineData("strategy: { name: heuristic, risk: { day_length: -1 } }", "strategy.risk.day_length")]
    [InlineData("strategy: { name: regime, regime: { vol_enter: 0 } }", "strategy.regime.vol_enter")]
    [InlineData("strategy: { name: regime, regime: { vol_enter: 1.1, vol_exit: 1.3 } }", "strategy.regime.vol_exit")]
    [InlineData("strategy: { name: regime, regime: { trend_enter: .nan } }", "strategy.regime.trend_enter")]
    [InlineData("strategy: { name: regime, regime: { trend_exit: -1 } }", "strategy.regime.trend_exit")]
    [InlineData("strategy: { name: regime, regime: { min_dwell: -1 } }", "strategy.regime.min_dwell")]
    [InlineData("strategy: { name: regime, regime: { news_threshold: -1 } }", "strategy.regime.news_threshold")]
    [InlineData("strategy: { name: regime, regime: { news_pause: 0 } }", "strategy.regime.news_pause")]
    [InlineData("strategy: { name: regime, regime: { trending: { spread: 0 } } }", "strategy.regime.trending.spread")]
    [InlineData("strategy: { name: regime, regime: { high_vol: { size: 1.5 } } }", "strategy.regime.high_vol.size")]
    [InlineData("strategy: { name: regime, regime: { high_vol: { skew: -1 } } }", "strategy.regime.high_vol.skew")]
    [InlineData("strategy: { name: composite, stages: { spread: wide } }", "strategy.stages.spread")]
    [InlineData("strategy: { name: glft, A: 0 }", "strategy.A")]
    [InlineData("strategy: { name: glft, drift: .nan }", "strategy.drift")]
    [InlineData("strategy: { name: hedged }\nmarket: { hedge: { correlation: 1.5 } }", "market.hedge.correlation")]
    [InlineData("strategy: { name: hedged }\nmarket: { hedge: { correlation: .nan } }", "market.hedge.correlation")]
    [InlineData("strategy: { name: hedged }\nmarket: { hedge: { cost: -1 } }", "market.hedge.cost")]
    [InlineData("strategy: { name: hedged }\nmarket: { hedge: { s0: 0 } }", "market.hedge.s0")]
    [InlineData("strategy: { name: hedged }\nmarket: { hedge: { column: CAC } }", "market.hedge.column")]
    [InlineData("strategy: { name: heuristc }", "strategy.name")]
    [InlineData("strategy: { name: heuristic, spread_bps: 3 }", "strategy.spread_bps")]
    public void Build_InvalidStrategyKey_LocatedError(string yaml, string field)
    {
        var act = () => Load(yaml + "\npaths: 10");

        act.Should().Throw<InputException>().Which.Field.Should().Be(field);
    }

    [Fact]
    public void Build_GlftExactInventoryLimitNotMultipleOfSize_Rejected()
    {
        var act = () => Load("strategy: { name: glft-exact, inventory_limit: 2.5 }\nquote_size: 1");

        act.Should().Throw<InputException>().Which.Field.Should().Be("strategy.max_inventory");
    }
}
