using System.Globalization;
using BenchmarkDotNet.Attributes;
using MarketMaking.Core.Quoting;
using MarketMaking.Core.Volatility;

namespace MarketMaking.Benchmarks;

/// <summary>GARCH(1,1) fit on dem2gbp (1,974 returns), the O(1) filter step, and the exact GLFT solve.</summary>
[MemoryDiagnoser]
public class GarchBenchmarks
{
    private double[] _returns = [];
    private GarchFilter _filter = null!;
    private GlftExactModel _glft = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "dem2gbp.csv");
        _returns = File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        _filter = GarchFilter.Warm(_returns);
        _glft = new GlftExactModel(new GlftParameters(0.01, 0.3, 0.9, 0.3), 30);
    }

    [Benchmark(Description = "GARCH(1,1) fit, dem2gbp")]
    public double Fit() => Garch11.Fit(_returns).LogLikelihood;

    [Benchmark(Description = "GarchFilter.Update (one step)")]
    public double FilterUpdate()
    {
        _next = (_next + 1) % _returns.Length;
        return _filter.Update(_returns[_next]);
    }

    [Benchmark(Description = "GLFT exact depths, Q = 30, tau = 600")]
    public double GlftExact() => new GlftExactModel(_glft.Parameters, 30).Depths(600).Bid[30]!.Value;
}
