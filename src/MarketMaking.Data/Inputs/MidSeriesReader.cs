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
        // The byte-level reader: a long series is parsed at memory speed, one pass, nothing held.
        using var csv = CsvNumberStream.Open(path, ["mid"], ["mid", "time"], "mid");
        var hasTime = csv.Has(1);
        var previous = double.NaN;
        var count = 0;
        var values = new double[2];
        while (csv.Read(values))
        {
            var m = values[0];
            double? time = null;
            if (hasTime)
            {
                var t = values[1];
                if (count > 0 && t <= previous)
                {
                    throw csv.ErrorAt(1, $"time must increase strictly ({Guard.Format(t)} follows {Guard.Format(previous)})");
                }
                previous = t;
                time = t;
            }
            count++;
            yield return (m, time);
        }
        if (count < 2)
        {
            throw new InputException($"need at least two rows of mid prices, got {count}", path, field: "mid");
        }
    }
}
