using BenchmarkDotNet.Attributes;
using MarketMaking.Core.Backtest;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;

namespace MarketMaking.Benchmarks;

/// <summary>
/// The backtester: the paper's Monte Carlo kernel (path-steps per second = 2 strategies × paths × 200 / time) and
/// the single-path historical loop over an in-memory series (steps per second = steps / time).
/// </summary>
[MemoryDiagnoser]
public class BacktestBenchmarks
{
    private BacktestSpec _monteCarlo = null!;
    private BacktestSpec _historical = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var intensity = new ExponentialIntensity(140, 1.5);
        _monteCarlo = new BacktestSpec
        {
            Market = new SyntheticMarket(new BinomialProcess(2.0), 100, 0.005, 1.0),
            BidIntensity = intensity,
            AskIntensity = intensity,
            Fills = LinearFills.Instance,
            Strategies = [new AvellanedaStoikovStrategy(0.1, 1.5, 2.0), new SymmetricStrategy(0.1, 1.5, 2.0)],
            Paths = 100_000,
            Threads = Threads,
        };
        // A random walk of 10^6 mids, replayed on one path.
        var rng = new MarketMaking.Core.Random.Xoshiro256StarStar(1);
        var mids = new double[1_000_001];
        mids[0] = 100;
        for (var i = 1; i < mids.Length; i++) mids[i] = mids[i - 1] + (rng.NextDouble() < 0.5 ? 0.01 : -0.01);
        _historical = _monteCarlo with
        {
            Market = new SeriesMarket(mids, null, 1e-6),
            Strategies = [new AvellanedaStoikovStrategy(0.1, 1.5, 2.0)],
            Paths = 1,
            TimeseriesEvery = 100,
        };
    }

    /// <summary>4·10^7 path-steps: 10^5 paths × 200 steps × 2 strategies.</summary>
    [Benchmark]
    public BacktestResult PaperMonteCarlo() => Backtester.Run(_monteCarlo);

    /// <summary>10^6 steps of one path.</summary>
    [Benchmark]
    public BacktestResult HistoricalLoop() => Backtester.Run(_historical);
}
