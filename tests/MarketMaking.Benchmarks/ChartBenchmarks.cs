using BenchmarkDotNet.Attributes;
using MarketMaking.Charts;

namespace MarketMaking.Benchmarks;

/// <summary>
/// Issue 3's performance bar: a 4-panel 1600x1000 figure holding 10^5 points in total renders to PNG bytes in
/// under 200 ms. Run: dotnet run -c Release --project tests/MarketMaking.Benchmarks -- --filter '*Chart*' --job short
/// </summary>
[MemoryDiagnoser]
public class ChartBenchmarks
{
    private const int PointsPerPanel = 25_000;
    private double[] _t = [];
    private double[][] _walks = [];
    private double[] _scatterX = [];
    private double[] _scatterY = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20240601);
        _t = [.. Enumerable.Range(0, PointsPerPanel).Select(i => i * 0.01)];
        _walks = [.. Enumerable.Range(0, 5).Select(_ =>
        {
            var level = 0.0;
            return Enumerable.Range(0, PointsPerPanel).Select(_ => level += random.NextDouble() - 0.5).ToArray();
        })];
        _scatterX = [.. Enumerable.Range(0, PointsPerPanel).Select(_ => random.NextDouble() * 10)];
        _scatterY = [.. _scatterX.Select(x => Math.Exp(-0.4 * x) * (1 + (0.3 * (random.NextDouble() - 0.5))))];
    }

    /// <summary>Lines (4 x 6,250), scatter (25,000), band + median (2 x 12,500) and one 25,000-point line.</summary>
    [Benchmark]
    public byte[] FourPanelsOneHundredThousandPoints()
    {
        var figure = new Figure(2, 2) { Title = "Benchmark: 4 panels, 100,000 points" };
        const int Quarter = PointsPerPanel / 4;
        const int Half = PointsPerPanel / 2;

        var lines = figure[0, 0];
        lines.Title = "Inventory";
        for (var k = 0; k < 4; k++)
        {
            lines.AddLine(_t[..Quarter], _walks[k][..Quarter], $"Path {k + 1}");
        }

        var scatter = figure[0, 1];
        scatter.Title = "Fill rates";
        scatter.YScale = Scale.Log;
        scatter.AddScatter(_scatterX, _scatterY, "Fills", size: 4);

        var fan = figure[1, 0];
        fan.Title = "P&L fan";
        var median = _walks[4][..Half];
        fan.AddBand(_t[..Half], [.. median.Select((m, i) => m - (0.02 * Math.Sqrt(i)))], [.. median.Select((m, i) => m + (0.02 * Math.Sqrt(i)))], "5-95%");
        fan.AddLine(_t[..Half], median, "Median");

        var walk = figure[1, 1];
        walk.Title = "Mid price";
        walk.AddLine(_t, _walks[0], "Mid");
        return figure.RenderPng(1600, 1000);
    }
}
