using System.Globalization;
using MarketMaking.Core.Calibration;
using MarketMaking.Core.Tape;
using MarketMaking.Reports.Calibration;
using MarketMaking.Reports.Tape;

namespace MarketMaking.Reports.Tests.Tape;

public class BinsReportTests
{
    [Fact]
    public void BinsTable_SidedRows_HaveSideColumnAndRoundTripNumbers()
    {
        // Given sided rows with a delta that is not exact in binary
        SidedArrivalBin[] rows = [new(QuoteSide.Bid, new ArrivalBin(0.1 + 0.2, 7, 600)), new(QuoteSide.Ask, new ArrivalBin(0.01, 3, 600))];

        // When written
        var lines = BinsReport.BinsTable(rows).TrimEnd('\n').Split('\n');

        // Then the header has side, and the delta reads back to the same double
        lines[0].Should().Be("delta,count,exposure,side");
        lines[2].Should().Be("0.01,3,600,ask");
        double.Parse(lines[1].Split(',')[0], CultureInfo.InvariantCulture).Should().Be(0.1 + 0.2);
    }

    [Fact]
    public void BinsTable_PooledRows_HaveNoSideColumn()
    {
        // Given pooled rows / When written / Then the header is calibrate's plain one
        BinsReport.BinsTable([new(null, new ArrivalBin(0.01, 3, 1200))]).Should().Be("delta,count,exposure\n0.01,3,1200\n");
    }

    [Fact]
    public void FitTable_WithSides_InsertsSideAfterModel_WithoutSides_Unchanged()
    {
        // Given one fit
        var bins = SyntheticArrivals.Generate(new Core.Intensity.ExponentialIntensity(20, 2), SyntheticArrivals.Grid(0.1, 2, 0.1), 50, 1);
        var fit = PoissonIntensityMle.FitExponential(bins);

        // When written with and without a side
        var plain = CalibrationReport.FitTable([fit]).Split('\n');
        var sided = CalibrationReport.FitTable([((string?)"bid", fit)]).Split('\n');

        // Then the sided table is the plain one with a side column after model
        plain[0].Should().StartWith("model,A,k,");
        sided[0].Should().Be(plain[0].Replace("model,", "model,side,", StringComparison.Ordinal));
        sided[1].Should().Be(plain[1].Replace("exponential,", "exponential,bid,", StringComparison.Ordinal));
    }
}
