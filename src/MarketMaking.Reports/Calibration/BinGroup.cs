using MarketMaking.Core.Calibration;

namespace MarketMaking.Reports.Calibration;

/// <summary>
/// Bins pooled for display when there are too many to show one by one: consecutive depths in groups of equal numbers
/// of bins (depth quantiles), with summed counts, exposures and, for each fit, expected counts.
/// </summary>
/// <param name="Delta">Exposure-weighted mean depth of the group (where its point is plotted).</param>
/// <param name="Expected">Σ fitted μ = λ(δ)·E over the group's bins, one per fit.</param>
public sealed record BinGroup(double DeltaLow, double DeltaHigh, double Delta, int Bins, double Count, double Exposure, IReadOnlyList<double> Expected)
{
    public double ObservedIntensity => Exposure > 0 ? Count / Exposure : double.NaN;

    /// <summary>Exposure-weighted mean of the fitted λ over the group: comparable with the observed Σn/ΣE.</summary>
    public double FittedIntensity(int fit) => Exposure > 0 ? Expected[fit] / Exposure : double.NaN;

    public double PearsonResidual(int fit) => Expected[fit] > 0 ? (Count - Expected[fit]) / Math.Sqrt(Expected[fit]) : 0.0;

    /// <summary>The fits' bins (all fits share the same bins) sorted by depth and cut into at most <paramref name="groups"/> groups.</summary>
    public static IReadOnlyList<BinGroup> ByDepthQuantiles(IReadOnlyList<IntensityFit> fits, int groups)
    {
        var bins = fits[0].Bins;
        var n = bins.Count;
        var order = Enumerable.Range(0, n).ToArray();
        var depth = new double[n];
        var sorted = true;
        for (var i = 0; i < n; i++)
        {
            depth[i] = bins[i].Delta;
            sorted &= i == 0 || depth[i] >= depth[i - 1];
        }
        if (!sorted)
        {
            Array.Sort((double[])depth.Clone(), order);
        }

        var result = new List<BinGroup>(groups);
        var count = Math.Min(groups, n);
        for (var g = 0; g < count; g++)
        {
            var (from, to) = ((int)((long)g * n / count), (int)((long)(g + 1) * n / count));
            double counts = 0, exposure = 0, weightedDelta = 0;
            var expected = new double[fits.Count];
            for (var j = from; j < to; j++)
            {
                var i = order[j];
                var bin = bins[i];
                counts += bin.Count;
                exposure += bin.Exposure;
                weightedDelta += bin.Exposure * bin.Delta;
                for (var f = 0; f < fits.Count; f++)
                {
                    expected[f] += fits[f].Bins[i].ExpectedCount;
                }
            }
            var (low, high) = (depth[order[from]], depth[order[to - 1]]);
            result.Add(new BinGroup(low, high, exposure > 0 ? weightedDelta / exposure : 0.5 * (low + high), to - from, counts, exposure, expected));
        }
        return result;
    }
}
