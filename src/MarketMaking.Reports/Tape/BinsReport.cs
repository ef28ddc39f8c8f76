using System.Text;
using MarketMaking.Core.Tape;

namespace MarketMaking.Reports.Tape;

/// <summary>Writes `bins`' reports: bins.csv (ready for `calibrate`) and bins_report.md (what was read, skipped and why).</summary>
public static class BinsReport
{
    public const string BinsCsv = "bins.csv";
    public const string ReportMd = "bins_report.md";

    public static void Write(TapeBinningResult result, OutputDirectory output)
    {
        output.WriteText(BinsCsv, BinsTable(result.Rows));
        output.WriteText(ReportMd, Markdown(result));
    }

    /// <summary><c>delta,count,exposure</c>, plus <c>side</c> when rows are per side; numbers round-trip.</summary>
    public static string BinsTable(IReadOnlyList<SidedArrivalBin> rows)
    {
        var sided = rows.Any(r => r.Side is not null);
        var csv = sided ? new CsvBuilder("delta", "count", "exposure", "side") : new CsvBuilder("delta", "count", "exposure");
        foreach (var row in rows)
        {
            var cells = new List<string> { Text.Num(row.Bin.Delta), Text.Num(row.Bin.Count), Text.Num(row.Bin.Exposure) };
            if (sided) cells.Add(Sides.Name(row.Side!.Value));
            csv.Row([.. cells]);
        }
        return csv.ToString();
    }

    public static string Markdown(TapeBinningResult result)
    {
        var bins = result.Bins;
        var d = bins.Diagnostics;
        var md = new StringBuilder();
        md.Append("# Arrival bins from a trade tape\n\n");
        md.Append($"Quotes: `{Path.GetFileName(bins.QuotesSource)}`; trades: `{Path.GetFileName(bins.TradesSource)}`; sides written: {Sides.Name(result.Request.Side)}.\n\n");
        md.Append("A market order counts at depth δ if it reached at least δ from the prevailing mid on its side (a quote resting at δ would have been hit): ");
        md.Append("sells reach the bid side, buys the ask side. Exposure is the time observed with a valid quote");
        md.Append(result.Request.Side == SideSelection.Both
            ? ", counted once per side: pooled rows carry twice that time, so count/exposure is the per-side intensity.\n\n"
            : ", per side.\n\n");

        md.Append("## What was read\n\n");
        md.Append(new MarkdownTable("", "quotes:", "trades:")
            .Row("rows read", Text.Int(d.QuotesRead), Text.Int(d.TradesRead))
            .Row("first time", Text.Num(d.FirstQuoteTime), Text.Num(d.FirstTradeTime))
            .Row("last time", Text.Num(d.LastQuoteTime), Text.Num(d.LastTradeTime)));
        md.Append('\n');
        var span = d.LastQuoteTime - d.FirstQuoteTime;
        md.Append($"Window observed: [{Text.Num(d.FirstQuoteTime)}, {Text.Num(d.LastQuoteTime)}] (the quotes' span), {Text.Sig(span, 8)} time units; ");
        md.Append($"with a valid quote: **{Text.Sig(bins.ObservedTime, 8)}** per side; excluded (missing, locked or crossed quotes): {Text.Sig(d.InvalidQuoteTime, 6)}.\n\n");
        md.Append(new MarkdownTable("side", "market orders counted:", "count at first δ:", "count at last δ:")
            .Row("bid (sell orders)", Text.Int(d.BidOrders), Text.Int(bins.BidCounts[0]), Text.Int(bins.BidCounts[^1]))
            .Row("ask (buy orders)", Text.Int(d.AskOrders), Text.Int(bins.AskCounts[0]), Text.Int(bins.AskCounts[^1])));
        md.Append('\n');

        md.Append("## What was skipped, and why\n\n");
        md.Append(new MarkdownTable("reason", "rows:")
            .Row("quotes with a missing bid or ask (time excluded)", Text.Int(d.QuotesMissingSide))
            .Row("locked quotes, bid = ask (time excluded)", Text.Int(d.QuotesLocked))
            .Row("crossed quotes, bid > ask (time excluded; --crossed skip)", Text.Int(d.QuotesCrossed))
            .Row("quotes replaced at the same timestamp (held no time)", Text.Int(d.QuotesSuperseded))
            .Row("trades under a missing, locked or crossed quote", Text.Int(d.SkippedNoValidQuote))
            .Row("trades of size 0", Text.Int(d.SkippedZeroSize))
            .Row("trades at the mid with no side given", Text.Int(d.SkippedAtMid))
            .Row("orders after the last quote (outside the window)", Text.Int(d.SkippedAfterLastQuote))
            .Row("prints merged into a sweep (same time, same side)", Text.Int(d.PrintsMergedIntoSweeps))
            .Row("orders short of the first depth (counted at no δ)", Text.Int(d.OrdersBelowGrid)));
        md.Append('\n');
        md.Append($"Aggressor side inferred from price against the mid for {Text.Int(d.SidesInferred)} trade(s).\n\n");
        var warnings = Warnings(bins).ToList();
        if (warnings.Count > 0)
        {
            md.Append("### Warnings\n\n");
            foreach (var warning in warnings) md.Append("- ").Append(warning).Append('\n');
            md.Append('\n');
        }

        md.Append("## Counts by depth\n\n");
        var table = new MarkdownTable("δ:", "bid count:", "ask count:", "bid λ:", "ask λ:");
        for (var i = 0; i < bins.Deltas.Length; i++)
        {
            table.Row(Text.Sig(bins.Deltas[i], 6), Text.Int(bins.BidCounts[i]), Text.Int(bins.AskCounts[i]),
                Text.Sig(bins.BidCounts[i] / bins.ObservedTime, 4), Text.Sig(bins.AskCounts[i] / bins.ObservedTime, 4));
        }
        md.Append(table).Append('\n');
        md.Append("Rules: the prevailing quote is the last one at or before a trade (quotes first at equal timestamps; of several quotes at one timestamp the last prevails); ");
        md.Append("prints of one side at one timestamp are one order sweeping the book, counted once at its farthest depth.\n\n");
        md.Append("The counts are nested (an order counts at every depth up to its own), so they are not independent across δ: ");
        md.Append("`calibrate`'s standard errors, which treat bins as independent, are too small for them; `calibrate --by-side` on `--side separate` bins also reports standard errors and a symmetry test that allow for the nesting.\n");
        return md.ToString();
    }

    private static IEnumerable<string> Warnings(TapeBins bins)
    {
        var d = bins.Diagnostics;
        var span = d.LastQuoteTime - d.FirstQuoteTime;
        if (span > 0 && d.LastTradeTime - d.FirstTradeTime < 0.9 * span)
        {
            yield return "the trades cover less than 90% of the quotes' span: if the trade tape is shorter than the session, the exposure is too long and A too small";
        }
        if (d.TradesRead > 0 && (double)d.SkippedNoValidQuote / d.TradesRead > 0.05)
        {
            yield return "more than 5% of trades fell under an invalid quote";
        }
        if (bins.BidCounts[^1] + bins.AskCounts[^1] == 0)
        {
            yield return "no order reached the deepest δ: the grid may extend further than the data";
        }
    }
}
