using MarketMaking.Core;
using MarketMaking.Core.Tape;
using MarketMaking.Data.Csv;

namespace MarketMaking.Data.Tape;

/// <summary>
/// Streams quotes.csv (<c>time,bid,ask</c>, any column order, extra columns ignored), one row at a time. An empty
/// bid or ask cell is a missing side (a one-sided book: excluded from exposure). The file must be sorted by time
/// (equal times allowed): a tape too large for memory cannot be sorted here, so unsorted input is rejected at the
/// first row that goes back in time. bid &gt; ask is an error unless <paramref name="allowCrossed"/>, when the
/// crossed quote is kept, excluded from exposure and counted in the report.
/// </summary>
public static class QuoteTapeReader
{
    private static readonly string[] Required = ["time", "bid", "ask"];

    public static IEnumerable<Quote> Read(string path, bool allowCrossed = false)
    {
        // Opened eagerly so a missing file or column fails before any work; rows are read lazily.
        var csv = CsvColumnReader.Open(path, Required, "--quotes");
        return Rows(csv, allowCrossed);
    }

    private static IEnumerable<Quote> Rows(CsvColumnReader csv, bool allowCrossed)
    {
        using (csv)
        {
            var (bid, ask) = (csv.ColumnIndex("bid"), csv.ColumnIndex("ask"));
            var times = new SortedTimes(csv, "quotes");
            while (csv.Read())
            {
                var t = times.Next();
                var b = Price(csv, bid, "bid");
                var a = Price(csv, ask, "ask");
                if (b > a && !allowCrossed)
                {
                    throw new InputException($"crossed quote: bid {Guard.Format(b)} > ask {Guard.Format(a)} (--crossed skip keeps such quotes out of the exposure instead)", csv.File, csv.Line, bid + 1, "bid");
                }
                yield return new Quote(t, b, a, csv.Line);
            }
        }
    }

    /// <summary>An empty cell is a missing side (NaN); anything else must be a finite number.</summary>
    private static double Price(CsvColumnReader csv, int index, string column)
    {
        var text = csv.GetOptionalString(column);
        return string.IsNullOrWhiteSpace(text) ? double.NaN : csv.GetDouble(index, column);
    }
}
