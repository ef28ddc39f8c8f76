using System.Globalization;
using System.Text;

namespace MarketMaking.Reports.Bench;

/// <summary>
/// One measured workload: <paramref name="Work"/> units of <paramref name="Unit"/> in <paramref name="Seconds"/> (wall,
/// in-process) and <paramref name="CpuSeconds"/>; the baseline's seconds on the same work when it ran (null otherwise).
/// </summary>
public sealed record BenchRow(string Workload, string Size, double Work, string Unit, double Seconds, double CpuSeconds, string? Baseline = null, double? BaselineSeconds = null)
{
    public double Throughput => Work / Seconds;

    /// <summary>How many times faster than the baseline on the same work (baseline time / ours).</summary>
    public double? Ratio => BaselineSeconds is double b ? b / Seconds : null;
}

/// <summary>The `bench` table: aligned plain text, one row per workload, ratios where a baseline ran.</summary>
public static class BenchTable
{
    public static readonly string[] Header = ["workload", "size", "seconds", "cpu s", "throughput", "baseline", "baseline s", "ratio"];

    public static string Format(IReadOnlyList<BenchRow> rows, IReadOnlyList<string> notes)
    {
        var cells = new List<string[]> { Header };
        foreach (var row in rows)
        {
            cells.Add(
            [
                row.Workload,
                row.Size,
                row.Seconds.ToString("F3", CultureInfo.InvariantCulture),
                row.CpuSeconds.ToString("F3", CultureInfo.InvariantCulture),
                Rate(row.Throughput) + " " + row.Unit + "/s",
                row.Baseline ?? "-",
                row.BaselineSeconds?.ToString("F3", CultureInfo.InvariantCulture) ?? "-",
                row.Ratio is double r ? r.ToString("F1", CultureInfo.InvariantCulture) + "x" : "-",
            ]);
        }
        var widths = Enumerable.Range(0, Header.Length).Select(c => cells.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var (row, index) in cells.Select((r, i) => (r, i)))
        {
            text.Append("| ").AppendJoin(" | ", row.Select((cell, c) => cell.PadRight(widths[c]))).Append(" |\n");
            if (index == 0) text.Append("|-").AppendJoin("-|-", widths.Select(w => new string('-', w))).Append("-|\n");
        }
        foreach (var note in notes) text.Append(note).Append('\n');
        return text.ToString();
    }

    /// <summary>Three significant digits with an SI-style exponent: 4.21e7.</summary>
    public static string Rate(double value) => value.ToString("0.00e0", CultureInfo.InvariantCulture);
}
