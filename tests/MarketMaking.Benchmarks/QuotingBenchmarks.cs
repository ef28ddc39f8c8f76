using BenchmarkDotNet.Attributes;
using MarketMaking.Core.Quoting;

namespace MarketMaking.Benchmarks;

/// <summary>Quoting: the A-S formulas one quote at a time (the `quote` verb's work) and vectorised over 64 lanes (the backtester's).</summary>
public class QuotingBenchmarks
{
    private readonly double[] _mid = new double[64];
    private readonly double[] _q = new double[64];
    private readonly double[] _bid = new double[64];
    private readonly double[] _ask = new double[64];

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < _mid.Length; i++)
        {
            _mid[i] = 100 + i * 0.01;
            _q[i] = i % 11 - 5;
        }
    }

    /// <summary>1000 quotes: reservation price and optimal half-spread at varying τ and q.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public double ScalarQuotes()
    {
        var sum = 0.0;
        for (var i = 0; i < 1000; i++)
        {
            var tau = 1.0 - (i % 200) * 0.005;
            sum += AvellanedaStoikov.ReservationPrice(100.0, i % 11 - 5, 0.1, 2.0, tau) + AvellanedaStoikov.OptimalHalfSpread(0.1, 1.5, 2.0, tau);
        }
        return sum;
    }

    /// <summary>Bid and ask for 64 paths around their reservation prices.</summary>
    [Benchmark]
    public void LaneQuotes() => QuoteKernels.AroundReservation(_mid, _q, 0.4, 0.7, _bid, _ask);
}
