using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using MarketMaking.Data.Csv;
using MarketMaking.Data.Inputs;

namespace MarketMaking.Benchmarks;

/// <summary>
/// Reading a 10^6-row mid series (time, mid): the byte-level <see cref="CsvNumberStream"/> that the backtester streams
/// against CsvHelper through <see cref="CsvColumnReader"/> (rows per second = 10^6 / time).
/// </summary>
[MemoryDiagnoser]
public class CsvBenchmarks
{
    private const int Rows = 1_000_000;
    private string _path = "";

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"mm-bench-mid-{Environment.ProcessId}.csv");
        var text = new StringBuilder("time,mid\n");
        var mid = 100.0;
        var rng = new MarketMaking.Core.Random.Xoshiro256StarStar(1);
        for (var i = 0; i < Rows; i++)
        {
            text.Append((i * 0.005).ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(mid.ToString("F2", CultureInfo.InvariantCulture)).Append('\n');
            mid += rng.NextDouble() < 0.5 ? 0.01 : -0.01;
        }
        File.WriteAllText(_path, text.ToString());
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark(Baseline = true)]
    public double CsvHelperColumns()
    {
        using var csv = CsvColumnReader.Open(_path, ["mid"], "mid");
        var mid = csv.ColumnIndex("mid");
        var time = csv.ColumnIndex("time");
        var sum = 0.0;
        while (csv.Read()) sum += csv.GetDouble(mid, "mid") + csv.GetDouble(time, "time");
        return sum;
    }

    [Benchmark]
    public double NumberStream()
    {
        using var csv = CsvNumberStream.Open(_path, ["mid"], ["mid", "time"], "mid");
        Span<double> values = stackalloc double[2];
        var sum = 0.0;
        while (csv.Read(values)) sum += values[0] + values[1];
        return sum;
    }

    /// <summary>The validated rows in blocks, as the backtester validates and replays them (the bulk path: vector parsing of whole lines).</summary>
    [Benchmark]
    public double MidRowsBlocks()
    {
        using var rows = new MidRows(_path);
        var mids = new double[8192];
        var times = new double[8192];
        var sum = 0.0;
        for (int read; (read = rows.NextBlock(mids, times)) > 0;) sum += mids[read - 1] + times[read - 1];
        return sum;
    }

    /// <summary>The validated rows one at a time.</summary>
    [Benchmark]
    public double MidRowsValidated()
    {
        using var rows = new MidRows(_path);
        var sum = 0.0;
        while (rows.Next(out var mid, out var time)) sum += mid + time;
        return sum;
    }
}
