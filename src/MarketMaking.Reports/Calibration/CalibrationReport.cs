using System.Text;
using MarketMaking.Core.Calibration;
using MarketMaking.Core.Volatility;

namespace MarketMaking.Reports.Calibration;

/// <summary>
/// Writes `calibrate`'s reports: fit.csv and mle_report.md for arrival bins; volatility.csv (one row per volatility
/// model: realised from a mid series, garch11 from returns) and, for GARCH, garch_report.md.
/// </summary>
public static class CalibrationReport
{
    public const string FitCsv = "fit.csv";
    public const string ReportMd = "mle_report.md";
    public const string VolatilityCsv = "volatility.csv";

    public static void Write(CalibrationResult result, OutputDirectory output)
    {
        if (result.Fits.Count > 0)
        {
            output.WriteText(FitCsv, FitTable(result.Fits));
            output.WriteText(ReportMd, Markdown(result));
            output.WriteBytes(FitChart.FileName, FitChart.Render(result.Source ?? "arrival bins", result.Fits));
        }
        if (result.Volatility is not null || result.Garch is not null)
        {
            output.WriteText(VolatilityCsv, VolatilityTable(result.Volatility, result.Garch?.Fit));
        }
        if (result.Garch is { } garch)
        {
            output.WriteText(GarchReport.FileName, GarchReport.Markdown(garch));
        }
    }

    /// <summary>One row per model; numbers round-trip; delta0 empty for the exponential row.</summary>
    public static string FitTable(IEnumerable<IntensityFit> fits) => FitTable(fits.Select(f => ((string?)null, f)));

    /// <summary>As above; with a side for every row, a <c>side</c> column follows <c>model</c> (`calibrate --by-side`).</summary>
    public static string FitTable(IEnumerable<(string? Side, IntensityFit Fit)> rows)
    {
        var list = rows.ToList();
        var sided = list.Any(r => r.Side is not null);
        string[] header = ["model", "A", "k", "delta0", "loglik", "aic", "bic", "n_bins", "total_count", "A_se", "k_se", "delta0_se",
            "converged", "iterations", "boundary", "delta0_fixed", "deviance", "pearson_chi2", "df", "deviance_p", "pearson_p"];
        var csv = new CsvBuilder(sided ? [header[0], "side", .. header[1..]] : header);
        foreach (var (side, fit) in list)
        {
            string[] cells = [fit.ModelName, Text.Num(fit.A.Value), Text.Num(fit.K.Value), Text.Num(fit.Delta0?.Value), Text.Num(fit.LogLikelihood),
                Text.Num(fit.Aic), Text.Num(fit.Bic), Text.Int(fit.BinCount), Text.Num(fit.TotalCount), Text.Num(fit.A.StandardError),
                Text.Num(fit.K.StandardError), fit.Delta0Estimated ? Text.Num(fit.Delta0!.StandardError) : "", Text.Bool(fit.Outcome.Converged),
                Text.Int(fit.Outcome.Iterations), fit.Outcome.Boundary ?? "", fit.Delta0 is not null && !fit.Delta0Estimated ? "true" : (fit.Delta0 is null ? "" : "false"),
                Text.Num(fit.Goodness.Deviance), Text.Num(fit.Goodness.PearsonChiSquare), Text.Int(fit.Goodness.DegreesOfFreedom),
                Text.Num(fit.Goodness.DevianceP), Text.Num(fit.Goodness.PearsonP)];
            csv.Row(sided ? [cells[0], side ?? "", .. cells[1..]] : cells);
        }
        return csv.ToString();
    }

    public static string VolatilityTable(VolatilityEstimate volatility) => VolatilityTable(volatility, null);

    /// <summary>
    /// One schema for every volatility model, the union of their columns; a cell is empty where it does not apply.
    /// realised: σ of the mid's increments per unit time. garch11: parameters of the returns' GARCH(1,1), with
    /// unconditional_vol = √(ω/(1−α−β)) and next_vol = √h_{n+1}, both per return period, and half_life in periods.
    /// </summary>
    public static string VolatilityTable(VolatilityEstimate? realised, Garch11Fit? garch)
    {
        var csv = new CsvBuilder("model", "sigma", "sigma_se", "n", "mu", "omega", "alpha", "beta", "mu_se", "omega_se", "alpha_se", "beta_se",
            "loglik", "persistence", "unconditional_vol", "half_life", "next_vol", "aic", "bic", "converged", "iterations", "boundary");
        if (realised is { } r)
        {
            csv.Row("realised", Text.Num(r.Sigma), Text.Num(r.StandardError), Text.Int(r.Increments),
                "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "");
        }
        if (garch is { } g)
        {
            csv.Row("garch11", "", "", Text.Int(g.Observations),
                Text.Num(g.Mu.Value), Text.Num(g.Omega.Value), Text.Num(g.Alpha.Value), Text.Num(g.Beta.Value),
                Text.Num(g.Mu.StandardError), Text.Num(g.Omega.StandardError), Text.Num(g.Alpha.StandardError), Text.Num(g.Beta.StandardError),
                Text.Num(g.LogLikelihood), Text.Num(g.Persistence), Text.Num(g.UnconditionalVolatility), Text.Num(g.HalfLife),
                Text.Num(Math.Sqrt(g.NextVariance)), Text.Num(g.Aic), Text.Num(g.Bic), Text.Bool(g.Outcome.Converged),
                Text.Int(g.Outcome.Iterations), g.Outcome.Boundary ?? "");
        }
        return csv.ToString();
    }

    public static string Markdown(CalibrationResult result)
    {
        var md = new StringBuilder();
        md.Append("# Arrival-intensity calibration\n\n");
        md.Append($"Input: `{Path.GetFileName(result.Source)}`, {result.Fits[0].BinCount} bins, {Text.Sig(result.Fits[0].TotalCount, 6)} arrivals. ");
        md.Append("Poisson maximum likelihood, n_i ~ Poisson(λ(δ_i)·E_i); A is profiled out in closed form and k (and δ0) maximised to full precision.\n\n");
        AppendSummary(md, result);
        foreach (var fit in result.Fits)
        {
            AppendModel(md, fit);
        }
        AppendBins(md, result.Fits);
        if (result.Volatility is { } volatility)
        {
            md.Append("## Volatility of the mid price\n\n");
            md.Append("Maximum likelihood under arithmetic Brownian motion with drift.\n\n");
            md.Append(new MarkdownTable("estimate", "sigma:", "std. error:", "increments:", "drift:")
                .Row("realised", Text.Sig(volatility.Sigma, 5), Text.Sig(volatility.StandardError, 3), Text.Int(volatility.Increments), Text.Sig(volatility.Drift, 4)));
            md.Append('\n');
        }
        return md.ToString();
    }

    private static void AppendSummary(StringBuilder md, CalibrationResult result)
    {
        md.Append("## Summary\n\n");
        var table = new MarkdownTable("model", "A:", "k:", "δ0:", "log-likelihood:", "AIC:", "BIC:", "converged");
        foreach (var fit in result.Fits)
        {
            table.Row(fit.ModelName, WithSe(fit.A), WithSe(fit.K), fit.Delta0 is null ? "—" : fit.Delta0Estimated ? WithSe(fit.Delta0) : Text.Sig(fit.Delta0.Value) + " (fixed)",
                Text.Fixed(fit.LogLikelihood, 3), Text.Fixed(fit.Aic, 3), Text.Fixed(fit.Bic, 3), fit.Outcome.Converged ? "yes" : "**no**");
        }
        NotComputable.AppendTable(md, table, result.Fits.Where(HasMissingFigure).SelectMany(f => NotComputable.Reasons(f.Warnings, f.Outcome, "standard error", f.ModelName)));
        var preferred = result.Preferred;
        md.Append($"**Preferred model: {preferred.ModelName}** (lowest AIC");
        if (result.Fits.Count > 1)
        {
            var other = result.Fits.First(f => f != preferred);
            md.Append($"; ΔAIC = {Text.Fixed(other.Aic - preferred.Aic, 2)} against {other.ModelName}");
        }
        md.Append(").");
        if (!preferred.Outcome.Converged)
        {
            md.Append(" Caution: it did not converge cleanly.");
        }
        md.Append("\n\n");
        var warnings = result.Fits.SelectMany(f => f.Warnings.Select(w => $"{f.ModelName}: {w}")).ToList();
        if (warnings.Count > 0)
        {
            md.Append("### Warnings\n\n");
            foreach (var warning in warnings)
            {
                md.Append("- ").Append(warning).Append('\n');
            }
            md.Append('\n');
        }
    }

    /// <summary>Whether the fit's summary row shows "n/a" somewhere (only such fits' reasons go under the table).</summary>
    internal static bool HasMissingFigure(IntensityFit fit) =>
        new[] { fit.A.StandardError, fit.K.StandardError, fit.Delta0Estimated ? fit.Delta0!.StandardError : 0, fit.LogLikelihood, fit.Aic, fit.Bic }.Any(double.IsNaN);

    private static void AppendModel(StringBuilder md, IntensityFit fit)
    {
        md.Append(fit.Model == IntensityModelKind.Exponential
            ? "## Exponential model: λ(δ) = A·e^(−kδ)\n\n"
            : "## Power-law model: λ(δ) = A·(δ+δ0)^(−k)\n\n");
        var table = new MarkdownTable("parameter", "estimate:", "std. error:", "95% CI low:", "95% CI high:");
        var estimates = new List<ParameterEstimate> { fit.A, fit.K };
        if (fit.Delta0 is not null && fit.Delta0Estimated) estimates.Add(fit.Delta0);
        foreach (var p in estimates)
        {
            table.Row(p.Name, Text.Sig(p.Value, 6), Text.Sig(p.StandardError, 3), Text.Sig(p.Lower95, 5), Text.Sig(p.Upper95, 5));
        }
        NotComputable.AppendTable(md, table, NotComputable.Reasons(fit.Warnings, fit.Outcome, "standard error"));
        if (fit.Delta0 is not null && !fit.Delta0Estimated)
        {
            md.Append($"δ0 fixed at {Text.Sig(fit.Delta0.Value, 6)} by --delta0.\n\n");
        }
        md.Append($"Log-likelihood {Text.Fixed(fit.LogLikelihood, 4)} with p = {fit.ParameterCount} parameters: AIC = 2p − 2ℓ = {Text.Fixed(fit.Aic, 3)}, BIC = p·ln({fit.BinCount}) − 2ℓ = {Text.Fixed(fit.Bic, 3)}.\n\n");
        var g = fit.Goodness;
        NotComputable.AppendTable(md, new MarkdownTable("goodness of fit", "statistic:", "df:", "p-value:")
            .Row("deviance", Text.Fixed(g.Deviance, 3), Text.Int(g.DegreesOfFreedom), Text.Sig(g.DevianceP, 3))
            .Row("Pearson χ²", Text.Fixed(g.PearsonChiSquare, 3), Text.Int(g.DegreesOfFreedom), Text.Sig(g.PearsonP, 3)),
            NotComputable.Reasons(fit.Warnings, fit.Outcome, "degrees of freedom"));
        var o = fit.Outcome;
        md.Append($"Optimiser: {o.Method}; converged: {(o.Converged ? "yes" : "no")}; iterations: {o.Iterations}; boundary: {o.Boundary ?? "none"}.\n\n");
    }

    /// <summary>Up to this many bins the report lists every one; beyond, it pools them (a 10^6-row table helps nobody).</summary>
    public const int MaxBinRows = 200;

    /// <summary>How many depth groups the report shows when it pools the bins.</summary>
    public const int BinGroups = 50;

    private static void AppendBins(StringBuilder md, IReadOnlyList<IntensityFit> fits)
    {
        md.Append("## Fitted versus observed intensity by bin\n\n");
        if (fits[0].Bins.Count > MaxBinRows)
        {
            AppendBinGroups(md, fits);
            return;
        }
        var header = new List<string> { "δ:", "count:", "exposure:", "observed λ:" };
        foreach (var fit in fits)
        {
            header.Add($"{fit.ModelName} λ:");
            header.Add($"{fit.ModelName} residual:");
        }
        var table = new MarkdownTable([.. header]);
        for (var i = 0; i < fits[0].Bins.Count; i++)
        {
            var bin = fits[0].Bins[i];
            var row = new List<string> { Text.Sig(bin.Delta, 6), Text.Sig(bin.Count, 6), Text.Sig(bin.Exposure, 6), Text.Sig(bin.ObservedIntensity, 4) };
            foreach (var fit in fits)
            {
                row.Add(Text.Sig(fit.Bins[i].FittedIntensity, 4));
                row.Add(Text.Fixed(fit.Bins[i].PearsonResidual, 2));
            }
            table.Row([.. row]);
        }
        NotComputable.AppendTable(md, table, BinReasons(fits));
        md.Append("Residuals are Pearson residuals (n − μ)/√μ; values beyond ±2 in a run show where the model misses.\n\n");
    }

    private static void AppendBinGroups(StringBuilder md, IReadOnlyList<IntensityFit> fits)
    {
        var groups = BinGroup.ByDepthQuantiles(fits, BinGroups);
        md.Append($"{fits[0].Bins.Count} bins are too many to list: they are pooled into {groups.Count} groups of consecutive depths with equal numbers of bins ");
        md.Append("(depth quantiles). In each group counts, exposures and the fitted expected counts μ = λ(δ)·E are summed; ");
        md.Append("observed λ = Σn/ΣE and fitted λ = Σμ/ΣE.\n\n");
        var header = new List<string> { "δ from:", "δ to:", "bins:", "count:", "exposure:", "observed λ:" };
        foreach (var fit in fits)
        {
            header.Add($"{fit.ModelName} λ:");
            header.Add($"{fit.ModelName} residual:");
        }
        var table = new MarkdownTable([.. header]);
        foreach (var group in groups)
        {
            var row = new List<string> { Text.Sig(group.DeltaLow, 6), Text.Sig(group.DeltaHigh, 6), Text.Int(group.Bins), Text.Sig(group.Count, 6),
                Text.Sig(group.Exposure, 6), Text.Sig(group.ObservedIntensity, 4) };
            for (var f = 0; f < fits.Count; f++)
            {
                row.Add(Text.Sig(group.FittedIntensity(f), 4));
                row.Add(Text.Fixed(group.PearsonResidual(f), 2));
            }
            table.Row([.. row]);
        }
        NotComputable.AppendTable(md, table, BinReasons(fits));
        md.Append("Residuals are the groups' Pearson residuals (Σn − Σμ)/√Σμ; values beyond ±2 in a run show where the model misses.\n\n");
    }

    /// <summary>Why a bin's fitted λ or residual can be missing: the model cannot be evaluated there.</summary>
    private static IEnumerable<string> BinReasons(IReadOnlyList<IntensityFit> fits) =>
        fits.Where(f => f.Bins.Any(b => double.IsNaN(b.FittedIntensity) || double.IsNaN(b.PearsonResidual)))
            .Select(f => $"{f.ModelName}: the fitted λ(δ)·E cannot be evaluated at some depths (it leaves the range of a double, or is 0 so the residual divides by 0)");

    private static string WithSe(ParameterEstimate p) => $"{Text.Sig(p.Value, 5)} ± {Text.Sig(p.StandardError, 2)}";
}
