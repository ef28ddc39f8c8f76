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
        using var csv = CsvColumnReader.Open(path, ["mid"], "mid");
        var midIndex = csv.ColumnIndex("mid");
        var timeIndex = csv.ColumnIndex("time");
        var previous = double.NaN;
        var count = 0;
        while (csv.Read())
        {
            var m = csv.GetDouble(midIndex, "mid");
            double? time = null;
            if (timeIndex >= 0)
            {
                var t = csv.GetDouble(timeIndex, "time");
                if (count > 0 && t <= previous)
                {
                    throw csv.ErrorAt("time", $"time must increase strictly ({Guard.Format(t)} follows {Guard.Format(previous)})");
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
