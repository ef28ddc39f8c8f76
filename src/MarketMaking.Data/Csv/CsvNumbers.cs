using System.Globalization;
using MarketMaking.Core;

namespace MarketMaking.Data.Csv;

/// <summary>Number parsing for input files: invariant culture only, finite values only.</summary>
public static class CsvNumbers
{
    private const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent
        | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite;

    private static readonly HashSet<string> NonFiniteSpellings = new(StringComparer.OrdinalIgnoreCase) { "inf", "infinity", "nan", "∞" };

    /// <summary>Parses a finite double; "1,5", "0x10", "NaN", "inf" and "1e400" are errors naming the place.</summary>
    public static double ParseFinite(string? text, string file, int line, int column, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InputException("empty cell, expected a number", file, line, column, field);
        }
        if (!double.TryParse(text, Style, CultureInfo.InvariantCulture, out var value))
        {
            if (NonFiniteSpellings.Contains(text.Trim().TrimStart('+', '-')))
            {
                throw new InputException($"'{Printable(text)}' is not a finite number", file, line, column, field);
            }
            var hint = text.Contains(',', StringComparison.Ordinal) ? " (use '.' as the decimal separator)" : "";
            throw new InputException($"'{Printable(text)}' is not a number{hint}", file, line, column, field);
        }
        if (!double.IsFinite(value))
        {
            throw new InputException($"'{Printable(text)}' is not a finite number", file, line, column, field);
        }
        return value;
    }

    /// <summary>Keeps error messages on one printable line whatever bytes the file held.</summary>
    public static string Printable(string text)
    {
        var clean = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length > 40 ? clean[..40] + "..." : clean;
    }
}
