using MarketMaking.Core.Calibration;
using MarketMaking.Core.Intensity;
using MarketMaking.Reports.Calibration;

namespace MarketMaking.Reports.Tests.Calibration;

public class CalibrationReportBinsTests
{
    private static CalibrationResult Calibrate(int bins, bool shuffled = false)
    {
        var deltas = Enumerable.Range(0, bins).Select(i => 0.001 + 3.0 * i / bins).ToArray();
        if (shuffled)
        {
            // A fixed permutation: bins need not arrive sorted by depth.
            deltas = [.. deltas.Select((d, i) => (d, key: (i * 7919L) % bins)).OrderBy(p => p.key).Select(p => p.d)];
        }
        var data = SyntheticArrivals.Generate(new ExponentialIntensity(140, 1.5), deltas, 0.2, seed: 5);
        return IntensityCalibration.Run(new CalibrationRequest("bins.csv", data, CalibrationModels.Both));
    }

    private static string[] BinTableRows(string markdown)
    {
        var section = markdown[markdown.IndexOf("## Fitted versus observed intensity by bin", StringComparison.Ordinal)..];
        var lines = section.Split('\n').SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).ToArray();
        return lines[2..]; // after the header and its rule
    }

    [Fact]
    public void Markdown_FewBins_ListsEveryBin()
    {
        // Given 150 bins (under the 200-row cap) / When reported / Then one row per bin
        var markdown = CalibrationReport.Markdown(Calibrate(150));

        BinTableRows(markdown).Should().HaveCount(150);
        markdown.Should().NotContain("pooled into");
    }

    [Fact]
    public void Markdown_ManyBins_PoolsIntoFiftyDepthGroupsAndSaysSo()
    {
        // Given 10 000 bins / When reported
        var markdown = CalibrationReport.Markdown(Calibrate(10_000));

        // Then the by-bin table has 50 group rows and the text says the bins were pooled
        BinTableRows(markdown).Should().HaveCount(CalibrationReport.BinGroups);
        markdown.Should().Contain("10000 bins are too many to list: they are pooled into 50 groups");
    }

    [Fact]
    public void ByDepthQuantiles_UnsortedBins_ContiguousDepthGroupsThatConserveTotals()
    {
        // Given 1 001 bins in scrambled depth order
        var fits = Calibrate(1001, shuffled: true).Fits;

        // When pooled into 50 groups
        var groups = BinGroup.ByDepthQuantiles(fits, 50);

        // Then groups follow depth without overlap, hold 20 or 21 bins, and keep every total
        groups.Should().HaveCount(50);
        for (var g = 1; g < groups.Count; g++)
        {
            groups[g].DeltaLow.Should().BeGreaterThan(groups[g - 1].DeltaHigh);
        }
        groups.Should().OnlyContain(g => g.Bins == 20 || g.Bins == 21);
        groups.Sum(g => g.Bins).Should().Be(1001);
        groups.Sum(g => g.Count).Should().Be(fits[0].TotalCount);
        groups.Sum(g => g.Exposure).Should().BeApproximately(fits[0].Bins.Sum(b => b.Exposure), 1e-9);
        for (var f = 0; f < fits.Count; f++)
        {
            groups.Sum(g => g.Expected[f]).Should().BeApproximately(fits[f].Bins.Sum(b => b.ExpectedCount), 1e-9);
        }
    }

    [Fact]
    public void FitChart_ManyBins_RendersAPng()
    {
        // Given 5 000 bins (above the chart's 2 000-point cap) / When rendered / Then a PNG comes out
        var png = FitChart.Render("bins.csv", Calibrate(5_000).Fits, width: 600, height: 400);

        png.Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
    }
}
