using System.Text;
using MarketMaking.Core.Calibration;
using MarketMaking.Core.Demo;
using MarketMaking.Reports.Backtest;
using MarketMaking.Reports.Calibration;
using MarketMaking.Reports.Equilibrium;
using MarketMaking.Reports.Tape;

namespace MarketMaking.Reports.Demo;

/// <summary>Writes the demo's reports and its index.md.</summary>
public static class DemoReport
{
    public static void Write(DemoResult result, OutputDirectory output)
    {
        var bins = new CsvBuilder("delta", "count", "exposure");
        foreach (var bin in result.Bins)
        {
            bins.Row(Text.Num(bin.Delta), Text.Num(bin.Count), Text.Num(bin.Exposure));
        }
        output.WriteText(DemoPipeline.BinsFileName, bins.ToString());
        CalibrationReport.Write(result.Calibration, output);
        BacktestReport.Write(result.Backtest, BacktestSettings(result), output);
        var tape = output.Sub(TapeDirectory);
        BinsReport.Write(result.Tape.Binning, tape);
        BySideCalibrationReport.Write(result.Tape.Calibration, tape);
        BacktestReport.Write(result.Tape.Backtest, TapeBacktestSettings(result.Tape), tape.Sub(TapeBacktestDirectory));
        EquilibriumReport.Write(result.Equilibrium, output.Sub(EquilibriumDirectory));
        if (result.Strategies is { } strategies)
        {
            BacktestReport.Write(strategies, [new("strategies", string.Join(" vs ", strategies.Strategies.Select(x => x.Name))), new("paths", Text.Int(strategies.Spec.Paths))],
                output.Sub(StrategiesDirectory));
        }
        if (result.Scenarios is { } scenarios) Scenarios.ScenarioReport.Write(scenarios, ScenarioSettings(result), output.Sub(ScenariosDirectory));
        output.WriteText("index.md", Index(result));
    }

    private const string TapeDirectory = "tape";
    private const string TapeBacktestDirectory = "backtest";

    private static IReadOnlyList<KeyValuePair<string, string>> TapeBacktestSettings(MarketMaking.Core.Demo.TapeDemo tape)
    {
        var bid = tape.Calibration.Bid.Fits[0];
        var ask = tape.Calibration.Ask.Fits[0];
        var spec = tape.Backtest.Spec;
        return
        [
            new("market", $"binomial, s0 = {Text.Sig(tape.Truth.InitialMid)}, σ = {Text.Sig(tape.Truth.Sigma)} per √s, dt = {Text.Sig(tape.Truth.QuoteInterval)} s, horizon = {Text.Sig(tape.Truth.Duration)} s"),
            new("intensity", $"fitted by side from tape/bins.csv: bid A = {Text.Sig(bid.A.Value, 5)}, k = {Text.Sig(bid.K.Value, 5)}; ask A = {Text.Sig(ask.A.Value, 5)}, k = {Text.Sig(ask.K.Value, 5)}"),
            new("fills", "poisson, p = 1 − e^(−λΔt), each side with its own λ"),
            new("strategy", $"avellaneda-stoikov vs symmetric: γ = {Text.Sig(MarketMaking.Core.Demo.DemoPipeline.TapeGamma)}, k = {Text.Sig(0.5 * (bid.K.Value + ask.K.Value), 5)} (the mean of the sides' k)"),
            new("paths", Text.Int(spec.Paths)),
        ];
    }
    private const string EquilibriumDirectory = "equilibrium";
    private const string StrategiesDirectory = "strategies";

    private static void AppendStrategies(StringBuilder md, MarketMaking.Core.Backtest.BacktestResult? result)
    {
        if (result is null) return;
        md.Append("## The strategy library on the same paths\n\n");
        md.Append($"{string.Join(", ", result.Strategies.Select(s => s.Name))} on a Gaussian mid with a hedge instrument correlated 0.9, the fitted intensity, ");
        md.Append($"inventory capped at 10, {Text.Int(result.Spec.Paths)} paths (common random numbers). Differences are against {result.Strategies[0].Name}; * = significant at 5%.\n\n");
        var table = new MarkdownTable("strategy", "profit:", "std(profit):", "max drawdown:", "ES 95%:", "Δ profit:");
        foreach (var row in MarketMaking.Core.Backtest.StrategyComparison.Rows(result))
        {
            table.Row(row.Strategy, Text.Sig(row.Profit.Value, 4), Text.Sig(row.ProfitStd, 3), Text.Sig(row.MaxDrawdown.Value, 3), Text.Sig(row.Es95.Value, 3),
                row.ProfitDifference is { } d ? $"{Text.Sig(d.Difference.Value, 3)} ± {Text.Sig(d.Difference.StandardError, 2)}{(d.Significant ? " *" : "")}" : "—");
        }
        md.Append(table).Append('\n');
        md.Append($"- [{StrategiesDirectory}/backtest_summary.md]({StrategiesDirectory}/backtest_summary.md): the comparison, regimes, hedge P&L and residual\n");
        md.Append($"- [{StrategiesDirectory}/backtest_compare.png]({StrategiesDirectory}/backtest_compare.png): P&L, drawdown, inventory and tail risk side by side\n\n");
    }

    private const string ScenariosDirectory = "scenarios";

    private static IReadOnlyList<KeyValuePair<string, string>> ScenarioSettings(DemoResult result) =>
    [
        new("market", "gaussian, s0 = 100, dt = 0.005, horizon = 1 (200 steps); drift and σ per regime"),
        new("intensity", $"exponential (the truth), A = {Text.Sig(result.Settings.TrueA)}, k = {Text.Sig(result.Settings.TrueK)}"),
        new("fills", "poisson, p = 1 − e^(−λΔt)"),
        new("strategy", "avellaneda-stoikov, γ per cell, σ = the regime's σ, k = the intensity's k"),
        new("paths", Text.Int(result.Settings.ScenarioPaths)),
        new("seed", result.Settings.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("criterion", $"mean-variance utility profit_mean − ½·λ·variance with λ = {Text.Sig(result.Scenarios!.Grid.Lambda)}; and the step Sharpe"),
    ];

    private static void AppendScenarios(StringBuilder md, Core.Scenarios.ScenarioAnalysis scenarios)
    {
        var grid = scenarios.Grid;
        md.Append("## Scenario sweep: regimes × risk aversion\n\n");
        md.Append($"The seed's {grid.Regimes.Count} regimes × γ = {string.Join(", ", grid.Gammas.Select(g => Text.Sig(g)))}, {Text.Int(grid.Paths)} paths per cell (`mm-engine scenarios` runs `config/scenarios.yaml` at 1000). ");
        md.Append("Best γ by mean-variance utility: ");
        md.Append(string.Join(", ", scenarios.BestByUtility.Select(b => $"{grid.Regimes[b.Regime].Name} {Text.Sig(scenarios.Cells[b.BestCell].Gamma)}{(b.Significant ? "" : " (not distinguishable from the runner-up)")}")));
        md.Append(".\n\n");
        md.Append($"- [{ScenariosDirectory}/{Scenarios.ScenarioReport.SummaryMd}]({ScenariosDirectory}/{Scenarios.ScenarioReport.SummaryMd}): tables and findings; [{ScenariosDirectory}/{Scenarios.ScenarioReport.SummaryCsv}]({ScenariosDirectory}/{Scenarios.ScenarioReport.SummaryCsv})\n");
        foreach (var (file, caption) in Scenarios.ScenarioCharts.Captions) md.Append($"- [{ScenariosDirectory}/{file}]({ScenariosDirectory}/{file}): {caption}\n");
        md.Append('\n');
    }

    private static string Index(DemoResult result)
    {
        var s = result.Settings;
        var exponential = result.Calibration.Fits.First(f => f.Model == IntensityModelKind.Exponential);
        var md = new StringBuilder();
        md.Append("# mm-engine demo\n\n");
        md.Append($"Seed {s.Seed}. Everything here is regenerated byte for byte by `mm-engine demo --seed {s.Seed}`.\n\n");
        md.Append("## 1. Calibration: synthetic arrivals with a known truth\n\n");
        md.Append($"Generated {result.Bins.Count} bins at depths δ = {Text.Sig(s.Deltas[0])} … {Text.Sig(s.Deltas[^1])}, each observed for {Text.Sig(s.Exposure)} time units, ");
        md.Append($"with counts n ~ Poisson(A·e^(−kδ)·E), A = {Text.Sig(s.TrueA)}, k = {Text.Sig(s.TrueK)}; then fitted both models by maximum likelihood.\n\n");
        var table = new MarkdownTable("parameter", "true:", "fitted:", "std. error:", "95% CI:", "inside CI");
        foreach (var (estimate, truth) in new[] { (exponential.A, s.TrueA), (exponential.K, s.TrueK) })
        {
            var inside = truth >= estimate.Lower95 && truth <= estimate.Upper95;
            table.Row(estimate.Name, Text.Sig(truth), Text.Sig(estimate.Value, 5), Text.Sig(estimate.StandardError, 3),
                $"[{Text.Sig(estimate.Lower95, 5)}, {Text.Sig(estimate.Upper95, 5)}]", inside ? "yes" : "no");
        }
        md.Append(table).Append('\n');
        md.Append($"Preferred model by AIC: **{result.Calibration.Preferred.ModelName}**.\n\n");
        md.Append($"- [{DemoPipeline.BinsFileName}]({DemoPipeline.BinsFileName}): the generated bins\n");
        md.Append($"- [{CalibrationReport.ReportMd}]({CalibrationReport.ReportMd}): the calibration report\n");
        md.Append($"- [{CalibrationReport.FitCsv}]({CalibrationReport.FitCsv}): fitted parameters\n");
        md.Append($"- [{FitChart.FileName}]({FitChart.FileName}): observed and fitted intensity by depth\n\n");
        AppendBacktest(md, result);
        AppendTape(md, result.Tape);
        AppendEquilibrium(md, result.Equilibrium);
        AppendStrategies(md, result.Strategies);
        if (result.Scenarios is { } scenarios) AppendScenarios(md, scenarios);
        return md.ToString();
    }

    private static void AppendBacktest(StringBuilder md, DemoResult result)
    {
        var s = result.Settings;
        var b = result.Backtest;
        var fit = result.Calibration.Fits.First(f => f.Model == IntensityModelKind.Exponential);
        md.Append("## 2. Backtest with the fitted intensity\n\n");
        md.Append($"The 2008 paper's Monte Carlo ({Text.Int(s.BacktestPaths)} paths × {Text.Int(b.Steps)} steps, binomial mid with σ = {Text.Sig(s.Sigma)}, linear fills), quoting with the fitted ");
        md.Append($"A = {Text.Sig(fit.A.Value, 5)} and k = {Text.Sig(fit.K.Value, 5)} instead of the truth, γ = {Text.Sig(s.Gamma)}: the Avellaneda–Stoikov inventory strategy against the symmetric benchmark on the same paths.\n\n");
        var table = new MarkdownTable("strategy", "avg spread:", "profit:", "std(profit):", "final q:", "std(final q):", "Sharpe (step):", "VaR 95% (step):", "pnl_p05:");
        foreach (var strategy in b.Strategies)
        {
            var m = strategy.Metrics;
            table.Row(strategy.Name, Text.Sig(m.AvgSpread.Value, 4), $"{Text.Sig(m.Profit.Value, 4)} ± {Text.Sig(m.Profit.StandardError, 2)}", Text.Sig(m.ProfitStd, 3),
                $"{Text.Sig(m.FinalInventory.Value, 2)} ± {Text.Sig(m.FinalInventory.StandardError, 2)}", Text.Sig(m.FinalInventoryStd, 3), Text.Sig(m.Sharpe.Value, 3),
                Text.Sig(m.Var95.Value, 3), Text.Sig(m.PnlP05.Value, 4));
        }
        md.Append(table).Append('\n');
        foreach (var d in b.Differences)
        {
            var strategy = b.Strategies.First(x => x.Name == d.Strategy).Metrics;
            var baseline = b.Strategies.First(x => x.Name == d.Baseline).Metrics;
            var direction = d.Profit.Value >= 0 ? "more" : "less";
            md.Append($"Path by path, {d.Strategy} earns {Text.Sig(Math.Abs(d.Profit.Value), 3)} ± {Text.Sig(d.Profit.StandardError, 2)} {direction} than {d.Baseline} ");
            md.Append($"(t = {Text.Fixed(d.TStatistic, 1)}, {(d.Significant ? "significant" : "not significant")} at 5%), with a P&L standard deviation of {Text.Sig(strategy.ProfitStd, 3)} ");
            md.Append($"against {Text.Sig(baseline.ProfitStd, 3)} ({Text.Fixed(strategy.ProfitStd / baseline.ProfitStd, 2)}×).\n\n");
        }
        md.Append($"- [{BacktestReport.SummaryMd}]({BacktestReport.SummaryMd}): the backtest summary (P&L decomposition, markouts, VaR/ES, drawdown)\n");
        md.Append($"- [{BacktestReport.SummaryJson}]({BacktestReport.SummaryJson}): the same, machine-readable\n");
        md.Append($"- [{BacktestReport.TimeseriesCsv}]({BacktestReport.TimeseriesCsv}): path 0 step by step, with quantiles across paths\n");
        md.Append($"- [{BacktestReport.FillsCsv}]({BacktestReport.FillsCsv}): path 0's fills with markouts\n");
        foreach (var chart in BacktestCharts.FileNames(b)) md.Append($"- [{chart}]({chart})\n");
    }

    private static IReadOnlyList<KeyValuePair<string, string>> BacktestSettings(DemoResult result)
    {
        var s = result.Settings;
        var fit = result.Calibration.Fits.First(f => f.Model == IntensityModelKind.Exponential);
        return
        [
            new("market", $"binomial, s0 = 100, σ = {Text.Sig(s.Sigma)}, dt = 0.005, horizon = 1 ({Text.Int(result.Backtest.Steps)} steps)"),
            new("intensity", $"exponential fitted to {DemoPipeline.BinsFileName}: A = {Text.Sig(fit.A.Value, 6)}, k = {Text.Sig(fit.K.Value, 6)} (truth A = {Text.Sig(s.TrueA)}, k = {Text.Sig(s.TrueK)})"),
            new("fills", "linear, p = min(1, λΔt)"),
            new("strategy", $"avellaneda-stoikov vs symmetric: γ = {Text.Sig(s.Gamma)}, k = {Text.Sig(fit.K.Value, 6)}, σ = {Text.Sig(s.Sigma)}"),
            new("paths", Text.Int(s.BacktestPaths)),
            new("seed", s.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
    }

    private static void AppendTape(StringBuilder md, MarketMaking.Core.Demo.TapeDemo tape)
    {
        var truth = tape.Truth;
        md.Append("## From a trade tape to per-side intensities\n\n");
        md.Append($"A synthetic tape of {Text.Sig(truth.Duration)} s (seed {truth.Seed}): quotes every {Text.Sig(truth.QuoteInterval)} s one tick either side of a random-walk mid; ");
        md.Append("sell orders reach the bid side and buy orders the ask side as Poisson processes whose depth beyond the mid is exponential, so each side's λ(δ) = A·e^(−kδ) is known. ");
        md.Append("`bins` counted, at 1 to 12 ticks of 0.01, the orders that reached each depth and the time observed with a valid quote; `calibrate --by-side` fitted each side.\n\n");
        var table = new MarkdownTable("side", "true A:", "fitted A:", "true k:", "fitted k:", "robust 95% CI of k:");
        foreach (var (side, intensity, calibration) in new[] { ("bid", truth.Bid, tape.Calibration.Bid), ("ask", truth.Ask, tape.Calibration.Ask) })
        {
            var fit = calibration.Fits[0];
            var robust = tape.Calibration.Robust.FirstOrDefault(r => r.Side == side)?.Estimates.FirstOrDefault(e => e.Name == "k") ?? fit.K;
            table.Row(side, Text.Sig(intensity.A), $"{Text.Sig(fit.A.Value, 4)}", Text.Sig(intensity.K), $"{Text.Sig(fit.K.Value, 4)}",
                $"[{Text.Sig(robust.Lower95, 4)}, {Text.Sig(robust.Upper95, 4)}]");
        }
        md.Append(table).Append('\n');
        var symmetry = tape.Calibration.Symmetry.FirstOrDefault();
        if (symmetry is not null)
        {
            md.Append($"Symmetric book (same A and k on both sides)? Robust Wald test p = {Text.Sig(symmetry.RobustWaldP, 2)}: ");
            md.Append(symmetry.RobustWaldP < 0.05 ? "rejected, as it should be: the truth differs by side.\n\n" : "not rejected.\n\n");
        }
        md.Append($"- [{TapeDirectory}/bins.csv]({TapeDirectory}/bins.csv) and [{TapeDirectory}/bins_report.md]({TapeDirectory}/bins_report.md): what was binned and skipped\n");
        md.Append($"- [{TapeDirectory}/{CalibrationReport.ReportMd}]({TapeDirectory}/{CalibrationReport.ReportMd}): the per-side calibration and symmetry tests\n");
        md.Append($"- [{TapeDirectory}/fit_bid.png]({TapeDirectory}/fit_bid.png), [{TapeDirectory}/fit_ask.png]({TapeDirectory}/fit_ask.png)\n\n");
        var backtest = tape.Backtest;
        md.Append("Then the fitted sides drive a backtest on the tape's market (bid fills from the bid fit, ask fills from the ask fit):\n\n");
        var results = new MarkdownTable("strategy", "profit mean:", "profit std:", "final q mean:", "fills:");
        foreach (var strategy in backtest.Strategies)
        {
            var m = strategy.Metrics;
            results.Row(strategy.Name, $"{Text.Sig(m.Profit.Value, 3)} ± {Text.Sig(m.Profit.StandardError, 2)}", Text.Sig(m.ProfitStd, 3),
                $"{Text.Sig(m.FinalInventory.Value, 2)} ± {Text.Sig(m.FinalInventory.StandardError, 2)}", Text.Sig(m.Fills.Value, 4));
        }
        md.Append(results).Append('\n');
        var symmetric = backtest.Strategies.FirstOrDefault(x => x.Name == "symmetric")?.Metrics;
        var inventory = backtest.Strategies.FirstOrDefault(x => x.Name != "symmetric")?.Metrics;
        if (symmetric is not null && inventory is not null)
        {
            // Which side fills more at the symmetric maker's depth decides which way it drifts.
            var depth = symmetric.AvgSpread.Value / 2;
            var bidRate = backtest.Spec.BidIntensity.Intensity(depth);
            var askRate = backtest.Spec.AskIntensity.Intensity(depth);
            var drift = symmetric.FinalInventory.Value;
            md.Append($"At the symmetric maker's depth of {Text.Sig(depth, 3)} the fitted bid side fills at {Text.Sig(bidRate, 3)} and the ask side at {Text.Sig(askRate, 3)} per second, ");
            md.Append($"so it ends {(drift < 0 ? "short" : "long")} by {Text.Sig(Math.Abs(drift), 3)} on average with a P&L standard deviation of {Text.Sig(symmetric.ProfitStd, 3)}; ");
            md.Append($"the inventory strategy ends at {Text.Sig(inventory.FinalInventory.Value, 2)} with a standard deviation of {Text.Sig(inventory.ProfitStd, 3)}.\n\n");
        }
        md.Append($"- [{TapeDirectory}/{TapeBacktestDirectory}/{BacktestReport.SummaryMd}]({TapeDirectory}/{TapeBacktestDirectory}/{BacktestReport.SummaryMd}): the tape backtest\n\n");
    }

    private static void AppendEquilibrium(StringBuilder md, MarketMaking.Core.Game.EquilibriumResult equilibrium)
    {
        md.Append("## Competing market makers\n\n");
        var players = equilibrium.Game.Players;
        md.Append($"{players.Count} makers ({string.Join(", ", players.Select(p => p.Name))}) choose half-spreads on a tick grid; ");
        md.Append($"{equilibrium.Solved.Grid.Equilibria.Count} pure equilibri{(equilibrium.Solved.Grid.Equilibria.Count == 1 ? "um" : "a")} found by exhaustive check");
        if (equilibrium.Solved.ReferenceHalfSpreads is { } reference)
        {
            md.Append($"; at equilibrium they quote half-spreads {string.Join(" and ", reference.Select(x => Text.Sig(x, 4)))}");
        }
        if (equilibrium.Solved.ClosedForm is { } closed)
        {
            md.Append($" (closed form for symmetric logit makers: {Text.Sig(closed.Predicted, 6)})");
        }
        md.Append(".\n\n");
        if (equilibrium.Guidance is { } g)
        {
            md.Append($"Against a rival quoting {string.Join(", ", g.RivalHalfSpreads.Where(double.IsFinite).Select(x => Text.Sig(x, 4)))}, the desk's best response is a half-spread of {Text.Sig(g.BestResponseHalfSpread, 4)}, earning {Text.Sig(g.BestResponsePayoff, 4)} per unit time.\n\n");
        }
        md.Append($"- [{EquilibriumDirectory}/equilibrium_report.md]({EquilibriumDirectory}/equilibrium_report.md): equilibria, stability, sensitivities, dynamics, Monte Carlo and decision guidance\n\n");
    }
}
