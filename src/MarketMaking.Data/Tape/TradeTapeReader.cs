using MarketMaking.Core;
using MarketMaking.Core.Tape;
using MarketMaking.Data.Csv;

namespace MarketMaking.Data.Tape;

/// <summary>
/// Streams trades.csv (<c>time,price,size[,side]</c>), one row at a time. <c>side</c> is the aggressor, <c>buy</c> or
/// <c>sell</c> (also <c>b</c>/<c>s</c>, any case); empty or absent means infer it from the mid. Sorted by time as
/// <see cref="QuoteTapeReader"/> requires; a negative size is an error.
/// </summary>
public static class TradeTapeReader
{
    private static readonly string[] Required = ["time", "price", "size"];

    public static IEnumerable<Trade> Read(string path)
    {
        var csv = CsvColumnReader.Open(path, Required, "--trades");
        return Rows(csv);
    }

    private static IEnumerable<Trade> Rows(CsvColumnReader csv)
    {
        using (csv)
        {
            var (price, size, side) = (csv.ColumnIndex("price"), csv.ColumnIndex("size"), csv.ColumnIndex("side"));
            var times = new SortedTimes(csv, "trades");
            while (csv.Read())
            {
                var t = times.Next();
                var p = csv.GetDouble(price, "price");
                var s = csv.GetDouble(size, "size");
                if (s < 0)
                {
                    throw new InputException($"negative size {Guard.Format(s)}", csv.File, csv.Line, size + 1, "size");
                }
                Aggressor? aggressor = side < 0 ? null : ParseSide(csv, side);
                yield return new Trade(t, p, s, aggressor, csv.Line);
            }
        }
    }

    private static Aggressor? ParseSide(CsvColumnReader csv, int index)
    {
        var text = csv.GetOptionalString("side")?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        if (text.Equals("buy", StringComparison.OrdinalIgnoreCase) || text.Equals("b", StringComparison.OrdinalIgnoreCase)) return Aggressor.Buy;
        if (text.Equals("sell", StringComparison.OrdinalIgnoreCase) || text.Equals("s", StringComparison.OrdinalIgnoreCase)) return Aggressor.Sell;
        throw new InputException($"'{CsvNumbers.Printable(text)}' is not a side: expected buy or sell (the aggressor), or empty to infer it", csv.File, csv.Line, index + 1, "side");
    }
}
