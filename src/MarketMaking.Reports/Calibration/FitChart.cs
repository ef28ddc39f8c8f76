using MarketMaking.Charts;
using MarketMaking.Core.Calibration;

namespace MarketMaking.Reports.Calibration;

/// <summary>fit.png: observed intensity per bin (per depth group when there are thousands of bins) with Poisson error bars, and each fitted model's curve, on a log y axis.</summary>
public static class FitChart
{
    public const string FileName = "fit.png";

    /// <summary>Up to this many bins each is a point; beyond, the bins are pooled into <see cref="PointGroups"/> depth groups.</summary>
    public const int MaxBinPoints = 2000;

    public const int PointGroups = 100;

    public static byte[] Render(string source, IReadOnlyList<IntensityFit> fits, string? titleSuffix = null, int width = 1200, int height = 800)
    {
        var plot = new Plot
        {
            Title = $"Arrival intensity by depth: {Path.GetFileName(source)}{titleSuffix}",
            XLabel = "depth δ from the mid",
            YLabel = "intensity λ(δ) (arrivals per unit time)",
            YScale = Scale.Log,
        };
        // Bins with no arrivals have no place on a log axis; the Markdown report lists them. Thousands of bins would
        // be an unreadable cloud of mostly-zero counts: pool them into depth groups instead.
        if (fits[0].Bins.Count > MaxBinPoints)
        {
            var groups = BinGroup.ByDepthQuantiles(fits, PointGroups).Where(g => g.Exposure > 0 && g.Count > 0).ToArray();
            plot.AddScatter(
                groups.Select(g => g.Delta).ToArray(),
                groups.Select(g => g.ObservedIntensity).ToArray(),
                groups.Select(g => (g.Count - Math.Sqrt(g.Count)) / g.Exposure).ToArray(),
                groups.Select(g => (g.Count + Math.Sqrt(g.Count)) / g.Exposure).ToArray(),
                $"observed λ of {PointGroups} depth groups (±1 Poisson s.d.)",
                Color.FromHex("#222222"));
        }
        else
        {
            var observed = fits[0].Bins.Where(b => b.Exposure > 0 && b.Count > 0).ToArray();
            plot.AddScatter(
                observed.Select(b => b.Delta).ToArray(),
                observed.Select(b => b.ObservedIntensity).ToArray(),
                observed.Select(b => (b.Count - Math.Sqrt(b.Count)) / b.Exposure).ToArray(),
                observed.Select(b => (b.Count + Math.Sqrt(b.Count)) / b.Exposure).ToArray(),
                "observed count/exposure (±1 Poisson s.d.)",
                Color.FromHex("#222222"));
        }
        var patterns = new[] { LinePattern.Solid, LinePattern.Dashed };
        for (var i = 0; i < fits.Count; i++)
        {
            var fit = fits[i];
            if (!double.IsFinite(fit.A.Value) || !double.IsFinite(fit.K.Value))
            {
                continue;
            }
            var label = $"{fit.ModelName}, AIC {Text.Fixed(fit.Aic, 1)}{(fit.Outcome.Converged ? "" : " (not converged)")}";
            plot.AddFunction(fit.Intensity, label, Palette.Get(i), 2.5, patterns[i % patterns.Length]);
        }
        return plot.RenderPng(width, height);
    }
}
