using MarketMaking.Core;
using MarketMaking.Core.Processes;
using MarketMaking.Data.Csv;

namespace MarketMaking.Data.Inputs;

/// <summary>
/// A mid series read from a named column of a CSV, optionally with a second column as the hedge instrument
/// (e.g. DAX quoted, CAC as hedge, from eustockmarkets.csv), held in memory; optional strictly increasing <c>time</c>.
/// </summary>
public static class ColumnSeries
{
    public static SeriesMarket Market(string path, string midColumn, string? hedgeColumn, double dt)
    {
        var required = hedgeColumn is null ? new[] { midColumn } : [midColumn, hedgeColumn];
        using var csv = CsvColumnReader.Open(path, required, midColumn);
        var midIndex = csv.ColumnIndex(midColumn);
        var hedgeIndex = hedgeColumn is null ? -1 : csv.ColumnIndex(hedgeColumn);
        var timeIndex = csv.ColumnIndex("time");
        var mid = new List<double>();
        var hedge = new List<double>();
        var time = new List<double>();
        while (csv.Read())
        {
            mid.Add(csv.GetDouble(midIndex, midColumn));
            if (hedgeIndex >= 0)
            {
                var h = csv.GetDouble(hedgeIndex, hedgeColumn!);
                if (!(h > 0)) throw csv.ErrorAt(hedgeColumn!, $"hedge prices must be > 0, got {Guard.Format(h)}");
                hedge.Add(h);
            }
            if (timeIndex >= 0)
            {
                var t = csv.GetDouble(timeIndex, "time");
                if (time.Count > 0 && !(t > time[^1])) throw csv.ErrorAt("time", "time must increase strictly");
                time.Add(t);
            }
        }
        if (mid.Count < 2) throw new InputException($"need at least two rows, got {mid.Count}", path, field: midColumn);
        return new SeriesMarket([.. mid], timeIndex >= 0 ? [.. time] : null, dt, hedgeIndex >= 0 ? [.. hedge] : null);
    }
}
