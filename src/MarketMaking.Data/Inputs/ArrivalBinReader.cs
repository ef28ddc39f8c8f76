using MarketMaking.Core;
using MarketMaking.Core.Calibration;
using MarketMaking.Data.Csv;

namespace MarketMaking.Data.Inputs;

/// <summary>
/// Reads binned arrival data: a CSV whose header has <c>delta,count,exposure</c> in any order, and for
/// <see cref="ReadBySide"/> a <c>side</c> column (<c>bid</c> or <c>ask</c>), as `mm-engine bins --side separate` writes.
/// </summary>
public static class ArrivalBinReader
{
    private static readonly string[] Required = ["delta", "count", "exposure"];

    public static IReadOnlyList<ArrivalBin> Read(string path) => ReadRows(path, bySide: false).Bid;

    /// <summary>Rows split by their <c>side</c> column; both sides must be present.</summary>
    public static SidedBins ReadBySide(string path)
    {
        var bins = ReadRows(path, bySide: true);
        foreach (var (rows, name) in new[] { (bins.Bid, "bid"), (bins.Ask, "ask") })
        {
            if (rows.Count == 0)
            {
                throw new InputException($"no '{name}' rows: --by-side needs both sides (write them with `mm-engine bins --side separate`)", path, null, null, "side");
            }
        }
        return bins;
    }

    private static SidedBins ReadRows(string path, bool bySide)
    {
        using var csv = CsvColumnReader.Open(path, bySide ? [.. Required, "side"] : Required);
        var delta = csv.ColumnIndex("delta");
        var count = csv.ColumnIndex("count");
        var exposure = csv.ColumnIndex("exposure");
        var side = csv.ColumnIndex("side");
        // Without a side every row goes to the first list.
        var bid = new List<ArrivalBin>();
        var ask = new List<ArrivalBin>();
        while (csv.Read())
        {
            var rows = bid;
            if (bySide)
            {
                var name = csv.GetString("side").Trim();
                rows = name.Equals("bid", StringComparison.OrdinalIgnoreCase) ? bid
                    : name.Equals("ask", StringComparison.OrdinalIgnoreCase) ? ask
                    : throw new InputException($"'{CsvNumbers.Printable(name)}' is not a side: expected bid or ask", path, csv.Line, side + 1, "side");
            }
            var d = csv.GetDouble(delta, "delta");
            var n = csv.GetDouble(count, "count");
            var e = csv.GetDouble(exposure, "exposure");
            try
            {
                rows.Add(new ArrivalBin(d, n, e));
            }
            catch (InputException error)
            {
                var field = error.Field ?? "delta";
                throw new InputException(error.Message, path, csv.Line, csv.ColumnIndex(field) + 1, field);
            }
        }
        if (bid.Count + ask.Count == 0)
        {
            throw new InputException("header only: no data rows", path, 2, null, "delta");
        }
        return new SidedBins(bid, ask);
    }
}

/// <summary>Binned arrivals of each quote side: bid rows (reached by sell orders) and ask rows (buy orders).</summary>
public sealed record SidedBins(IReadOnlyList<ArrivalBin> Bid, IReadOnlyList<ArrivalBin> Ask);
