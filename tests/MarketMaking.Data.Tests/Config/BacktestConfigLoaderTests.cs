using MarketMaking.Core;
using MarketMaking.Core.Backtest;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;
using MarketMaking.Data.Config;
using MarketMaking.Data.Inputs;
using MarketMaking.Data.Yaml;

namespace MarketMaking.Data.Tests.Config;

public class BacktestConfigLoaderTests
{
    private const string Paper = """
        market: { process: binomial, s0: 100, sigma: 2.0, drift: 0.0, dt: 0.005, horizon: 1.0 }
        intensity: { model: exponential, A: 140, k: 1.5 }
        fills: linear
        strategy: { name: avellaneda-stoikov, gamma: 0.1 }
        compare: [symmetric]
        max_inventory: null
        quote_size: 1
        markout_horizons: [1, 10, 50]
        paths: 1000
        seed: 1
        """;

    private static BacktestSetup Load(string yaml, BacktestOverrides? overrides = null) =>
        BacktestConfigLoader.Build(YamlConfig.Parse(yaml, "bt.yaml"), overrides ?? new BacktestOverrides());

    [Fact]
    public void Build_PaperConfig_GivesThePaperSpec()
    {
        var spec = Load(Paper).Spec;

        spec.Market.Should().BeOfType<SyntheticMarket>().Which.Process.Should().Be(new BinomialProcess(2.0));
        spec.Market.Steps.Should().Be(200);
        spec.BidIntensity.Should().Be(new ExponentialIntensity(140, 1.5));
        spec.Fills.Should().BeSameAs(LinearFills.Instance);
        spec.Strategies.Should().Equal(new IQuotingStrategy[] { new AvellanedaStoikovStrategy(0.1, 1.5, 2.0), new SymmetricStrategy(0.1, 1.5, 2.0) });
        spec.MaxInventory.Should().BeNull();
        spec.MarkoutHorizons.Should().Equal(1, 10, 50);
        spec.Paths.Should().Be(1000);
    }

    [Fact]
    public void Build_EmptyConfig_UsesDocumentedDefaults()
    {
        var spec = Load("").Spec;

        spec.Fills.Should().BeSameAs(PoissonFills.Instance);
        spec.Strategies.Should().ContainSingle().Which.Should().Be(new AvellanedaStoikovStrategy(0.1, 1.5, 2.0));
        spec.Paths.Should().Be(1000);
        spec.QuoteSize.Should().Be(1);
    }

    [Fact]
    public void Build_Flags_OverrideYaml()
    {
        var spec = Load(Paper, new BacktestOverrides { Gamma = 1.0, Paths = 7, Seed = 9, Strategy = "symmetric", Compare = ["avellaneda-stoikov"], Threads = 1 }).Spec;

        spec.Strategies.Select(s => s.Name).Should().Equal("symmetric", "avellaneda-stoikov");
        spec.Strategies[0].Should().Be(new SymmetricStrategy(1.0, 1.5, 2.0));
        spec.Paths.Should().Be(7);
        spec.Seed.Should().Be(9UL);
        spec.Threads.Should().Be(1);
    }

    [Fact]
    public void Build_PerSideIntensity_FallsBackToSharedKeys()
    {
        var spec = Load("intensity: { A: 140, k: 1.5, bid: { A: 150 }, ask: { k: 1.6 } }\nstrategy: { k: 1.5 }\n").Spec;

        spec.BidIntensity.Should().Be(new ExponentialIntensity(150, 1.5));
        spec.AskIntensity.Should().Be(new ExponentialIntensity(140, 1.6));
    }

    [Theory]
    [InlineData("paths: 0\n", 1, "paths", "must be >= 1")]
    [InlineData("paths: ten\n", 1, "paths", "expected an integer")]
    [InlineData("strategy:\n  gamma: 0\n", 2, "strategy.gamma", "must be > 0")]
    [InlineData("strategy:\n  gamma: -0.1\n", 2, "strategy.gamma", "must be > 0")]
    [InlineData("strategy:\n  gamma: .nan\n", 2, "strategy.gamma", "finite")]
    [InlineData("intensity:\n  k: 0\n", 2, "intensity.k", "must be > 0")]
    [InlineData("intensity:\n  A: -3\n", 2, "intensity.A", "must be > 0")]
    [InlineData("market:\n  sigma: -1\n", 2, "market.sigma", "must be >= 0")]
    [InlineData("market:\n  dt: 0\n", 2, "market.dt", "must be > 0")]
    [InlineData("market:\n  horizon: 0\n", 2, "market.horizon", "must be > 0")]
    [InlineData("market:\n  horizon: 1.0012\n", 2, "market.horizon", "whole number")]
    [InlineData("market:\n  process: binomal\n", 2, "market.process", "did you mean 'binomial'")]
    [InlineData("fills: linaer\n", 1, "fills", "did you mean 'linear'")]
    [InlineData("strategy:\n  name: avellaneda\n", 2, "strategy.name", "is not one of avellaneda-stoikov, symmetric")]
    [InlineData("compare: [symetric]\n", 1, "compare", "did you mean 'symmetric'")]
    [InlineData("paths: 10\nsede: 3\n", 2, "sede", "did you mean 'seed'")]
    [InlineData("market:\n  sigma: 2\n  volatility: 3\n", 3, "market.volatility", "unknown key")]
    [InlineData("max_inventory: 0\n", 1, "max_inventory", "must be > 0")]
    [InlineData("max_inventory: 0.5\n", 1, "max_inventory", "at least quote_size")]
    [InlineData("quote_size: 0\n", 1, "quote_size", "must be > 0")]
    [InlineData("markout_horizons: [1, 0]\n", 1, "markout_horizons", "expected integers >= 1")]
    [InlineData("markout_horizons: [1, 1]\n", 1, "markout_horizons", "repeat")]
    [InlineData("intensity:\n  model: power\n", 2, "intensity.delta0", "needs delta0")]
    [InlineData("intensity: { model: power, delta0: 0.1 }\n", 1, "strategy.k", "strategy.k is required")]
    [InlineData("market:\n  process: csv\n", 2, "market.file", "needs a mid file")]
    [InlineData("seed: -1\n", 1, "seed", "must be >= 0")]
    public void Build_BadValue_ErrorNamesKeyAndLine(string yaml, int line, string field, string message)
    {
        var error = ((Action)(() => Load(yaml))).Should().Throw<InputException>().Which;

        error.File.Should().Be("bt.yaml");
        error.Line.Should().Be(line);
        error.Field.Should().Be(field);
        error.Message.Should().Contain(message);
    }

    [Theory]
    [InlineData("gamma")]
    [InlineData("paths")]
    public void Build_BadFlag_ErrorNamesFlag(string flag)
    {
        var overrides = flag == "gamma" ? new BacktestOverrides { Gamma = 0 } : new BacktestOverrides { Paths = 0 };

        ((Action)(() => Load(Paper, overrides))).Should().Throw<InputException>().Which.Field.Should().Be("--" + flag);
    }

    [Fact]
    public void Build_UnknownStrategyFlag_ErrorNamesFlag()
    {
        ((Action)(() => Load(Paper, new BacktestOverrides { Compare = ["symetric"] }))).Should().Throw<InputException>()
            .Which.Field.Should().Be("--compare");
    }

    [Fact]
    public void Build_MidFlag_ReplacesProcessWithTheSeries()
    {
        using var dir = new TempDir();
        var mid = dir.Write("mid.csv", "time,mid\n0,100\n0.5,101\n1.5,100.5\n");

        var spec = Load(Paper, new BacktestOverrides { Mid = mid }).Spec;

        spec.Market.Should().BeOfType<CsvMidMarket>();
        spec.Market.Steps.Should().Be(2);
        spec.Market.Horizon.Should().Be(1.5);
    }

    [Fact]
    public void Build_FitFlag_TakesTheIntensityFromFitCsv()
    {
        using var dir = new TempDir();
        var fit = dir.Write("fit.csv", FitCsvReaderTests.Fit);

        var spec = Load(Paper, new BacktestOverrides { Fit = fit, FitModel = FitModelChoice.Exponential }).Spec;

        spec.BidIntensity.Should().Be(new ExponentialIntensity(138.5, 1.49));
        spec.Strategies[0].Should().Be(new AvellanedaStoikovStrategy(0.1, 1.49, 2.0));
    }
}
