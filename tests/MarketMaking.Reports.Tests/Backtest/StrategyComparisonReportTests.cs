using MarketMaking.Core.Backtest;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;
using MarketMaking.Core.Strategies;
using MarketMaking.Reports.Backtest;

namespace MarketMaking.Reports.Tests.Backtest;

public class StrategyComparisonReportTests
{
    private static BacktestResult Run()
    {
        var market = new SyntheticMarket(new GaussianProcess(0, 2), 100, 0.01, 1.0);
        VolatilitySettings Vol(int w, int r) => VolatilitySettings.FromReturns(VolatilitySettings.WarmUpReturns(market, 100, 1), r);
        return Backtester.Run(new BacktestSpec
        {
            Market = market,
            BidIntensity = new ExponentialIntensity(140, 1.5),
            AskIntensity = new ExponentialIntensity(140, 1.5),
            Fills = PoissonFills.Instance,
            Strategies = [new GlftStrategy(new GlftParameters(0.1, 2, 140, 1.5)), StrategyPresets.Create(StrategyPresets.RegimeName, new PresetOptions { Warmup = 100 }, 10, Vol)],
            Paths = 40,
            DistributionPaths = 40,
        });
    }

    [Fact]
    public void Markdown_TwoStrategies_ComparisonTableAndRegimeInternals()
    {
        var result = Run();

        var md = BacktestReport.Markdown(result, [], BacktestCharts.FileNames(result));

        // Then one comparison table with the difference of the second from the first, and the regime's diagnostics
        md.Should().Contain("## Comparison").And.Contain("Δ profit").And.Contain(BacktestCharts.ComparePng);
        md.Should().Contain("## Strategy internals").And.Contain("steps_trending").And.Contain("pnl_mean_reversion").And.Contain("regime_transitions");
        BacktestCharts.FileNames(result).Should().Contain(BacktestCharts.ComparePng);
        var rows = StrategyComparison.Rows(result);
        rows[0].ProfitDifference.Should().BeNull();
        rows[1].ProfitDifference!.Difference.Value.Should().BeApproximately(result.Strategies[1].Metrics.Profit.Value - result.Strategies[0].Metrics.Profit.Value, 1e-9);
    }

    [Fact]
    public void Json_PipelineStrategy_HasDiagnostics()
    {
        var json = BacktestReport.Json(Run());

        json.Should().Contain("\"diagnostics\"").And.Contain("\"steps_high_vol\"");
    }

    [Fact]
    public void Compare_Chart_IsAPng()
    {
        var png = BacktestCharts.Compare(Run());

        png.Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
    }
}
