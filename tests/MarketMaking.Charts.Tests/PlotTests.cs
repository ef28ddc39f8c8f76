namespace MarketMaking.Charts.Tests;

public class PlotTests
{
    /// <summary>
    /// SHA-256 of the decoded RGBA pixels of <see cref="GoldenPlot"/> at 600x400. When the style changes on purpose,
    /// run `MM_CHARTS_PRINT_GOLDEN=1 dotnet test tests/MarketMaking.Charts.Tests --filter Golden --logger "console;verbosity=detailed"`,
    /// look at the PNG it writes to the temp folder, and paste the printed hash here.
    /// </summary>
    private const string GoldenPixelHash = "544557BFB09FDA043B7525F7E0FDF059C91D3D936DBC51B3F3DD694A1904A34C";

    private static double[] Xs(int n) => [.. Enumerable.Range(0, n).Select(i => (double)i)];

    private static Plot GoldenPlot()
    {
        var plot = new Plot { Title = "Golden chart", XLabel = "Depth (ticks)", YLabel = "Intensity", YScale = Scale.Log };
        double[] depth = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5];
        double[] rate = [1.2, 0.7, 0.42, 0.25, 0.16, 0.09, 0.055];
        plot.AddScatter(depth, rate, [.. rate.Select(r => r * 0.8)], [.. rate.Select(r => r * 1.2)], "Observed", Color.Black);
        plot.AddFunction(d => 1.5 * Math.Exp(-0.5 * d), "Exponential");
        plot.AddFunction(d => 0.9 * Math.Pow(d + 0.3, -1.5), "Power law", pattern: LinePattern.Dashed);
        return plot;
    }

    [Fact]
    public void RenderPng_GoldenChart_MatchesTheRecordedPixelHash()
    {
        // Given the golden chart
        // When rendered and decoded
        var png = GoldenPlot().RenderPng(600, 400);
        var hash = PngReader.Decode(png).PixelHash();
        if (Environment.GetEnvironmentVariable("MM_CHARTS_PRINT_GOLDEN") == "1")
        {
            var path = Path.Combine(Path.GetTempPath(), "golden-chart.png");
            File.WriteAllBytes(path, png);
            Console.WriteLine($"golden pixel hash: {hash} (image: {path})");
        }

        // Then its pixels are exactly the recorded ones
        hash.Should().Be(GoldenPixelHash, "the chart style changed; if on purpose, regenerate the hash (see the constant's comment)");
    }

    [Fact]
    public void RenderPng_SamePlotTwice_GivesIdenticalBytes()
    {
        // Given a plot
        var plot = GoldenPlot();

        // When rendered twice
        // Then the PNG bytes are identical
        plot.RenderPng(400, 300).Should().Equal(plot.RenderPng(400, 300));
    }

    [Fact]
    public void RenderPng_AfterOtherCharts_GivesIdenticalBytes()
    {
        // Given a chart rendered once, then a different chart of the same size and one larger and wider (whose
        // pixel and mask buffers later canvases reuse, laid out for their own width)
        var first = GoldenPlot().RenderPng(400, 300);
        var other = new Plot { Title = "Other" };
        other.AddBand([0.0, 1, 2], [0.0, 1, 0], [2.0, 3, 2], "band");
        other.AddLine([0.0, 1, 2], [1.0, 2, 1], "line");
        other.RenderPng(400, 300);
        other.RenderPng(530, 310);

        // When the first chart is rendered again, twice
        // Then nothing of the other charts shows through: the bytes are the first render's
        GoldenPlot().RenderPng(400, 300).Should().Equal(first);
        GoldenPlot().RenderPng(400, 300).Should().Equal(first);
    }

    public static TheoryData<string> ChartKinds => ["line", "scatter", "band", "histogram", "bars", "heatmap", "reference", "marker", "empty", "logxy"];

    [Theory]
    [MemberData(nameof(ChartKinds))]
    public void RenderPng_EveryChartKind_DecodesAtTheRequestedSize(string kind)
    {
        // Given one plot of each kind
        var plot = new Plot { Title = kind, XLabel = "x", YLabel = "y" };
        var xs = Xs(50);
        var ys = xs.Select(x => Math.Sin(x / 5) + 2).ToArray();
        switch (kind)
        {
            case "line": plot.AddLine(xs, ys, "sin"); break;
            case "scatter": plot.AddScatter(xs, ys, "pts", yError: [.. xs.Select(_ => 0.1)]); break;
            case "band": plot.AddBand(xs, [.. ys.Select(y => y - 0.5)], [.. ys.Select(y => y + 0.5)], "band"); break;
            case "histogram": plot.AddHistogram(ys, label: "h", density: true); plot.AddDensity(ys, "kde"); break;
            case "bars": plot.AddBars(["a", "b", "c"], [1.0, -2, 3], "v", errors: [0.1, 0.2, 0.3]); break;
            case "heatmap": plot.AddHeatmap(new double[,] { { 1, 2 }, { 3, 4 } }, [0.0, 1], [0.0, 1], "z"); break;
            case "reference": plot.AddVerticalLine(1, "v"); plot.AddHorizontalLine(2, "h"); break;
            case "marker": plot.AddMarker(1, 1, "Nash (1, 1)"); break;
            case "logxy": plot.XScale = Scale.Log; plot.YScale = Scale.Log; plot.AddLine(xs, [.. xs.Select(x => x - 10)], "has non-positive"); break;
        }

        // When rendered
        var decoded = PngReader.Decode(plot.RenderPng(640, 480));

        // Then it decodes with the right size and carries ink
        decoded.Width.Should().Be(640);
        decoded.Height.Should().Be(480);
        decoded.Rgba.Should().Contain(b => b < 100);
    }

    [Fact]
    public void Figure_TwoByTwoSharedX_DecodesAndAlignsPanels()
    {
        // Given a 2x2 figure with different x ranges per panel, sharing x
        var figure = new Figure(2, 2) { Title = "Panels", ShareX = true };
        for (var k = 0; k < 4; k++)
        {
            figure[k / 2, k % 2].AddLine(Xs(10 * (k + 1)), Xs(10 * (k + 1)), $"p{k}");
            figure[k / 2, k % 2].Title = $"Panel {k}";
        }

        // When rendered
        var decoded = PngReader.Decode(figure.RenderPng(800, 600));
        var left = figure[0, 0].ComputeLayout(new PixelRect(0, 0, 400, 300), new PanelOptions(XLimits: (0, 40)));

        // Then it decodes at size and the shared range reaches every panel's data
        decoded.Width.Should().Be(800);
        left.X.Max.Should().Be(40);
    }

    [Fact]
    public void Legend_DataInUpperRight_GoesToAnotherCorner()
    {
        // Given data only in the upper-right quadrant of the axes
        var plot = new Plot();
        plot.AddScatter([0.0, 10, 8, 9, 10, 9.5], [0.0, 10, 9, 8, 10, 9.5], "points");

        // When laid out
        var layout = plot.ComputeLayout(new PixelRect(0, 0, 800, 600), PanelOptions.Default);

        // Then the legend is inside but not in the upper-right corner
        layout.LegendRect.Should().NotBeNull();
        var rect = layout.LegendRect!.Value;
        var upperRight = rect.Left > layout.PlotArea.Left + (layout.PlotArea.Width / 2) && rect.Top < layout.PlotArea.Top + (layout.PlotArea.Height / 2);
        upperRight.Should().BeFalse();
    }

    [Fact]
    public void Layout_LongTickLabels_MarginsHoldThemInsideTheImage()
    {
        // Given large y values (wide labels) and axis titles
        var plot = new Plot { XLabel = "Time", YLabel = "P&L (USD)", Title = "Wide" };
        plot.AddLine([0.0, 1], [-123456.0, 987654]);

        // When rendered
        var decoded = PngReader.Decode(plot.RenderPng(500, 300));

        // Then the outermost pixel columns and rows stay white (nothing is clipped at the edges)
        for (var y = 0; y < 300; y++)
        {
            decoded.Pixel(0, y).Should().Be(((byte)255, (byte)255, (byte)255, (byte)255));
            decoded.Pixel(499, y).Should().Be(((byte)255, (byte)255, (byte)255, (byte)255));
        }
    }

    [Fact]
    public void AxisLimits_HistogramAndFunction_AnchorAtZeroAndIgnoreTheCurve()
    {
        // Given a histogram (y from zero) and a fitted curve that shoots up
        var plot = new Plot();
        plot.AddHistogram([0.0, 1], [5.0]);
        plot.AddFunction(x => 1000 * x);

        // When limits are fitted
        var (_, y) = plot.Limits(PanelOptions.Default);

        // Then y starts at exactly zero and the curve does not stretch the top
        y.Min.Should().Be(0);
        y.Max.Should().BeApproximately(5.25, 1e-9);
    }

    [Fact]
    public void AddSeries_BadInput_Throws()
    {
        // Given a plot
        var plot = new Plot();

        // When fed mismatched, missing, NaN, zero or negative input / Then each call is refused
        ((Action)(() => plot.AddLine([1.0, 2], [1.0]))).Should().Throw<ArgumentException>();
        ((Action)(() => plot.AddLine(null!, [1.0]))).Should().Throw<ArgumentNullException>();
        ((Action)(() => plot.AddLine([1.0], [1.0], width: 0))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => plot.AddLine([1.0], [1.0], width: double.NaN))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => plot.AddScatter([1.0], [1.0], size: -1))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => plot.AddBand([1.0], [1.0], [1.0], opacity: 0))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => plot.SetXLimits(double.NaN, 1))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => plot.SetYLimits(1, 1))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => plot.SetYLimits(2, -1))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => plot.AddHistogram([], 0))).Should().Throw<ArgumentException>();
        ((Action)(() => plot.AddHistogram([1.0], -3))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => plot.AddHistogram([0.0, 1, 2], [1.0]))).Should().Throw<ArgumentException>();
        ((Action)(() => plot.AddHeatmap(new double[2, 3], [0.0, 1], [0.0, 1]))).Should().Throw<ArgumentException>();
        ((Action)(() => plot.AddVerticalLine(double.NaN))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => plot.RenderPng(0, 100))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => new Figure(0, 2))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void AddBars_DifferentCategories_Throws()
    {
        // Given a bar series over categories a, b
        var plot = new Plot();
        plot.AddBars(["a", "b"], [1.0, 2]);

        // When a second series uses other categories / Then it is refused
        ((Action)(() => plot.AddBars(["a", "c"], [1.0, 2]))).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void HeatmapEdges_Centres_AreMidpointsExtendedAtTheEnds()
    {
        // Given cell centres 1, 2, 4
        // When converted to edges
        // Then edges are midpoints with half-steps outside
        HeatmapSeries.Edges([1.0, 2, 4], 3, "xs").Should().Equal(0.5, 1.5, 3, 5);
        HeatmapSeries.Edges([0.0, 1, 2, 3], 3, "xs").Should().Equal(0, 1, 2, 3);
    }
}
