using System.Text;
using MarketMaking.Core.Calibration;

namespace MarketMaking.Reports.Calibration;

/// <summary>`calibrate --by-side`: fit.csv with a side column, mle_report.md with the symmetry tests, volatility.csv with --mid.</summary>
public static class BySideCalibrationReport
{
    public static void Write(SidedCalibrationResult result, OutputDirectory output)
    {
        output.WriteText(CalibrationReport.FitCsv, CalibrationReport.FitTable(
            result.Sides.SelectMany(s => s.Result.Fits.Select(f => ((string?)s.Side, f)))));
        output.WriteText(CalibrationReport.ReportMd, Markdown(result));
        foreach (var (side, calibration) in new[] { ("bid", result.Bid), ("ask", result.Ask) })
        {
            output.WriteBytes($"fit_{side}.png", FitChart.Render(result.Both.Source ?? "arrival bins", calibration.Fits, $" ({side} side)"));
        }
        if (result.Both.Volatility is { } volatility)
        {
            output.WriteText(CalibrationReport.VolatilityCsv, CalibrationReport.VolatilityTable(volatility));
        }
    }

    public static string Markdown(SidedCalibrationResult result)
    {
        var md = new StringBuilder();
        md.Append("# Arrival-intensity calibration by side\n\n");
        md.Append($"Input: `{Path.GetFileName(result.Both.Source)}`: {result.Bid.Fits[0].BinCount} bid rows (sell orders), {result.Ask.Fits[0].BinCount} ask rows (buy orders). ");
        md.Append("Each side is fitted alone; `both` fits one model to all rows (the symmetric model: the same parameters on both sides).\n\n");

        md.Append("## Is the book symmetric?\n\n");
        var table = new MarkdownTable("model", "LR:", "df:", "p (χ²):", "robust Wald:", "p (robust):", "verdict");
        foreach (var test in result.Symmetry)
        {
            var p = result.Cumulative ? test.RobustWaldP : test.PValue;
            var verdict = double.IsNaN(p) ? "n/a" : p < 0.05 ? "**sides differ** (5%)" : "symmetric model not rejected (5%)";
            if (!test.Converged) verdict += "; a fit did not converge: do not rely on it";
            table.Row(test.ModelName, Text.Fixed(test.LikelihoodRatio, 3), Text.Int(test.DegreesOfFreedom), Text.Sig(test.PValue, 3),
                Text.Fixed(test.RobustWald, 3), Text.Sig(test.RobustWaldP, 3), verdict);
        }
        md.Append(table).Append('\n');
        md.Append("LR = 2(ℓ_bid + ℓ_ask − ℓ_both), referred to χ² with df = the number of parameters the sides no longer share. ");
        if (result.Cumulative)
        {
            md.Append("**These rows are nested counts** (one exposure per side and counts falling with δ, as `mm-engine bins` writes them: an order counts at every depth up to its own), ");
            md.Append("so the bins are not independent and the χ² reference of the LR test is wrong: its p-value is far too small and it rejects a truly symmetric book much more often than 5%. ");
            md.Append("The verdict uses the robust Wald test, W = dᵀ(C_bid + C_ask)⁻¹d with d the difference of the estimates and C their covariance allowing for the nesting (Cov(N_i, N_j) = λ(max δ)·E), χ² with the same df.\n\n");
        }
        else
        {
            md.Append("The rows do not look like nested tape counts, so the bins are taken as independent and the LR test is the verdict.\n\n");
        }

        md.Append("## Estimates by side\n\n");
        var estimates = new MarkdownTable("model", "side", "A:", "k:", "δ0:", "robust SE A:", "robust SE k:", "log-likelihood:", "converged");
        foreach (var (side, calibration) in result.Sides)
        {
            foreach (var fit in calibration.Fits)
            {
                var robust = result.Robust.FirstOrDefault(r => r.Side == side && r.Model == fit.Model)?.Estimates;
                estimates.Row(fit.ModelName, side, WithSe(fit.A), WithSe(fit.K), fit.Delta0 is null ? "—" : Text.Sig(fit.Delta0.Value, 5),
                    robust is null ? "—" : Text.Sig(robust[0].StandardError, 3), robust is null ? "—" : Text.Sig(robust[1].StandardError, 3),
                    Text.Fixed(fit.LogLikelihood, 3), fit.Outcome.Converged ? "yes" : "**no**");
            }
        }
        NotComputable.AppendTable(md, estimates,
            result.Sides.SelectMany(s => s.Result.Fits.Where(CalibrationReport.HasMissingFigure).SelectMany(f => NotComputable.Reasons(f.Warnings, f.Outcome, "standard error", $"{f.ModelName} ({s.Side})"))));
        md.Append(result.Cumulative
            ? "± is the standard error that treats bins as independent; for these nested counts use the robust standard errors (95% interval: estimate ± 1.96 robust SE).\n\n"
            : "± is the standard error from the observed information.\n\n");

        foreach (var (side, calibration) in result.Sides)
        {
            md.Append($"## Side: {side}\n\n");
            // The single-input report, one heading level down, so every table of plain `calibrate` is here per side.
            var body = CalibrationReport.Markdown(calibration);
            foreach (var line in body.Split('\n').Skip(1).SkipWhile(string.IsNullOrEmpty))
            {
                md.Append(line.StartsWith('#') ? "#" + line : line).Append('\n');
            }
        }
        return md.ToString().TrimEnd('\n') + "\n";
    }

    private static string WithSe(ParameterEstimate p) => $"{Text.Sig(p.Value, 5)} ± {Text.Sig(p.StandardError, 2)}";
}
