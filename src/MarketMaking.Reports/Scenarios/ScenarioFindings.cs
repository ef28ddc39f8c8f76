using System.Text;
using MarketMaking.Core.Scenarios;

namespace MarketMaking.Reports.Scenarios;

/// <summary>The findings of scenarios_summary.md, written from the computed numbers: every claim is a comparison of them.</summary>
public static class ScenarioFindings
{
    public static string Write(ScenarioAnalysis analysis)
    {
        var grid = analysis.Grid;
        var md = new StringBuilder();
        if (grid.Gammas.Count < 2)
        {
            md.Append("One γ only: nothing to compare across risk aversions.\n");
        }
        var low = grid.Gammas.Min();
        var high = grid.Gammas.Max();
        for (var r = 0; r < grid.Regimes.Count && grid.Gammas.Count >= 2; r++)
        {
            var cells = ScenarioReport.RegimeCells(analysis, r).OrderBy(c => c.Gamma).ToArray();
            var lo = cells[0].Metrics;
            var hi = cells[^1].Metrics;
            md.Append($"**{grid.Regimes[r].Name}** (μ = {Text.Sig(grid.Regimes[r].Drift)}, σ = {Text.Sig(grid.Regimes[r].Sigma)}), from γ = {Text.Sig(low)} to γ = {Text.Sig(high)}:\n\n");
            md.Append($"- Spread: {Move(cells, m => m.AvgSpread)}; fills per path {Change(lo.Fills, hi.Fills)}.\n");
            md.Append($"- P&L: mean {Change(lo.ProfitMean, hi.ProfitMean)} (largest at γ = {Text.Sig(ArgMax(cells, m => m.ProfitMean))}), std {Change(lo.ProfitStd, hi.ProfitStd)}, ");
            md.Append($"5% quantile {Change(lo.PnlP05, hi.PnlP05)}; spread capture {Change(lo.SpreadCapture, hi.SpreadCapture)}, inventory P&L {Change(lo.InventoryPnl, hi.InventoryPnl)}.\n");
            md.Append($"- Inventory: std {Move(cells, m => m.InventoryStd)}; final-inventory std {Change(lo.FinalQStd, hi.FinalQStd)}; largest |q| {Change(lo.MaxAbsInventory, hi.MaxAbsInventory)}.\n");
            md.Append($"- Tail risk: one-step VaR 95% {Move(cells, m => m.Var95)}; VaR 99% {Change(lo.Var99, hi.Var99)}; ES 95% {Change(lo.Es95, hi.Es95)}.\n");
            md.Append($"- Markouts (h = {Text.Int(lo.MarkoutHorizon)}): mean {Change(lo.MarkoutMean, hi.MarkoutMean)}, 5–95% range {Change(lo.MarkoutP95 - lo.MarkoutP05, hi.MarkoutP95 - hi.MarkoutP05)} wide; ");
            md.Append($"adverse selection per path {Change(lo.AdverseSelection, hi.AdverseSelection)}.\n");
            md.Append($"- Best γ: {Best(analysis, analysis.BestByUtility[r], "utility", c => analysis.Criteria[c].Utility.Value)}; {Best(analysis, analysis.BestBySharpe[r], "Sharpe", c => analysis.Criteria[c].Sharpe.Value)}.\n\n");
        }
        if (grid.Regimes.Count >= 2 && grid.Gammas.Count >= 2)
        {
            md.Append("**Across regimes**: ");
            var wider = Enumerable.Range(0, grid.Regimes.Count).Count(r => Increasing(ScenarioReport.RegimeCells(analysis, r).OrderBy(c => c.Gamma).Select(c => c.Metrics.AvgSpread).ToArray()));
            var safer = Enumerable.Range(0, grid.Regimes.Count).Count(r =>
            {
                var cells = ScenarioReport.RegimeCells(analysis, r).OrderBy(c => c.Gamma).ToArray();
                return cells[^1].Metrics.InventoryStd < cells[0].Metrics.InventoryStd && cells[^1].Metrics.Var95 < cells[0].Metrics.Var95;
            });
            md.Append($"spreads widen steadily with γ in {wider} of {grid.Regimes.Count} regimes; inventory dispersion and VaR 95% are lower at the highest γ than at the lowest in {safer} of {grid.Regimes.Count}. ");
            md.Append("Best γ by utility: ");
            md.Append(string.Join(", ", Enumerable.Range(0, grid.Regimes.Count).Select(r => $"{grid.Regimes[r].Name} {Text.Sig(analysis.Cells[analysis.BestByUtility[r].BestCell].Gamma)}")));
            md.Append("; by Sharpe: ");
            md.Append(string.Join(", ", Enumerable.Range(0, grid.Regimes.Count).Select(r => $"{grid.Regimes[r].Name} {Text.Sig(analysis.Cells[analysis.BestBySharpe[r].BestCell].Gamma)}")));
            md.Append(".\n");
        }
        return md.ToString();
    }

    private static string Best(ScenarioAnalysis analysis, BestGamma best, string criterion, Func<int, double> value)
    {
        var gamma = Text.Sig(analysis.Cells[best.BestCell].Gamma);
        var text = $"by {criterion} γ = {gamma} ({criterion} {Text.Sig(value(best.BestCell), 4)})";
        if (best.RunnerUpCell is not int runnerUp) return text;
        var margin = $"{Text.Sig(best.Difference.Value, 3)} ± {Text.Sig(best.Difference.StandardError, 2)}, t = {Text.Fixed(best.TStatistic, 1)}";
        return text + (best.Significant
            ? $", ahead of the runner-up γ = {Text.Sig(analysis.Cells[runnerUp].Gamma)} by {margin} on the same paths: distinguishable at 5%"
            : $", but not distinguishable from the runner-up γ = {Text.Sig(analysis.Cells[runnerUp].Gamma)} ({margin} on the same paths)");
    }

    /// <summary>"rises from a to b" / "falls …", saying whether every step goes the same way.</summary>
    private static string Move(IReadOnlyList<ScenarioCellResult> cells, Func<CellMetrics, double> metric)
    {
        var values = cells.Select(c => metric(c.Metrics)).ToArray();
        var steady = Increasing(values) || Increasing(values.Select(v => -v).ToArray());
        return Change(values[0], values[^1]) + (values.Length > 2 ? steady ? ", at every step of γ" : ", not monotonically" : "");
    }

    private static string Change(double from, double to) =>
        double.IsNaN(from) || double.IsNaN(to) ? "n/a"
        : to > from ? $"rises from {Text.Sig(from)} to {Text.Sig(to)}"
        : to < from ? $"falls from {Text.Sig(from)} to {Text.Sig(to)}"
        : $"stays at {Text.Sig(from)}";

    internal static bool Increasing(double[] values)
    {
        for (var i = 1; i < values.Length; i++)
        {
            if (!(values[i] > values[i - 1])) return false;
        }
        return true;
    }

    private static double ArgMax(IReadOnlyList<ScenarioCellResult> cells, Func<CellMetrics, double> metric) =>
        cells.OrderByDescending(c => metric(c.Metrics)).First().Gamma;
}
