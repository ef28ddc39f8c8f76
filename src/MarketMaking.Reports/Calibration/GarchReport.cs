using System.Text;
using MarketMaking.Core.Calibration;

namespace MarketMaking.Reports.Calibration;

/// <summary>garch_report.md: the GARCH(1,1) fit of a return series, for people.</summary>
public static class GarchReport
{
    public const string FileName = "garch_report.md";

    public static string Markdown(GarchCalibration calibration)
    {
        var fit = calibration.Fit;
        var md = new StringBuilder();
        md.Append("# GARCH(1,1) volatility\n\n");
        md.Append($"Input: `{Path.GetFileName(calibration.Source)}`, column `{calibration.Column}`, {Text.Int(fit.Observations)} returns.\n\n");
        md.Append("Model: r_t = μ + e_t, e_t | past ~ N(0, h_t), h_t = ω + α·e²_{t−1} + β·h_{t−1}. ");
        md.Append("Gaussian (quasi-)maximum likelihood; the recursion starts as R's fGarch does, e²_0 = h_0 = mean((r − μ)²), ");
        md.Append("and the log-likelihood includes −½·log(2π) per observation.\n\n");

        var table = new MarkdownTable("parameter", "estimate:", "std. error:", "t:", "95% CI low:", "95% CI high:");
        foreach (var p in new[] { fit.Mu, fit.Omega, fit.Alpha, fit.Beta })
        {
            table.Row(p.Name, Text.Sig(p.Value, 6), Text.Sig(p.StandardError, 4), Text.Fixed(p.Value / p.StandardError, 2), Text.Sig(p.Lower95, 5), Text.Sig(p.Upper95, 5));
        }
        NotComputable.AppendTable(md, table, NotComputable.Reasons(fit.Warnings, fit.Outcome, "standard error"));
        md.Append("Standard errors: inverse Hessian of −ℓ by central differences of a central-difference gradient (step 1e−3 on the ");
        md.Append("series divided by its standard deviation), as R's optimHess computes it for fGarch; the published dem2gbp ");
        md.Append("standard errors are reproduced this way.\n\n");

        md.Append(new MarkdownTable("quantity", "value:", "meaning")
            .Row("log-likelihood", Text.Fixed(fit.LogLikelihood, 3), "ℓ at the optimum")
            .Row("AIC", Text.Fixed(fit.Aic, 3), "2·4 − 2ℓ")
            .Row("BIC", Text.Fixed(fit.Bic, 3), $"4·ln({Text.Int(fit.Observations)}) − 2ℓ")
            .Row("persistence α + β", Text.Sig(fit.Persistence, 6), "share of a variance shock left after one period")
            .Row("unconditional variance", Text.Sig(fit.UnconditionalVariance, 6), "ω / (1 − α − β)")
            .Row("unconditional volatility", Text.Sig(fit.UnconditionalVolatility, 6), "√ of it, per period, in the returns' units")
            .Row("half-life", Text.Sig(fit.HalfLife, 5), "periods for a variance shock to halve: ln ½ / ln(α + β)")
            .Row("next-period volatility", Text.Sig(Math.Sqrt(fit.NextVariance), 6), "√h_{n+1}, the forecast after the last return"));
        md.Append('\n');

        var o = fit.Outcome;
        md.Append($"Optimiser: {o.Method}; converged: {(o.Converged ? "yes" : "no")}; iterations: {Text.Int(o.Iterations)}; boundary: {o.Boundary ?? "none"}.\n\n");
        if (fit.Warnings.Count > 0)
        {
            md.Append("## Warnings\n\n");
            foreach (var warning in fit.Warnings) md.Append("- ").Append(warning).Append('\n');
            md.Append('\n');
        }
        return md.ToString();
    }
}
