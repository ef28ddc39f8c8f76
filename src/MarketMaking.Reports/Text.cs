using System.Globalization;
using System.Text;

namespace MarketMaking.Reports;

/// <summary>Number formatting for reports: invariant culture always.</summary>
public static class Text
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Shortest text that reads back to the same double ("R"); empty for NaN and ±∞ so CSV cells stay blank (the row's
    /// converged/boundary columns say why) and every number written can be read back by the tool's own readers.
    /// </summary>
    public static string Num(double value) => double.IsFinite(value) ? value.ToString("R", Invariant) : "";

    public static string Num(double? value) => value is double v ? Num(v) : "";

    public static string Int(long value) => value.ToString(Invariant);

    /// <summary>Fixed decimals for tables meant for people; "n/a" for NaN.</summary>
    public static string Fixed(double value, int decimals) =>
        double.IsNaN(value) ? "n/a" : double.IsInfinity(value) ? (value > 0 ? "∞" : "−∞") : value.ToString("F" + decimals.ToString(Invariant), Invariant);

    /// <summary>Significant digits for tables meant for people; "n/a" for NaN.</summary>
    public static string Sig(double value, int digits = 4)
    {
        if (double.IsNaN(value)) return "n/a";
        if (double.IsInfinity(value)) return value > 0 ? "∞" : "−∞";
        if (value == 0) return "0";
        var magnitude = Math.Abs(value);
        if (magnitude >= 1e6 || magnitude < 1e-4)
        {
            return value.ToString("0.###e+0", Invariant);
        }
        var decimals = Math.Max(0, digits - 1 - (int)Math.Floor(Math.Log10(magnitude)));
        return Math.Round(value, Math.Min(decimals, 15)).ToString(OptionalDecimals(Math.Max(decimals, 1)), Invariant);
    }

    /// <summary>"0.##…" with <paramref name="count"/> optional decimals, cut from a constant.</summary>
    /// <remarks>new string('#', n) runs SpanHelpers.Fill&lt;char&gt;, which ReadyToRun leaves to be compiled at run time.</remarks>
    private static string OptionalDecimals(int count)
    {
        const string Hashes = "0.##############################";
        return count <= Hashes.Length - 2 ? Hashes[..(2 + count)] : "0." + new string('#', count);
    }

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A CSV field, quoted only when it must be.</summary>
    public static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

/// <summary>Builds a CSV file in memory: a header, then rows of already formatted cells.</summary>
public sealed class CsvBuilder
{
    private readonly StringBuilder _text = new();
    private readonly int _columns;

    public CsvBuilder(params string[] header)
    {
        _columns = header.Length;
        Row(header);
    }

    public CsvBuilder Row(params string[] cells)
    {
        if (cells.Length != _columns)
        {
            throw new ArgumentException($"row has {cells.Length} cells, header has {_columns}", nameof(cells));
        }
        _text.AppendJoin(',', cells.Select(Text.CsvField)).Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();
}

/// <summary>A GitHub-flavoured Markdown table.</summary>
public sealed class MarkdownTable
{
    private readonly StringBuilder _text = new();
    private readonly int _columns;

    /// <param name="header">Column titles; a title ending in ':' is right-aligned (numbers), the colon dropped.</param>
    public MarkdownTable(params string[] header)
    {
        _columns = header.Length;
        _text.Append("| ").AppendJoin(" | ", header.Select(h => h.TrimEnd(':'))).Append(" |\n");
        _text.Append('|').AppendJoin('|', header.Select(h => h.EndsWith(':') ? "---:" : "---")).Append("|\n");
    }

    public MarkdownTable Row(params string[] cells)
    {
        if (cells.Length != _columns)
        {
            throw new ArgumentException($"row has {cells.Length} cells, header has {_columns}", nameof(cells));
        }
        _text.Append("| ").AppendJoin(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))).Append(" |\n");
        return this;
    }

    public override string ToString() => _text.ToString();
}
