using System.Text.Json;
using MarketMaking.Core.Backtest;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;
using MarketMaking.Reports.Backtest;

namespace MarketMaking.Reports.Tests.Backtest;

public class BacktestReportTests
{
    private static BacktestResult Run(int paths)
    {
        var intensity = new ExponentialIntensity(140, 1.5);
        return Backtester.Run(new BacktestSpec
        {
            Market = new SyntheticMarket(new BinomialProcess(2.0), 100, 0.005, 1.0),
            BidIntensity = intensity,
            AskIntensity = intensity,
            Fills = LinearFills.Instance,
            Strategies = [new AvellanedaStoikovStrategy(0.1, 1.5, 2.0), new SymmetricStrategy(0.1, 1.5, 2.0)],
            Paths = paths,
        });
    }

    [Fact]
    public void Json_OnePath_WritesNullForUnestimableErrors()
    {
        // Given a single path: no standard errors can be estimated
        var json = BacktestReport.Json(Run(1));

        // Then they are null (never NaN, which JSON cannot hold), and the document parses
        using var document = JsonDocument.Parse(json);
        var first = document.RootElement.GetProperty("strategies")[0];
        first.GetProperty("profit_se").ValueKind.Should().Be(JsonValueKind.Null);
        first.GetProperty("profit_mean").ValueKind.Should().Be(JsonValueKind.Number);
        json.Should().NotContain("NaN");
    }

    [Fact]
    public void Json_SameRun_SameBytes()
    {
        BacktestReport.Json(Run(50)).Should().Be(BacktestReport.Json(Run(50)));
    }

    [Fact]
    public void Timeseries_Rows_OnePerStrategyAndStepWithFanColumns()
    {
        var result = Run(30);
        using var writer = new StringWriter();

        BacktestReport.WriteTimeseries(result, writer);

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(1 + 2 * 201);
        var header = lines[0].Split(',');
        lines.Skip(1).Should().OnlyContain(l => l.Split(',').Length == header.Length);
        // Step 0: every path starts flat at the same mid, so every quantile equals it.
        var step0 = lines[1].Split(',');
        step0[Array.IndexOf(header, "mid_p05")].Should().Be("100");
        step0[Array.IndexOf(header, "pnl_p95")].Should().Be("0");
    }

    [Fact]
    public void Charts_EachFigure_IsAPng()
    {
        var result = Run(40);
        byte[][] images = [BacktestCharts.Quotes(result), BacktestCharts.Inventory(result), BacktestCharts.PnlFan(result), BacktestCharts.Decomposition(result), BacktestCharts.Markouts(result)];

        foreach (var png in images)
        {
            png.Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        }
    }

    [Fact]
    public void Markdown_ListsEveryFileAndTheDecomposition()
    {
        var result = Run(40);

        var md = BacktestReport.Markdown(result, [new("paths", "40")], BacktestCharts.FileNames(result));

        md.Should().Contain("## P&L decomposition").And.Contain("| avellaneda-stoikov |").And.Contain("| symmetric |");
        foreach (var file in BacktestCharts.FileNames(result).Concat([BacktestReport.TimeseriesCsv, BacktestReport.FillsCsv, BacktestReport.SummaryJson]))
        {
            md.Should().Contain($"]({file})");
        }
    }
}
