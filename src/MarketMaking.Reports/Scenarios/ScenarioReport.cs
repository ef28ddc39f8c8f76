using System.Text;
using System.Text.Json;
using MarketMaking.Core.Scenarios;

namespace MarketMaking.Reports.Scenarios;

/// <summary>
/// The sweep's reports: scenarios_summary.csv (one row per regime × γ), scenarios_summary.md (tables, then findings
/// written from the numbers), the figures, and with --keep-paths scenarios_paths.csv. A shard writes its partial file.
/// </summary>
public static class ScenarioReport
{
    public const string SummaryCsv = "scenarios_summary.csv";
    public const string SummaryMd = "scenarios_summary.md";
    public const string PathsCsv = "scenarios_paths.csv";

    public static readonly string[] Columns =
    [
        "regime", "gamma", "paths", "avg_spread", "profit_mean", "profit_std", "profit_se", "sharpe", "final_q_std", "inventory_std", "max_abs_inventory",
        "fills", "spread_capture", "inventory_pnl", "adverse_selection", "var95", "var99", "es95", "pnl_p05", "markout_mean", "markout_p05", "markout_p95",
        "drift", "sigma", "sharpe_se", "var95_se", "utility", "utility_se", "max_drawdown",
    ];

    public static void Write(ScenarioAnalysis analysis, IReadOnlyList<KeyValuePair<string, string>> settings, OutputDirectory output)
    {
        output.WriteText(SummaryCsv, Csv(analysis));
        output.WriteText(SummaryMd, Markdown(analysis, settings));
        ScenarioCharts.Write(analysis, output);
        if (analysis.Cells.All(c => c.Kept is not null)) output.WriteStream(PathsCsv, writer => Paths(analysis, writer));
    }

    /// <summary>A shard's partial results, for `scenarios merge`.</summary>
    public static void WriteShard(ScenarioShard shard, OutputDirectory output) =>
        output.WriteBytes(ScenarioShard.FileName(shard.Manifest.Shard, shard.Manifest.Shards), JsonSerializer.SerializeToUtf8Bytes(shard, ScenarioShardJson.Default.ScenarioShard));

    public static string Csv(ScenarioAnalysis analysis)
    {
        var csv = new CsvBuilder(Columns);
        foreach (var cell in analysis.Cells)
        {
            var m = cell.Metrics;
            var regime = analysis.Grid.Regimes.First(r => r.Name == cell.Regime);
            var criteria = analysis.Criteria[cell.Cell];
            csv.Row(cell.Regime, Text.Num(cell.Gamma), Text.Int(m.Paths), Text.Num(m.AvgSpread), Text.Num(m.ProfitMean), Text.Num(m.ProfitStd), Text.Num(m.ProfitSe),
                Text.Num(m.Sharpe), Text.Num(m.FinalQStd), Text.Num(m.InventoryStd), Text.Num(m.MaxAbsInventory), Text.Num(m.Fills), Text.Num(m.SpreadCapture),
                Text.Num(m.InventoryPnl), Text.Num(m.AdverseSelection), Text.Num(m.Var95), Text.Num(m.Var99), Text.Num(m.Es95), Text.Num(m.PnlP05),
                Text.Num(m.MarkoutMean), Text.Num(m.MarkoutP05), Text.Num(m.MarkoutP95), Text.Num(regime.Drift), Text.Num(regime.Sigma), Text.Num(m.SharpeSe),
                Text.Num(m.Var95Se), Text.Num(criteria.Utility.Value), Text.Num(criteria.Utility.StandardError), Text.Num(m.MaxDrawdown));
        }
        return csv.ToString();
    }

    private static void Paths(ScenarioAnalysis analysis, TextWriter writer)
    {
        writer.WriteLine("regime,gamma,path,pnl,sharpe,final_q,spread_capture,inventory_pnl,adverse_selection,fills,avg_spread,max_drawdown,max_abs_inventory");
        foreach (var cell in analysis.Cells)
        {
            var k = cell.Kept!;
            var prefix = Text.CsvField(cell.Regime) + "," + Text.Num(cell.Gamma) + ",";
            for (var p = 0; p < cell.PathPnl.Length; p++)
            {
                writer.WriteLine(prefix + string.Join(',', Text.Int(p), Text.Num(cell.PathPnl[p]), Text.Num(cell.PathSharpe[p]), Text.Num(k.FinalInventory[p]),
                    Text.Num(k.SpreadCapture[p]), Text.Num(k.InventoryPnl[p]), Text.Num(k.AdverseSelection[p]), Text.Num(k.Fills[p]), Text.Num(k.AverageSpread[p]),
                    Text.Num(k.MaxDrawdown[p]), Text.Num(k.MaxAbsInventory[p])));
            }
        }
    }

    public static string Markdown(ScenarioAnalysis analysis, IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        var grid = analysis.Grid;
        var md = new StringBuilder();
        md.Append("# Scenario sweep: market regimes × risk aversion γ\n\n");
        md.Append($"{grid.Regimes.Count} regime(s) × {grid.Gammas.Count} γ value(s), {Text.Int(grid.Paths)} Monte Carlo paths per cell; every γ of a regime runs on the ");
        md.Append("same mid paths and fill draws (common random numbers), so differences between γ's are measured path by path.\n\n");
        md.Append("## Settings\n\n");
        var table = new MarkdownTable("setting", "value");
        foreach (var (key, value) in settings) table.Row(key, value);
        md.Append(table).Append('\n');
        var regimes = new MarkdownTable("regime", "drift μ:", "σ:");
        foreach (var r in grid.Regimes) regimes.Row(r.Name, Text.Sig(r.Drift), Text.Sig(r.Sigma));
        md.Append(regimes).Append('\n');

        md.Append("## Results per regime\n\n");
        md.Append("Profit = terminal marked-to-market P&L per path (mean ± s.e.); inventory std pooled over every path and step; VaR/ES of the one-step P&L (positive = loss); ");
        md.Append($"markouts per fill and unit at h = {Text.Int(analysis.Cells[0].Metrics.MarkoutHorizon)} step(s); utility = profit mean − ½·λ·variance with λ = {Text.Sig(grid.Lambda)}.\n\n");
        for (var r = 0; r < grid.Regimes.Count; r++)
        {
            md.Append($"### {grid.Regimes[r].Name} (μ = {Text.Sig(grid.Regimes[r].Drift)}, σ = {Text.Sig(grid.Regimes[r].Sigma)})\n\n");
            var t = new MarkdownTable("γ:", "avg spread:", "profit:", "std(profit):", "Sharpe (step):", "final q std:", "inventory std:", "fills:", "spread capture:",
                "inventory P&L:", "adverse sel.:", "VaR 95%:", "VaR 99%:", "ES 95%:", "pnl_p05:", "markout mean [p05, p95]:", "utility:");
            foreach (var cell in RegimeCells(analysis, r))
            {
                var m = cell.Metrics;
                var u = analysis.Criteria[cell.Cell].Utility;
                t.Row(Text.Sig(cell.Gamma), Text.Sig(m.AvgSpread), $"{Text.Sig(m.ProfitMean)} ± {Text.Sig(m.ProfitSe, 2)}", Text.Sig(m.ProfitStd, 3), Text.Sig(m.Sharpe, 3),
                    Text.Sig(m.FinalQStd, 3), Text.Sig(m.InventoryStd, 3), Text.Sig(m.Fills, 4), Text.Sig(m.SpreadCapture), Text.Sig(m.InventoryPnl, 3), Text.Sig(m.AdverseSelection, 3),
                    Text.Sig(m.Var95, 3), Text.Sig(m.Var99, 3), Text.Sig(m.Es95, 3), Text.Sig(m.PnlP05), $"{Text.Sig(m.MarkoutMean, 3)} [{Text.Sig(m.MarkoutP05, 3)}, {Text.Sig(m.MarkoutP95, 3)}]",
                    $"{Text.Sig(u.Value)} ± {Text.Sig(u.StandardError, 2)}");
            }
            md.Append(t).Append('\n');
        }

        md.Append("## Best γ per regime\n\n");
        md.Append("The best γ under each criterion, and the paired difference to the runner-up over the same paths (± its standard error; |t| > 1.96 = distinguishable at 5%).\n\n");
        var best = new MarkdownTable("regime", "best γ (utility):", "utility:", "vs runner-up:", "t:", "best γ (Sharpe):", "Sharpe:", "vs runner-up :", "t :");
        for (var r = 0; r < grid.Regimes.Count; r++)
        {
            var u = analysis.BestByUtility[r];
            var s = analysis.BestBySharpe[r];
            best.Row(grid.Regimes[r].Name, Text.Sig(analysis.Cells[u.BestCell].Gamma), Text.Sig(analysis.Criteria[u.BestCell].Utility.Value), Versus(analysis, u), Text.Fixed(u.TStatistic, 1),
                Text.Sig(analysis.Cells[s.BestCell].Gamma), Text.Sig(analysis.Criteria[s.BestCell].Sharpe.Value, 3), Versus(analysis, s), Text.Fixed(s.TStatistic, 1));
        }
        md.Append(best).Append('\n');

        md.Append("## Findings\n\n");
        md.Append(ScenarioFindings.Write(analysis));
        md.Append('\n');
        md.Append("## Figures\n\n");
        foreach (var (file, caption) in ScenarioCharts.Captions) md.Append($"- [{file}]({file}): {caption}\n");
        return md.ToString();
    }

    internal static IEnumerable<ScenarioCellResult> RegimeCells(ScenarioAnalysis analysis, int regime) =>
        analysis.Cells.Skip(regime * analysis.Grid.Gammas.Count).Take(analysis.Grid.Gammas.Count);

    private static string Versus(ScenarioAnalysis analysis, BestGamma best) =>
        best.RunnerUpCell is int runnerUp
            ? $"+{Text.Sig(best.Difference.Value, 3)} ± {Text.Sig(best.Difference.StandardError, 2)} over γ = {Text.Sig(analysis.Cells[runnerUp].Gamma)}"
            : "n/a";
}
