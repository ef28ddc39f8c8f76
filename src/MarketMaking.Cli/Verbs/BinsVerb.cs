using System.CommandLine;
using System.Globalization;
using MarketMaking.Core.Tape;
using MarketMaking.Data.Tape;
using MarketMaking.Reports.Tape;

namespace MarketMaking.Cli.Verbs;

/// <summary>`mm-engine bins`: from a trade and quote tape to per-side arrival counts by depth, ready for `calibrate`.</summary>
public static class BinsVerb
{
    public sealed record Options(string Trades, string Quotes, IReadOnlyList<double> Deltas, SideSelection Side, bool AllowCrossed, string Out);

    public static Command Create(CliApp app)
    {
        var trades = new Option<string>("--trades")
        {
            Description = "CSV of trades: time,price,size[,side] (side = aggressor, buy or sell; inferred from the mid when absent). Sorted by time.",
            Required = true,
            HelpName = "FILE",
        };
        var quotes = new Option<string>("--quotes")
        {
            Description = "CSV of top-of-book quotes: time,bid,ask (an empty bid or ask is a missing side). Sorted by time. Time: seconds or ISO-8601.",
            Required = true,
            HelpName = "FILE",
        };
        var deltas = new Option<string?>("--deltas")
        {
            Description = "Depth grid from the mid, FROM:TO:STEP in price units (e.g. 0.01:0.15:0.01).",
            HelpName = "FROM:TO:STEP",
        };
        var ticks = new Option<int?>("--ticks")
        {
            Description = "Depth grid of 1..N ticks (with --tick-size), instead of --deltas.",
            HelpName = "N",
        };
        var tickSize = new Option<double?>("--tick-size")
        {
            Description = "Tick size in price units, for --ticks.",
            HelpName = "X",
        };
        var side = new Option<string>("--side")
        {
            Description = "both: buys and sells pooled, exposure counted once per side (A is per side); bid or ask: one side, with a side column; separate: both sides on their own rows, for `calibrate --by-side`. Default: both.",
            DefaultValueFactory = _ => "both",
        };
        side.AcceptOnlyFromAmong("both", "bid", "ask", "separate");
        var crossed = new Option<string>("--crossed")
        {
            Description = "A quote with bid > ask: reject (an error naming the line) or skip (its time is excluded and reported). Default: reject.",
            DefaultValueFactory = _ => "reject",
        };
        crossed.AcceptOnlyFromAmong("reject", "skip");
        var output = CommonOptions.Out("reports");
        var command = new Command("bins", "Count the market orders that reached each depth from the mid, per side, and the time observed with a valid quote; writes bins.csv (for calibrate) and bins_report.md.")
        {
            trades, quotes, deltas, ticks, tickSize, side, crossed, output,
        };
        command.SetAction(parse =>
        {
            var options = new Options(
                parse.GetValue(trades)!,
                parse.GetValue(quotes)!,
                Grid(parse.GetValue(deltas), parse.GetValue(ticks), parse.GetValue(tickSize)),
                Enum.Parse<SideSelection>(parse.GetValue(side)!, ignoreCase: true),
                parse.GetValue(crossed) == "skip",
                parse.GetValue(output)!);
            var result = TapeBinning.Run(new TapeBinningRequest(options.Quotes, options.Trades,
                QuoteTapeReader.Read(options.Quotes, options.AllowCrossed), TradeTapeReader.Read(options.Trades), options.Deltas, options.Side));
            return VerbOutput.WriteReports(app, parse, options.Out, dir => BinsReport.Write(result, dir));
        });
        return command;
    }

    /// <summary>Exactly one of --deltas and --ticks/--tick-size; a malformed grid is a usage error (exit 2).</summary>
    private static IReadOnlyList<double> Grid(string? deltas, int? ticks, double? tickSize)
    {
        try
        {
            return ParseGrid(deltas, ticks, tickSize);
        }
        catch (Core.InputException e)
        {
            throw new UsageException($"{e.Message} ({e.Field})");
        }
    }

    private static double[] ParseGrid(string? deltas, int? ticks, double? tickSize)
    {
        if (deltas is not null && (ticks is not null || tickSize is not null))
        {
            throw new UsageException("give either --deltas or --ticks with --tick-size, not both");
        }
        if (deltas is not null)
        {
            var parts = deltas.Split(':');
            var values = new double[parts.Length];
            if (parts.Length != 3 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).All(ok => ok))
            {
                throw new UsageException($"--deltas must be FROM:TO:STEP with numbers, got '{deltas}'");
            }
            return DepthGrid.FromRange(values[0], values[1], values[2]);
        }
        if (ticks is null || tickSize is null)
        {
            throw new UsageException("give the depth grid: --deltas FROM:TO:STEP, or --ticks N with --tick-size X");
        }
        return DepthGrid.FromTicks(ticks.Value, tickSize.Value);
    }
}
