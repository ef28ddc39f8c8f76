using MarketMaking.Core.Backtest;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;
using MarketMaking.Core.Strategies;
using MarketMaking.Core.Volatility;

namespace MarketMaking.Core.Tests.Strategies;

public class StrategyInvariantTests
{
    private const int Lanes = 4;

    /// <summary>A known constant-variance filter: relative per-step vol 0.0014, like the default market (σ = 2 at 100, dt = 0.005).</summary>
    private static readonly VolatilitySettings Vol = new(new Garch11Parameters(0, 0.0014 * 0.0014 * 0.1, 0.05, 0.85), 0.0014 * 0.0014, new double[20]);

    private static PipelineSettings Settings(string name, double limit = 10) => new()
    {
        Name = name,
        Spread = new SpreadStage(SpreadMode.Fixed, baseSpreadBps: 10),
        InventoryLimit = limit,
        Volatility = Vol,
    };

    /// <summary>Every pipeline variant: the stages the named strategies switch on.</summary>
    private static readonly string[] Names = ["heuristic", "spread-centric", "skew-centric", "inventory-governor", "hedged", "regime", "composite"];

    public static TheoryData<string> Variants() => new(Names);

    private static PipelineSettings Variant(string name, double limit = 10)
    {
        var s = Settings(name, limit);
        return name switch
        {
            "heuristic" => s with
            {
                Spread = new SpreadStage(SpreadMode.Fixed, 10, 2, 2, 3), Skew = new SkewStage(0.5, 0.5), Regime = new RegimeSettings(newsThreshold: 6),
                Risk = new RiskControls(pauseVolRatio: 3, costBps: 1, stopLoss: 0.025, dailyStop: 0.05),
            },
            "spread-centric" => s with { Spread = new SpreadStage(SpreadMode.Volatility, inventoryWidening: 0.5) },
            "skew-centric" => s with { Skew = new SkewStage(1.0, 0, 1.0) },
            "inventory-governor" => s with { Governor = new GovernorStage() },
            "hedged" => s with { Governor = new GovernorStage(), Hedge = new HedgeStage(0.8) },
            "regime" => s with { Regime = new RegimeSettings(), Skew = new SkewStage(0.5, 0, 0, 5) },
            _ => s with
            {
                Spread = new SpreadStage(SpreadMode.Volatility, inventoryWidening: 0.5), Regime = new RegimeSettings(), Skew = new SkewStage(0.5, 0, 1, 5),
                Governor = new GovernorStage(),
            },
        };
    }

    /// <summary>One quoting step of a fresh quoter with every lane at inventory q.</summary>
    private static (double[] Bid, double[] Ask, double[] BidSize, double[] AskSize, double[] Hedge) QuoteOnce(IQuotingStrategy strategy, double q, int step = 0)
    {
        var quoter = strategy.CreateQuoter(new QuoterSetup(Lanes, 0, 200, 1.0, 0.005, 1.0));
        double[] mid = [100, 100, 100, 100], inventory = [q, q, q, q], zero = new double[Lanes], hedgeMid = [50, 50, 50, 50];
        double[] bid = new double[Lanes], ask = new double[Lanes], bidSize = [1, 1, 1, 1], askSize = [1, 1, 1, 1], hedge = new double[Lanes];
        quoter.Quote(new QuoteRequest(step, 0, 1, 0.005, mid, inventory, zero, zero, zero, hedgeMid, zero), new QuoteResponse(bid, ask, bidSize, askSize, hedge));
        return (bid, ask, bidSize, askSize, hedge);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Quote_LongAndShortInventory_SkewsTowardsFlat(string name)
    {
        // Given a strategy at +6 and at −6 (of a limit of 10)
        var strategy = new PipelineStrategy(Variant(name));
        var flat = QuoteOnce(strategy, 0);
        var longQ = QuoteOnce(strategy, 6);
        var shortQ = QuoteOnce(strategy, -6);

        // Then long inventory lowers the bid (buy less) and does not raise the ask; short does the mirror image,
        // and at least one side moves (every variant manages inventory)
        longQ.Bid[0].Should().BeLessThan(flat.Bid[0]);
        longQ.Ask[0].Should().BeLessThanOrEqualTo(flat.Ask[0] + 1e-12);
        shortQ.Ask[0].Should().BeGreaterThan(flat.Ask[0]);
        shortQ.Bid[0].Should().BeGreaterThanOrEqualTo(flat.Bid[0] - 1e-12);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.1)]
    public void Quote_Glft_SkewSignRightForLongAndShort(double gamma)
    {
        var p = new GlftParameters(gamma, 2, 140, 1.5);
        foreach (IQuotingStrategy strategy in new IQuotingStrategy[] { new GlftStrategy(p), new GlftExactStrategy(p, 10) })
        {
            var flat = QuoteOnce(strategy, 0);
            var longQ = QuoteOnce(strategy, 5);
            var shortQ = QuoteOnce(strategy, -5);
            (longQ.Bid[0] + longQ.Ask[0]).Should().BeLessThan(flat.Bid[0] + flat.Ask[0], strategy.Name);
            (shortQ.Bid[0] + shortQ.Ask[0]).Should().BeGreaterThan(flat.Bid[0] + flat.Ask[0], strategy.Name);
        }
    }

    [Fact]
    public void Quote_PausedByRegime_PostsNoQuotes()
    {
        // Given a regime table that pauses in every regime
        var pause = new RegimeTuning(1, 1, 1, pause: true);
        var strategy = new PipelineStrategy(Settings("paused") with
        {
            Regime = new RegimeSettings(),
            Tuning = new Dictionary<Regime, RegimeTuning> { [Regime.MeanReversion] = pause, [Regime.Trending] = pause, [Regime.HighVol] = pause },
        });

        // When it quotes at any inventory
        foreach (var q in new[] { -3.0, 0.0, 3.0 })
        {
            var quotes = QuoteOnce(strategy, q);

            // Then nothing is posted on either side
            quotes.BidSize.Should().OnlyContain(v => v == 0);
            quotes.AskSize.Should().OnlyContain(v => v == 0);
        }
    }

    [Fact]
    public void Run_VolatilityPause_PostsNoQuotesWhilePaused()
    {
        // Given the heuristic pausing whenever vol exceeds 1e-6 of its reference (so always, after the first return)
        var strategy = new PipelineStrategy(Variant("heuristic") with { Risk = new RiskControls(pauseVolRatio: 1e-6, pauseSteps: 5) });
        var result = Backtester.Run(Spec([strategy], paths: 20));

        // Then no quote is ever posted: no fills, and path 0's quotes are all withdrawn (NaN) from step 0
        result.Strategies[0].Metrics.Fills.Value.Should().Be(0);
        result.Strategies[0].Outcomes.FinalInventory.Should().OnlyContain(q => q == 0);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Run_StrategyInventoryLimit_NeverBreached(string name)
    {
        // Given a strategy limit of 3 and no run-level cap, with generous fills and a trending market
        var strategy = new PipelineStrategy(Variant(name, limit: 3));
        var result = Backtester.Run(Spec([strategy], paths: 64, drift: 20));

        // Then |q| never exceeds 3 on any path at any step
        result.Strategies[0].Metrics.MaxAbsInventory.Should().BeLessThanOrEqualTo(3 + 1e-12);
        result.Strategies[0].Metrics.Fills.Value.Should().BeGreaterThan(10);
    }

    [Fact]
    public void Run_RunCapBindsEveryStrategy()
    {
        // Given a run cap of 2 and strategies whose own limit is 10
        IQuotingStrategy[] strategies = [.. Names.Select(n => (IQuotingStrategy)new PipelineStrategy(Variant(n))), new GlftStrategy(new GlftParameters(0.01, 2, 140, 1.5))];
        var result = Backtester.Run(Spec(strategies, paths: 64, cap: 2));

        foreach (var s in result.Strategies) s.Metrics.MaxAbsInventory.Should().BeLessThanOrEqualTo(2, s.Name);
    }

    [Fact]
    public void Run_Hedged_ResidualEqualsInventoryPlusHedgePosition()
    {
        // Given the hedged strategy on a synthetic correlated instrument
        var strategy = new PipelineStrategy(Variant("hedged"));
        var result = Backtester.Run(Spec([strategy], paths: 64, hedge: true));
        var s = result.Strategies[0];
        double[] Diagnostic(string n) => s.Diagnostics.Single(d => d.Name == n).PerPath;
        var residual = Diagnostic("residual_inventory");
        var hedge = Diagnostic("hedge_position");

        // Then on every path residual = inventory + hedge position, and the hedge offsets 80% of the last hedged inventory
        for (var p = 0; p < 64; p++)
        {
            residual[p].Should().BeApproximately(s.Outcomes.FinalInventory[p] + hedge[p], 1e-12);
        }
        hedge.Select(Math.Abs).Sum().Should().BeGreaterThan(0);
        // Hedge P&L is reported apart, and total = spread capture + inventory P&L + hedge P&L
        s.Metrics.Profit.Value.Should().BeApproximately(s.Metrics.SpreadCapture.Value + s.Metrics.InventoryPnl.Value + s.Metrics.HedgePnl.Value, 1e-9);
    }

    [Fact]
    public void Run_Hedged_LessInventoryRiskThanUnhedgedOnAPerfectlyCorrelatedHedge()
    {
        // Given the governor with and without the hedge stage on a ρ = 1 instrument, no hedge cost
        var plain = new PipelineStrategy(Variant("inventory-governor"));
        var hedged = new PipelineStrategy(Variant("hedged") with { Hedge = new HedgeStage(1.0) });
        var result = Backtester.Run(Spec([plain, hedged], paths: 200, hedge: true, correlation: 1.0));

        // Then the fully hedged book's P&L is much less dispersed
        result.Strategies[1].Metrics.ProfitStd.Should().BeLessThan(0.5 * result.Strategies[0].Metrics.ProfitStd);
    }

    [Fact]
    public void Run_Regime_ReportsStepsTransitionsAndPnlThatAddUp()
    {
        var strategy = new PipelineStrategy(Variant("regime"));
        var result = Backtester.Run(Spec([strategy], paths: 32));
        var s = result.Strategies[0];
        double[] D(string n) => s.Diagnostics.Single(d => d.Name == n).PerPath;

        for (var p = 0; p < 32; p++)
        {
            // Every step is in exactly one regime, and the per-regime P&L adds up to the path's P&L
            (D("steps_mean_reversion")[p] + D("steps_trending")[p] + D("steps_high_vol")[p]).Should().Be(200);
            (D("pnl_mean_reversion")[p] + D("pnl_trending")[p] + D("pnl_high_vol")[p]).Should().BeApproximately(s.Outcomes.Pnl[p], 1e-8);
        }
        D("steps_trending").Sum().Should().BeGreaterThan(0);
    }

    [Fact]
    public void GlftEventLoop_SmallGamma_CloseToExact()
    {
        // Given γ = 0.02 (γ/k small), the closed form and the exact solution on the same paths, with a bound Q = 30 far
        // beyond the inventories reached (the closed form knows no bound), over T = 10 (the exact quotes converge to
        // the stationary ones within about a time unit here; the closed form is that long-horizon limit)
        var p = new GlftParameters(0.02, 2, 140, 1.5);
        var result = Backtester.Run(Spec([new GlftStrategy(p), new GlftExactStrategy(p, 30)], paths: 64, horizon: 10, dt: 0.05));
        var closed = result.Strategies[0].Path0;
        var exact = result.Strategies[1].Path0;

        // Then in the first half of the run (τ ≥ 5), wherever both books hold the same inventory, path 0's quotes agree
        // within 0.5% of the depth (at q = 0 and 4 the depths differ by 0.0001 and 0.0006 of 0.67 and 0.77: `quote` gives the same)
        var compared = 0;
        for (var i = 0; i < closed.Step.Length / 2; i++)
        {
            if (closed.Inventory[i] != exact.Inventory[i]) continue;
            exact.Bid[i].Should().BeApproximately(closed.Bid[i], 0.005 * (closed.Mid[i] - closed.Bid[i]));
            exact.Ask[i].Should().BeApproximately(closed.Ask[i], 0.005 * (closed.Ask[i] - closed.Mid[i]));
            compared++;
        }
        compared.Should().BeGreaterThan(20);
    }

    [Fact]
    public void GlftExact_Table_MatchesTheModelAtEachTau()
    {
        // Given the table over a 50-step grid of T = 1 and the model's own depths at those τ
        var p = new GlftParameters(0.1, 2, 140, 1.5);
        var strategy = new GlftExactStrategy(p, 5);
        var model = new GlftExactModel(p, 5);
        var (bid, ask) = strategy.Table(50, 1.0);

        foreach (var row in new[] { 0, 7, Math.Min(49, bid.Length - 1) })
        {
            var depths = model.Depths((row + 1) / 50.0);
            for (var j = 0; j < 11; j++)
            {
                if (depths.Bid[j] is double b) bid[row][j].Should().BeApproximately(b, 1e-9);
                else double.IsNaN(bid[row][j]).Should().BeTrue();
                if (depths.Ask[j] is double a) ask[row][j].Should().BeApproximately(a, 1e-9);
            }
        }
    }

    private static BacktestSpec Spec(IReadOnlyList<IQuotingStrategy> strategies, int paths, double? cap = null, double drift = 0, bool hedge = false,
        double correlation = 0.9, double horizon = 1.0, double dt = 0.005)
    {
        IMarket market = new SyntheticMarket(new GaussianProcess(drift, 2.0), 100, dt, horizon);
        // The hedge at the same price level, so one unit hedges one unit (hedge positions are in the hedge's units).
        if (hedge) market = new CorrelatedHedgeMarket(market, correlation, 100, 0.02, 0.02);
        return new BacktestSpec
        {
            Market = market,
            BidIntensity = new ExponentialIntensity(140, 1.5),
            AskIntensity = new ExponentialIntensity(140, 1.5),
            Fills = PoissonFills.Instance,
            Strategies = strategies,
            Paths = paths,
            MaxInventory = cap,
            DistributionPaths = Math.Min(paths, 32),
        };
    }
}
