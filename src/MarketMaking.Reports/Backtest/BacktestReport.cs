using System.Globalization;
using System.Text;
using System.Text.Json;
using MarketMaking.Core.Backtest;

namespace MarketMaking.Reports.Backtest;

/// <summary>Writes `backtest`'s reports: time series, fills, summary (Markdown and JSON).</summary>
public static class BacktestReport
{
    public const string TimeseriesCsv = "backtest_timeseries.csv";
    public const string FillsCsv = "fills.csv";
    public const string SummaryMd = "backtest_summary.md";
    public const string SummaryJson = "backtest_summary.json";

    /// <param name="settings">The run's settings as the loader echoed them, shown at the top of the summary.</param>
    /// <remarks>
    /// The files are independent, so they are produced on every core at once (the figures, the most expensive, are
    /// started first, largest first). Every name is claimed in a fixed order before any is written, so the run's file list and
    /// the bytes of every file do not depend on which finishes first.
    /// </remarks>
    public static void Write(BacktestResult result, IReadOnlyList<KeyValuePair<string, string>> settings, OutputDirectory output)
    {
        var charts = BacktestCharts.FileNames(result);
        var renderers = BacktestCharts.Renderers(result);
        output.PathFor(TimeseriesCsv);
        output.PathFor(FillsCsv);
        output.PathFor(SummaryJson);
        foreach (var chart in charts) output.PathFor(chart);
        output.PathFor(SummaryMd);

        // Most expensive first, so the last pieces to start are short ones and the cores finish together; the smaller
        // figures reuse the larger ones' pixel buffers (see Canvas.Recycle).
        var pieces = new List<Action>();
        foreach (var chart in BacktestCharts.LargestFirst)
        {
            var index = IndexOf(charts, chart);
            if (index < 0) continue;
            var render = renderers[index];
            pieces.Add(() => output.WriteBytes(chart, render(result)));
            if (chart == BacktestCharts.QuotesPng) pieces.Add(() => output.WriteText(SummaryMd, Markdown(result, settings, charts)));
        }
        pieces.Add(() => output.WriteText(SummaryJson, Json(result)));
        pieces.Add(() => output.WriteStream(TimeseriesCsv, writer => WriteTimeseries(result, writer)));
        pieces.Add(() => output.WriteStream(FillsCsv, writer => WriteFills(result, writer)));
        RunAll(pieces.ToArray());
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }

    /// <summary>
    /// Runs the pieces on every core, each worker taking the next piece in the given order, and, if any failed, rethrows
    /// the failure of the first piece in that order (not an AggregateException): the CLI reports it as it would a
    /// sequential run's. One worker per core, not Parallel.For's: its range partitioning started a third thread on two
    /// cores, and with it a third set of fresh canvas buffers, and did not keep the order.
    /// </summary>
    internal static void RunAll(Action[] pieces)
    {
        var failures = new Exception?[pieces.Length];
        var next = -1;
        void Work()
        {
            for (int i; (i = Interlocked.Increment(ref next)) < pieces.Length;)
            {
                try
                {
                    pieces[i]();
                }
                catch (Exception e)
                {
                    failures[i] = e;
                }
            }
        }

        var helpers = new Task[Math.Max(0, Math.Min(Environment.ProcessorCount, pieces.Length) - 1)];
        for (var k = 0; k < helpers.Length; k++) helpers[k] = Task.Run(Work);
        Work();
        Task.WaitAll(helpers);
        foreach (var failure in failures)
        {
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>
    /// One row per strategy and recorded step of path 0 (state at t_i, quotes posted at t_i, that step's fills), with the
    /// per-step quantiles across the distribution paths where the step is one of the fan's.
    /// </summary>
    public static void WriteTimeseries(BacktestResult result, TextWriter writer)
    {
        writer.WriteLine("strategy,step,time,mid,bid,ask,inventory,cash,pnl,bid_fill,ask_fill,mid_p05,mid_p50,mid_p95,pnl_p05,pnl_p25,pnl_p50,pnl_p75,pnl_p95,inventory_p05,inventory_p50,inventory_p95");
        var line = new StringBuilder();
        foreach (var strategy in result.Strategies)
        {
            var s = strategy.Path0;
            var fanSteps = strategy.PnlFan.Step;
            for (var r = 0; r < s.Step.Length; r++)
            {
                line.Clear();
                line.Append(Text.CsvField(strategy.Name)).Append(',').Append(Text.Int(s.Step[r])).Append(',').Append(Text.Num(s.Time[r]))
                    .Append(',').Append(Text.Num(s.Mid[r])).Append(',').Append(Text.Num(s.Bid[r])).Append(',').Append(Text.Num(s.Ask[r]))
                    .Append(',').Append(Text.Num(s.Inventory[r])).Append(',').Append(Text.Num(s.Cash[r])).Append(',').Append(Text.Num(s.Pnl[r]))
                    .Append(',').Append(Text.Num(s.BidFill[r])).Append(',').Append(Text.Num(s.AskFill[r]));
                var f = BacktestCharts.RowOf(fanSteps, s.Step[r]);
                if (f >= 0)
                {
                    AppendFan(line, result.MidFan, f, 0, 2, 4);
                    AppendFan(line, strategy.PnlFan, f, 0, 1, 2, 3, 4);
                    AppendFan(line, strategy.InventoryFan, f, 0, 2, 4);
                }
                else
                {
                    line.Append(",,,,,,,,,,,"); // eleven empty quantile columns (a literal: Append(char, count) is compiled at run time)
                }
                writer.Write(line.Append('\n'));
            }
        }
    }

    public static void WriteFills(BacktestResult result, TextWriter writer)
    {
        var horizons = result.Spec.MarkoutHorizons;
        var header = new StringBuilder("strategy,path,step,time,side,price,mid,quantity,inventory_after");
        for (var h = 0; h < horizons.Count; h++) header.Append(",markout_").Append(Text.Int(horizons[h]));
        writer.WriteLine(header.ToString());
        var line = new StringBuilder();
        foreach (var strategy in result.Strategies)
        {
            var fills = BacktestCharts.Span(strategy.Fills);
            for (var i = 0; i < fills.Length; i++)
            {
                var f = fills[i];
                line.Clear();
                line.Append(Text.CsvField(strategy.Name)).Append(',').Append(Text.Int(f.Path)).Append(',').Append(Text.Int(f.Step)).Append(',').Append(Text.Num(f.Time))
                    .Append(',').Append(f.Side > 0 ? "buy" : "sell").Append(',').Append(Text.Num(f.Price)).Append(',').Append(Text.Num(f.Mid))
                    .Append(',').Append(Text.Num(f.Quantity)).Append(',').Append(Text.Num(f.InventoryAfter));
                foreach (var m in f.Markouts) line.Append(',').Append(Text.Num(m));
                writer.Write(line.Append('\n'));
            }
        }
    }

    /// <summary>The summary as JSON: invariant numbers, NaN as null, keys in a fixed order.</summary>
    public static string Json(BacktestResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonNumbers.Options(indented: true)))
        {
            json.WriteStartObject();
            json.WriteNumber("steps", result.Steps);
            JsonNumbers.Write(json, "horizon", result.Horizon);
            json.WriteNumber("distribution_paths", result.DistributionPaths);
            json.WriteStartArray("strategies");
            foreach (var s in result.Strategies)
            {
                var m = s.Metrics;
                json.WriteStartObject();
                json.WriteString("name", s.Name);
                json.WriteNumber("paths", m.Paths);
                WithSe(json, "avg_spread", m.AvgSpread);
                JsonNumbers.Write(json, "profit_mean", m.Profit.Value);
                JsonNumbers.Write(json, "profit_std", m.ProfitStd);
                JsonNumbers.Write(json, "profit_se", m.Profit.StandardError);
                JsonNumbers.Write(json, "final_q_mean", m.FinalInventory.Value);
                JsonNumbers.Write(json, "final_q_std", m.FinalInventoryStd);
                JsonNumbers.Write(json, "final_q_se", m.FinalInventory.StandardError);
                JsonNumbers.Write(json, "inventory_mean", m.InventoryMean);
                JsonNumbers.Write(json, "inventory_std", m.InventoryStd);
                JsonNumbers.Write(json, "max_abs_inventory", m.MaxAbsInventory);
                WithSe(json, "fills", m.Fills);
                WithSe(json, "spread_capture", m.SpreadCapture);
                WithSe(json, "inventory_pnl", m.InventoryPnl);
                WithSe(json, "hedge_pnl", m.HedgePnl);
                if (s.Diagnostics.Count > 0)
                {
                    json.WriteStartObject("diagnostics");
                    foreach (var d in s.Diagnostics) WithSe(json, d.Name, d.Mean);
                    json.WriteEndObject();
                }
                WithSe(json, "adverse_selection", m.AdverseSelection);
                WithSe(json, "sharpe", m.Sharpe);
                WithSe(json, "sortino", m.Sortino);
                WithSe(json, "max_drawdown", m.MaxDrawdown);
                WithSe(json, "var95", m.Var95);
                WithSe(json, "es95", m.Es95);
                WithSe(json, "var99", m.Var99);
                WithSe(json, "es99", m.Es99);
                WithSe(json, "pnl_p05", m.PnlP05);
                json.WriteStartArray("markouts");
                foreach (var k in m.Markouts)
                {
                    json.WriteStartObject();
                    json.WriteNumber("horizon", k.Horizon);
                    WithSe(json, "adverse_selection", k.AdverseSelection);
                    JsonNumbers.Write(json, "markout_mean", k.MarkoutMean);
                    JsonNumbers.Write(json, "markout_p05", k.MarkoutP05);
                    JsonNumbers.Write(json, "markout_p95", k.MarkoutP95);
                    json.WriteNumber("sampled_fills", k.SampledFills);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("differences");
            foreach (var d in result.Differences)
            {
                json.WriteStartObject();
                json.WriteString("strategy", d.Strategy);
                json.WriteString("baseline", d.Baseline);
                WithSe(json, "profit_difference", d.Profit);
                JsonNumbers.Write(json, "t", d.TStatistic);
                json.WriteBoolean("significant", d.Significant);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static string Markdown(BacktestResult result, IReadOnlyList<KeyValuePair<string, string>> settings, IReadOnlyList<string> charts)
    {
        var md = new StringBuilder();
        var first = result.Strategies[0].Metrics;
        md.Append("# Backtest summary\n\n");
        md.Append($"{Text.Int(first.Paths)} path(s) × {Text.Int(result.Steps)} steps over a horizon of {Text.Sig(result.Horizon)}; ");
        md.Append(result.Strategies.Count > 1 ? "every strategy ran on the same market paths and fill draws (common random numbers). " : "");
        md.Append("Figures are means over paths ± one standard error.\n\n");
        md.Append("## Settings\n\n");
        var table = new MarkdownTable("setting", "value");
        foreach (var (key, value) in settings) table.Row(key, value);
        md.Append(table).Append('\n');

        md.Append("## Strategies\n\n");
        var main = new MarkdownTable("strategy", "avg spread:", "profit:", "std(profit):", "final q:", "std(final q):", "fills:", "Sharpe (step):", "max drawdown:");
        foreach (var s in result.Strategies)
        {
            var m = s.Metrics;
            main.Row(s.Name, Pm(m.AvgSpread, 4), Pm(m.Profit, 3), Text.Sig(m.ProfitStd, 3), Pm(m.FinalInventory, 2), Text.Sig(m.FinalInventoryStd, 3),
                Pm(m.Fills, 3), Pm(m.Sharpe, 3), Pm(m.MaxDrawdown, 3));
        }
        md.Append(main).Append('\n');
        if (result.Differences.Count > 0)
        {
            md.Append("Profit differences, path by path against the first strategy:\n\n");
            var diff = new MarkdownTable("strategy", "minus", "profit difference:", "t:", "significant at 5%");
            foreach (var d in result.Differences)
            {
                diff.Row(d.Strategy, d.Baseline, Pm(d.Profit, 3), Text.Fixed(d.TStatistic, 2), d.Significant ? "yes" : "no");
            }
            md.Append(diff).Append('\n');
        }

        if (result.Strategies.Count > 1) AppendComparison(md, result);
        AppendDiagnostics(md, result);

        md.Append("## P&L decomposition\n\n");
        md.Append("Total P&L = spread capture (edge of each fill against the mid at the fill) + inventory P&L (Σ q·ΔS, the position carried over each step), exactly on every path. ");
        md.Append("Adverse selection is the cost of the mid moving against a fill within h steps: −Σ signed quantity·(S_{t+h} − S_t) (fills near the end are marked at the final mid).\n\n");
        var hedged = result.Spec.Market.HasHedge;
        if (hedged) md.Append("With the hedge instrument, total P&L = spread capture + inventory P&L + hedge P&L (its carry minus trading costs).\n\n");
        var adverse = $"adverse selection (h = {Text.Int(result.Spec.MarkoutHorizons[0])}):";
        var pnl = hedged
            ? new MarkdownTable("strategy", "total P&L:", "spread capture:", "inventory P&L:", "hedge P&L:", adverse)
            : new MarkdownTable("strategy", "total P&L:", "spread capture:", "inventory P&L:", adverse);
        foreach (var s in result.Strategies)
        {
            var m = s.Metrics;
            if (hedged) pnl.Row(s.Name, Pm(m.Profit, 3), Pm(m.SpreadCapture, 3), Pm(m.InventoryPnl, 3), Pm(m.HedgePnl, 3), Pm(m.AdverseSelection, 3));
            else pnl.Row(s.Name, Pm(m.Profit, 3), Pm(m.SpreadCapture, 3), Pm(m.InventoryPnl, 3), Pm(m.AdverseSelection, 3));
        }
        md.Append(pnl).Append('\n');
        md.Append($"Markouts per fill and unit, side·(S_(t+h) − price), from the fills of the first {Text.Int(result.DistributionPaths)} path(s):\n\n");
        var markouts = new MarkdownTable("strategy", "h (steps):", "adverse selection per path:", "markout mean:", "markout p05:", "markout p95:", "fills sampled:");
        foreach (var s in result.Strategies)
        {
            foreach (var k in s.Metrics.Markouts)
            {
                markouts.Row(s.Name, Text.Int(k.Horizon), Pm(k.AdverseSelection, 3), Text.Sig(k.MarkoutMean, 4), Text.Sig(k.MarkoutP05, 4), Text.Sig(k.MarkoutP95, 4), Text.Int(k.SampledFills));
            }
        }
        md.Append(markouts).Append('\n');

        md.Append("## Risk\n\n");
        md.Append($"VaR and expected shortfall of the one-step P&L (positive numbers are losses), from every step of the first {Text.Int(result.DistributionPaths)} path(s), with batch-means standard errors; ");
        md.Append("pnl_p05 is the 5% quantile of the terminal P&L over all paths.\n\n");
        var risk = new MarkdownTable("strategy", "inventory mean:", "inventory std:", "max |q|:", "Sortino (step):", "VaR 95%:", "ES 95%:", "VaR 99%:", "ES 99%:", "pnl_p05:");
        foreach (var s in result.Strategies)
        {
            var m = s.Metrics;
            risk.Row(s.Name, Text.Sig(m.InventoryMean, 3), Text.Sig(m.InventoryStd, 3), Text.Sig(m.MaxAbsInventory, 4), Pm(m.Sortino, 3),
                Pm(m.Var95, 3), Pm(m.Es95, 3), Pm(m.Var99, 3), Pm(m.Es99, 3), Pm(m.PnlP05, 3));
        }
        md.Append(risk).Append('\n');

        md.Append("## Files\n\n");
        md.Append($"- [{TimeseriesCsv}]({TimeseriesCsv}): path 0 every {Text.Int(result.TimeseriesEvery)} step(s), with per-step quantiles across paths\n");
        md.Append($"- [{FillsCsv}]({FillsCsv}): {(result.Spec.AllFills ? "every path's fills" : "path 0's fills")} with markouts");
        md.Append(result.Strategies.Any(s => s.FillsTruncated) ? " (truncated at the record limit)\n" : "\n");
        md.Append($"- [{SummaryJson}]({SummaryJson}): these figures, machine-readable\n");
        foreach (var chart in charts) md.Append($"- [{chart}]({chart})\n");
        return md.ToString();
    }

    /// <summary>One table of every strategy's P&amp;L, drawdown, inventory and tail risk, with which differences from the first are significant.</summary>
    private static void AppendComparison(StringBuilder md, BacktestResult result)
    {
        md.Append("## Comparison\n\n");
        md.Append($"Against {result.Strategies[0].Name}, on the same paths. Δ = this strategy minus the first; profit, max drawdown and final abs(q) are ");
        md.Append("paired path by path; ES 95% (of the one-step P&L) uses both batch-means errors. * = significant at 5% (|t| > 1.96). ");
        md.Append($"Side by side: [{BacktestCharts.ComparePng}]({BacktestCharts.ComparePng}).\n\n");
        var table = new MarkdownTable("strategy", "profit:", "std(profit):", "max drawdown:", "final abs(q):", "inventory std:", "ES 95%:",
            "Δ profit:", "Δ drawdown:", "Δ final abs(q):", "Δ ES 95%:");
        foreach (var row in StrategyComparison.Rows(result))
        {
            table.Row(row.Strategy, Pm(row.Profit, 3), Text.Sig(row.ProfitStd, 3), Pm(row.MaxDrawdown, 3), Pm(row.FinalAbsInventory, 3), Text.Sig(row.InventoryStd, 3),
                Pm(row.Es95, 3), Diff(row.ProfitDifference), Diff(row.DrawdownDifference), Diff(row.AbsInventoryDifference), Diff(row.Es95Difference));
        }
        md.Append(table).Append('\n');

        static string Diff(ComparedDifference? d) => d is null ? "—" : Pm(d.Difference, 3) + (d.Significant ? " *" : "");
    }

    /// <summary>The strategies' own per-path quantities: time and P&amp;L per regime, transitions, pauses, hedge position and residual.</summary>
    private static void AppendDiagnostics(StringBuilder md, BacktestResult result)
    {
        // A loop, not Where().ToArray(): its array builder is compiled at run time.
        var with = new List<StrategyResult>();
        foreach (var s in result.Strategies) if (s.Diagnostics.Count > 0) with.Add(s);
        if (with.Count == 0) return;
        md.Append("## Strategy internals\n\n");
        md.Append("Per path, mean ± SE: `steps_<regime>` steps spent in each regime, `pnl_<regime>` the marked-to-market P&L earned while in it ");
        md.Append("(they add up to the total), `regime_transitions`, `paused_steps` (steps with neither side posted), `stop_losses`, `daily_stops`; ");
        md.Append("with a hedge, the final `hedge_position`, `residual_inventory` = inventory + hedge position, and `hedge_traded` (units).\n\n");
        foreach (var s in with)
        {
            var table = new MarkdownTable("quantity", s.Name + ":");
            foreach (var d in s.Diagnostics) table.Row(d.Name, Pm(d.Mean, 4));
            md.Append(table).Append('\n');
        }
    }

    private static void AppendFan(StringBuilder line, FanSeries fan, int row, params int[] quantiles)
    {
        foreach (var q in quantiles) line.Append(',').Append(Text.Num(fan.Values[q][row]));
    }

    /// <summary>"value ± se"; an error below 10⁻¹² of the value is rounding noise on a deterministic figure and shows as 0.</summary>
    private static string Pm(Estimate e, int digits) =>
        double.IsNaN(e.StandardError) ? Text.Sig(e.Value, digits + 1)
        : $"{Text.Sig(e.Value, digits + 1)} ± {(e.StandardError <= 1e-12 * Math.Abs(e.Value) ? "0" : Text.Sig(e.StandardError, 2))}";

    private static void WithSe(Utf8JsonWriter json, string name, Estimate estimate)
    {
        JsonNumbers.Write(json, name, estimate.Value);
        JsonNumbers.Write(json, name + "_se", estimate.StandardError);
    }
}
