using MarketMaking.Core;
using MarketMaking.Data.Csv;

namespace MarketMaking.Data.Inputs;

/// <summary>A mid-price series: column <c>mid</c>, optional strictly increasing <c>time</c>.</summary>
public sealed record MidSeries(double[] Mid, double[]? Time, string Source);

public static class MidSeriesReader
{
    public static MidSeries Read(string path)
    {
        var mid = new List<double>();
        List<double>? time = null;
        foreach (var row in Rows(path))
        {
            mid.Add(row.Mid);
            if (row.Time is double t) (time ??= []).Add(t);
        }
        return new MidSeries([.. mid], time?.ToArray(), path);
    }

    /// <summary>
    /// Streams the rows, validated: every mid finite, time (if present) strictly increasing, at least two rows.
    /// Nothing is held in memory, so a series of any length can be checked or replayed.
    /// </summary>
    public static IEnumerable<(double Mid, double? Time)> Rows(string path)
    {
        using var rows = new MidRows(path);
        while (rows.Next(out var mid, out var time)) yield return (mid, rows.HasTime ? time : null);
    }
}

/// <summary>
/// The validated rows of a mid series one at a time, without an iterator or a tuple per row: the replay loop of a
/// 10^7-row history calls it once per step. Same checks and errors as <see cref="MidSeriesReader.Rows"/>.
/// </summary>
public sealed class MidRows : IDisposable
{
    private readonly CsvNumberStream _csv;
    private readonly double[] _values = new double[2];
    private double _previous = double.NaN;
    private int _count;

    public MidRows(string path)
    {
        Path = path;
        // The byte-level reader: a long series is parsed at memory speed, one pass, nothing held.
        _csv = CsvNumberStream.Open(path, ["mid"], ["mid", "time"], "mid");
        HasTime = _csv.Has(1);
    }

    public string Path { get; }

    public bool HasTime { get; }

    /// <summary>The byte-level reader underneath, for reading a long file in parts.</summary>
    internal CsvNumberStream Stream => _csv;

    /// <summary>The next row (time NaN without a time column); false after the last, which must have been the second or later.</summary>
    public bool Next(out double mid, out double time)
    {
        if (!_csv.Read(_values))
        {
            if (_count < 2) throw new InputException($"need at least two rows of mid prices, got {_count}", Path, field: "mid");
            mid = time = double.NaN;
            return false;
        }
        mid = _values[0];
        time = _values[1];
        if (HasTime)
        {
            if (_count > 0 && time <= _previous)
            {
                throw _csv.ErrorAt(1, $"time must increase strictly ({Guard.Format(time)} follows {Guard.Format(_previous)})");
            }
            _previous = time;
        }
        _count++;
        return true;
    }

    /// <summary>
    /// Up to <paramref name="mids"/>.Length further rows (at least one) into <paramref name="mids"/> and
    /// <paramref name="times"/>; 0 after the last. The same rows and errors as <see cref="Next"/>, a block at a time:
    /// plain lines in bulk, any other row through <see cref="Next"/>.
    /// </summary>
    public int NextBlock(Span<double> mids, Span<double> times)
    {
        var rows = _csv.ReadPlainRows(mids, times, HasTime ? 1 : -1, _count > 0 ? _previous : double.NegativeInfinity);
        if (rows == 0) return Next(out mids[0], out times[0]) ? 1 : 0;
        if (HasTime) _previous = times[rows - 1];
        _count += rows;
        return rows;
    }

    public void Dispose() => _csv.Dispose();
}
