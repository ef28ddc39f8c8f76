using System.Globalization;
using System.Text.RegularExpressions;
using MarketMaking.Core;
using MarketMaking.Data.Csv;

namespace MarketMaking.Data.Tape;

/// <summary>
/// Times on a tape: decimal seconds, or ISO-8601 timestamps (<c>2024-01-02T09:30:00.125Z</c>, a space for the T,
/// up to nine fractional digits, an offset or Z; no offset means UTC), which become seconds since 1970-01-01 UTC.
/// Both forms go through one decimal parse, so "1704187800.125" and "2024-01-02T09:30:00.125Z" give the same double.
/// </summary>
public static partial class TapeTime
{
    private const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    public static double Parse(string? text, string file, int line, int column, string field = "time")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InputException("empty cell, expected a time (seconds or ISO-8601)", file, line, column, field);
        }
        var trimmed = text.Trim();
        if (double.TryParse(trimmed, Style, CultureInfo.InvariantCulture, out var seconds))
        {
            if (!double.IsFinite(seconds))
            {
                throw new InputException($"'{CsvNumbers.Printable(trimmed)}' is not a finite time", file, line, column, field);
            }
            return seconds;
        }
        if (TryParseIso(trimmed, out seconds))
        {
            return seconds;
        }
        throw new InputException($"'{CsvNumbers.Printable(trimmed)}' is not a time: expected seconds (e.g. 12.5) or ISO-8601 (e.g. 2024-01-02T09:30:00.125Z)", file, line, column, field);
    }

    public static bool TryParseIso(string text, out double seconds)
    {
        seconds = double.NaN;
        var match = IsoPattern().Match(text);
        if (!match.Success) return false;
        int Int(string group) => int.Parse(match.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        var (year, month, day) = (Int("y"), Int("mo"), Int("d"));
        var (hour, minute, second) = (Int("h"), Int("mi"), Int("s"));
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        long offsetSeconds = 0;
        var zone = match.Groups["z"].Value;
        if (zone.Length > 0 && zone != "Z" && zone != "z")
        {
            var sign = zone[0] == '-' ? -1 : 1;
            var digits = zone[1..].Replace(":", "", StringComparison.Ordinal);
            var oh = int.Parse(digits.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture);
            var om = int.Parse(digits.AsSpan(2, 2), NumberStyles.None, CultureInfo.InvariantCulture);
            if (oh > 23 || om > 59) return false;
            offsetSeconds = sign * (oh * 3600L + om * 60L);
        }
        var days = new DateOnly(year, month, day).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        var whole = days * 86400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        var fraction = match.Groups["f"].Value;
        // Whole seconds plus the fraction's digits, exact in decimal, then one correctly rounded parse: the same
        // double as the decimal-seconds text of the same instant.
        var exact = whole + (match.Groups["f"].Success ? decimal.Parse("0." + match.Groups["f"].Value, CultureInfo.InvariantCulture) : 0m);
        seconds = double.Parse(exact.ToString(CultureInfo.InvariantCulture), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return true;
    }

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})[Tt ](?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2})(?:\.(?<f>\d{1,9}))?(?<z>[Zz]|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();
}

/// <summary>
/// The time column of a tape file read in order: each row's time, rejecting a row earlier than the one before it
/// (unsorted input is rejected, not sorted, so that any size streams in bounded memory).
/// </summary>
internal sealed class SortedTimes(CsvColumnReader csv, string rows)
{
    private readonly int _column = csv.ColumnIndex("time");
    private double _last = double.NegativeInfinity;
    private int _lastLine;

    public double Next()
    {
        var t = TapeTime.Parse(csv.GetOptionalString("time"), csv.File, csv.Line, _column + 1);
        if (t < _last)
        {
            throw new InputException(
                $"time {Guard.Format(t)} is earlier than {Guard.Format(_last)} on line {_lastLine}: {rows} must be sorted by time (unsorted input is rejected, not sorted, so that any size streams in bounded memory)",
                csv.File, csv.Line, _column + 1, "time");
        }
        (_last, _lastLine) = (t, csv.Line);
        return t;
    }
}

