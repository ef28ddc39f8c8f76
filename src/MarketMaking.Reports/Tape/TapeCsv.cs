using MarketMaking.Core.Tape;

namespace MarketMaking.Reports.Tape;

/// <summary>Writes a tape in the formats `bins` reads (streamed: a tape of any length in constant memory).</summary>
public static class TapeCsv
{
    public static void WriteQuotes(TextWriter writer, IEnumerable<Quote> quotes)
    {
        writer.Write("time,bid,ask\n");
        foreach (var q in quotes)
        {
            writer.Write($"{Text.Num(q.Time)},{Text.Num(q.Bid)},{Text.Num(q.Ask)}\n");
        }
    }

    /// <param name="withSide">False leaves the side out, for `bins` to infer it.</param>
    public static void WriteTrades(TextWriter writer, IEnumerable<Trade> trades, bool withSide = true)
    {
        writer.Write(withSide ? "time,price,size,side\n" : "time,price,size\n");
        foreach (var t in trades)
        {
            writer.Write($"{Text.Num(t.Time)},{Text.Num(t.Price)},{Text.Num(t.Size)}");
            if (withSide) writer.Write(t.Side switch { Aggressor.Buy => ",buy", Aggressor.Sell => ",sell", _ => "," });
            writer.Write('\n');
        }
    }
}
