using MarketMaking.Core.Calibration;
using MarketMaking.Core.Volatility;
using MarketMaking.Reports.Calibration;

namespace MarketMaking.Reports.Tests.Calibration;

public class VolatilityTableTests
{
    private static Garch11Fit Fit()
    {
        // A small simulated series is enough: the table only formats the fit.
        var returns = new double[200];
        var rng = new MarketMaking.Core.Random.Xoshiro256StarStar(3);
        double h = 1, e2 = 1;
        for (var t = 0; t < returns.Length; t++)
        {
            h = 0.1 + 0.1 * e2 + 0.8 * h;
            var e = Math.Sqrt(h) * rng.NextGaussian();
            returns[t] = e;
            e2 = e * e;
        }
        return Garch11.Fit(returns);
    }

    [Fact]
    public void VolatilityTable_BothModels_ShareOneSchemaWithBlanksWhereNotApplicable()
    {
        // Given a realised estimate and a GARCH fit
        var realised = new VolatilityEstimate(0.25, 0.01, 99, 0.0);
        var fit = Fit();

        // When tabulated
        var lines = CalibrationReport.VolatilityTable(realised, fit).TrimEnd('\n').Split('\n');

        // Then one header, a realised row and a garch11 row of the same width
        lines.Should().HaveCount(3);
        var header = lines[0].Split(',');
        header.Should().StartWith(["model", "sigma", "sigma_se", "n"]);
        header.Should().Contain(["mu", "omega", "alpha", "beta", "mu_se", "omega_se", "alpha_se", "beta_se", "loglik", "persistence", "unconditional_vol", "half_life"]);
        var realisedRow = lines[1].Split(',');
        var garchRow = lines[2].Split(',');
        realisedRow.Should().HaveCount(header.Length);
        garchRow.Should().HaveCount(header.Length);
        realisedRow[0].Should().Be("realised");
        realisedRow[Array.IndexOf(header, "sigma")].Should().Be("0.25");
        realisedRow[Array.IndexOf(header, "omega")].Should().BeEmpty();
        garchRow[0].Should().Be("garch11");
        garchRow[Array.IndexOf(header, "sigma")].Should().BeEmpty();
        garchRow[Array.IndexOf(header, "beta")].Should().Be(fit.Beta.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        garchRow[Array.IndexOf(header, "n")].Should().Be("200");
    }

    [Fact]
    public void VolatilityTable_RealisedOnly_KeepsTheOldColumnsFirst()
    {
        var text = CalibrationReport.VolatilityTable(new VolatilityEstimate(0.25, 0.01, 99, 0.0));
        text.Should().StartWith("model,sigma,sigma_se,n,");
        text.Should().Contain("\nrealised,0.25,0.01,99,");
    }

    [Fact]
    public void GarchReport_ShowsEstimatesDerivedQuantitiesAndOptimiser()
    {
        var md = GarchReport.Markdown(new GarchCalibration("/data/r.csv", "return", Fit()));
        md.Should().Contain("`r.csv`").And.Contain("| omega |").And.Contain("half-life").And.Contain("Optimiser:");
    }
}
