using MarketMaking.Core.Backtest;
using MarketMaking.Core.Calibration;
using MarketMaking.Core.Game;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;
using MarketMaking.Core.Strategies;
using MarketMaking.Core.Tape;

namespace MarketMaking.Core.Demo;

/// <summary>The demo's settings: the truth it generates from, and the seed.</summary>
public sealed record DemoSettings
{
    public DemoSettings(ulong seed, double trueA = 140, double trueK = 1.5)
    {
        Seed = seed;
        TrueA = Guard.Positive(trueA, "A");
        TrueK = Guard.Positive(trueK, "k");
    }

    public ulong Seed { get; }
    public double TrueA { get; }
    public double TrueK { get; }

    /// <summary>Quote depths of the synthetic bins: 0.05 to 3.0 in steps of 0.05, as a desk would bin ticks.</summary>
    public IReadOnlyList<double> Deltas { get; } = SyntheticArrivals.Grid(0.05, 3.0, 0.05);

    /// <summary>Time units observed at each depth.</summary>
    public double Exposure { get; init; } = 20.0;

    /// <summary>Risk aversion of the demo's backtest.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>Volatility of the demo's mid.</summary>
    public double Sigma { get; init; } = 2.0;

    /// <summary>Monte Carlo paths of the demo's backtest.</summary>
    public int BacktestPaths { get; init; } = 1000;

    /// <summary>Monte Carlo paths of the equilibrium's P&amp;L distribution (fewer than the verb's default: the demo must be quick).</summary>
    public int EquilibriumPaths { get; init; } = 2000;

    /// <summary>Monte Carlo paths per cell of the demo's small scenario sweep.</summary>
    public int ScenarioPaths { get; init; } = 200;
}

/// <param name="Backtest">The paper's Monte Carlo run with the fitted intensity: A-S against the symmetric benchmark.</param>
public sealed record DemoResult(DemoSettings Settings, IReadOnlyList<ArrivalBin> Bins, CalibrationResult Calibration, BacktestResult Backtest,
    TapeDemo Tape, EquilibriumResult Equilibrium)
{
    /// <summary>The strategy library compared on the same paths (null when not run).</summary>
    public BacktestResult? Strategies { get; init; }

    /// <summary>The seed's four regimes × three γ, a small scenario sweep.</summary>
    public Scenarios.ScenarioAnalysis? Scenarios { get; init; }
}

/// <summary>The tape part of the demo: a synthetic tape with different truths per side, binned and fitted by side.</summary>
public sealed record TapeDemo(SyntheticTapeSettings Truth, TapeBinningResult Binning, SidedCalibrationResult Calibration, BacktestResult Backtest);

/// <summary>End to end on synthetic data with a known truth, so every estimate can be checked against it.</summary>
public static class DemoPipeline
{
    public const string BinsFileName = "demo_bins.csv";

    public static DemoResult Run(DemoSettings settings, CancellationToken cancel = default)
    {
        var truth = new ExponentialIntensity(settings.TrueA, settings.TrueK);
        var bins = SyntheticArrivals.Generate(truth, settings.Deltas, settings.Exposure, settings.Seed);
        var calibration = IntensityCalibration.Run(new CalibrationRequest(BinsFileName, bins, CalibrationModels.Both));
        var backtest = Backtester.Run(BacktestSpec(settings, calibration), cancel);
        cancel.ThrowIfCancellationRequested();
        var tape = RunTape(settings.Seed);
        cancel.ThrowIfCancellationRequested();
        var equilibrium = EquilibriumAnalysis.Run(EquilibriumExamples.IssueExample(settings.Seed, paths: settings.EquilibriumPaths), cancel);
        cancel.ThrowIfCancellationRequested();
        var scenarios = ScenarioSpec(settings);
        return new DemoResult(settings, bins, calibration, backtest, tape, equilibrium)
        {
            Scenarios = Scenarios.ScenarioAnalysis.Analyse(Scenarios.ScenarioSweep.Grid(scenarios), Scenarios.ScenarioSweep.Run(scenarios, cancel: cancel)),
            Strategies = Backtester.Run(StrategySpec(settings, calibration), cancel),
        };
    }

    /// <summary>
    /// Tape → bins → calibration by side, with the samples' truth (bid A = 1.6, k = 30; ask A = 1.2, k = 22), ten
    /// minutes of quotes each second, depths of 1 to 12 ticks of 0.01.
    /// </summary>
    /// <summary>Risk aversion of the tape backtest, per unit of price² (σ²·T ≈ 0.24 over the ten minutes).</summary>
    public const double TapeGamma = 1.0;

    public static TapeDemo RunTape(ulong seed)
    {
        var truth = new SyntheticTapeSettings(new ExponentialIntensity(1.6, 30), new ExponentialIntensity(1.2, 22), 600, seed);
        var binning = TapeBinning.Run(new TapeBinningRequest("demo_quotes", "demo_trades", SyntheticTape.Quotes(truth), SyntheticTape.Trades(truth),
            DepthGrid.FromTicks(12, 0.01), SideSelection.Separate));
        var rows = binning.Rows;
        var calibration = IntensityCalibration.RunBySide(new SidedCalibrationRequest("tape/bins.csv",
            rows.Where(r => r.Side == QuoteSide.Bid).Select(r => r.Bin).ToArray(),
            rows.Where(r => r.Side == QuoteSide.Ask).Select(r => r.Bin).ToArray(),
            CalibrationModels.Exponential));
        return new TapeDemo(truth, binning, calibration, Backtester.Run(TapeBacktestSpec(truth, calibration, seed)));
    }

    /// <summary>
    /// The tape's market (σ per √s, one quote a second for ten minutes) quoted with each side's FITTED intensity:
    /// fills on the bid follow the bid fit and on the ask the ask fit. The A-S formulas take one k; the demo uses the
    /// mean of the two sides' fitted k and says so.
    /// </summary>
    public static BacktestSpec TapeBacktestSpec(SyntheticTapeSettings truth, SidedCalibrationResult calibration, ulong seed)
    {
        var bid = calibration.Bid.Fits[0];
        var ask = calibration.Ask.Fits[0];
        var k = 0.5 * (bid.K.Value + ask.K.Value);
        return new BacktestSpec
        {
            Market = new SyntheticMarket(new BinomialProcess(truth.Sigma), truth.InitialMid, truth.QuoteInterval, truth.Duration),
            BidIntensity = new ExponentialIntensity(bid.A.Value, bid.K.Value),
            AskIntensity = new ExponentialIntensity(ask.A.Value, ask.K.Value),
            Fills = PoissonFills.Instance,
            Strategies = [new AvellanedaStoikovStrategy(TapeGamma, k, truth.Sigma), new SymmetricStrategy(TapeGamma, k, truth.Sigma)],
            MarkoutHorizons = [1, 10, 60],
            Paths = 200,
            Seed = seed,
        };
    }

    /// <summary>Strategies of the library compared in the demo (the first is the baseline).</summary>
    public static readonly string[] ComparedStrategies = ["glft", StrategyPresets.Heuristic, StrategyPresets.Hedged, StrategyPresets.Composite];

    /// <summary>
    /// The strategy library on one Gaussian mid (σ = 2, T = 1, 200 steps) with a synthetic hedge instrument correlated
    /// 0.9, the fitted intensity, inventory capped at 10, 200 paths (kept small: the demo must stay quick): GLFT's
    /// closed form against the seed-002 heuristic (which includes the regime machine), the hedged maker and the full composite.
    /// </summary>
    public static BacktestSpec StrategySpec(DemoSettings settings, CalibrationResult calibration)
    {
        var fit = calibration.Fits.First(f => f.Model == IntensityModelKind.Exponential);
        var intensity = new ExponentialIntensity(fit.A.Value, fit.K.Value);
        var market = new CorrelatedHedgeMarket(new SyntheticMarket(new GaussianProcess(0, settings.Sigma), 100, 0.005, 1.0), 0.9, 100, settings.Sigma / 100, settings.Sigma / 100);
        const double limit = 10;
        VolatilitySettings? volatility = null;
        VolatilitySettings Volatility(int warmup, int refit) => volatility ??= VolatilitySettings.FromReturns(VolatilitySettings.WarmUpReturns(market, warmup, settings.Seed), refit);
        var options = new PresetOptions { Warmup = 200 };
        IQuotingStrategy[] strategies =
        [
            new GlftStrategy(new GlftParameters(settings.Gamma, settings.Sigma, fit.A.Value, fit.K.Value)),
            .. ComparedStrategies.Skip(1).Select(name => StrategyPresets.Create(name, options, limit, Volatility)),
        ];
        return new BacktestSpec
        {
            Market = market,
            BidIntensity = intensity,
            AskIntensity = intensity,
            Fills = PoissonFills.Instance,
            Strategies = strategies,
            Paths = 200,
            Seed = settings.Seed,
            MaxInventory = limit,
            DistributionPaths = 200,
        };
    }

    /// <summary>
    /// The 2008 paper's Monte Carlo (binomial mid, σ = 2, T = 1, dt = 0.005, linear fills) quoting with the FITTED
    /// exponential intensity, as a desk would after calibrating: A-S against the symmetric benchmark on the same paths.
    /// </summary>
    public static BacktestSpec BacktestSpec(DemoSettings settings, CalibrationResult calibration)
    {
        var fit = calibration.Fits.First(f => f.Model == IntensityModelKind.Exponential);
        var intensity = new ExponentialIntensity(fit.A.Value, fit.K.Value);
        return new BacktestSpec
        {
            Market = new SyntheticMarket(new BinomialProcess(settings.Sigma), 100, 0.005, 1.0),
            BidIntensity = intensity,
            AskIntensity = intensity,
            Fills = LinearFills.Instance,
            Strategies = [new AvellanedaStoikovStrategy(settings.Gamma, fit.K.Value, settings.Sigma), new SymmetricStrategy(settings.Gamma, fit.K.Value, settings.Sigma)],
            Paths = settings.BacktestPaths,
            Seed = settings.Seed,
        };
    }

    /// <summary>
    /// A small version of config/scenarios.yaml: the seed's four regimes (gaussian mid) × γ = 0.01, 0.1, 0.3, with the
    /// true intensity and poisson fills, <see cref="DemoSettings.ScenarioPaths"/> paths per cell.
    /// </summary>
    public static Scenarios.ScenarioSpec ScenarioSpec(DemoSettings settings)
    {
        Scenarios.ScenarioRegime[] regimes = [new("calm", 0, 2), new("turbulent", 0, 10), new("uptrend", 10, 2), new("downtrend", -10, 2)];
        double[] gammas = [0.01, 0.1, 0.3];
        var truth = new ExponentialIntensity(settings.TrueA, settings.TrueK);
        var cells = regimes.SelectMany(r => gammas.Select(g => new BacktestSpec
        {
            Market = new SyntheticMarket(new GaussianProcess(r.Drift, r.Sigma), 100, 0.005, 1.0),
            BidIntensity = truth,
            AskIntensity = truth,
            Fills = PoissonFills.Instance,
            Strategies = [new AvellanedaStoikovStrategy(g, settings.TrueK, r.Sigma)],
            Paths = settings.ScenarioPaths,
        })).ToArray();
        return new Scenarios.ScenarioSpec(regimes, gammas, cells, 0.01) { Seed = settings.Seed };
    }
}
