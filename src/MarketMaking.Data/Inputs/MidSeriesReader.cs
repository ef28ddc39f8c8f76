using MarketMaking.Core;
using MarketMaking.Data.Csv;

namespace MarketMaking.Data.Inputs;

/// <summary>A mid-price series: column <c>mid</c>, optional strictly increasing <c>time</c>.</summary>
public sealed record MidSeries(double[] Mid, double[]? Time, string Source);

public static class MidSeriesReader
{
    public static MidSeries Read(string path)
    {
        using var csv = CsvColumnReader.Open(path, ["mid"], "mid");
        var mid = new List<double>();
        var hasTime = csv.HasColumn("time");
        var time = hasTime ? new List<double>() : null;
        var midIndex = csv.ColumnIndex("mid");
        var timeIndex = csv.ColumnIndex("time");
        while (csv.Read())
        {
            mid.Add(csv.GetDouble(midIndex, "mid"));
            if (time is not null)
            {
                var t = csv.GetDouble(timeIndex, "time");
                if (time.Count > 0 && t <= time[^1])
                {
                    throw csv.ErrorAt("time", $"time must increase strictly ({Guard.Format(t)} follows {Guard.Format(time[^1])})");
                }
                time.Add(t);
            }
        }
        if (mid.Count < 2)
        {
            throw new InputException($"need at least two rows of mid prices, got {mid.Count}", path, field: "mid");
        }
        return new MidSeries([.. mid], time?.ToArray(), path);
    }
}
