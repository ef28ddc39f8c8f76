namespace MarketMaking.Charts;

/// <summary>Where the legend goes; <see cref="Auto"/> takes the inside corner hiding the least data.</summary>
public enum LegendLocation
{
    /// <summary>The inside corner over the least ink, or outside right when every corner is crowded.</summary>
    Auto,

    /// <summary>Inside, top right.</summary>
    UpperRight,

    /// <summary>Inside, top left.</summary>
    UpperLeft,

    /// <summary>Inside, bottom right.</summary>
    LowerRight,

    /// <summary>Inside, bottom left.</summary>
    LowerLeft,

    /// <summary>Beside the plot area, on the right.</summary>
    OutsideRight,

    /// <summary>No legend.</summary>
    None,
}

/// <summary>Text sizes (px) and neutral colours; defaults suit 1200x800.</summary>
public sealed class ChartStyle
{
    /// <summary>Tick label size.</summary>
    public double TickFontSize { get; set; } = 15;

    /// <summary>Axis title size.</summary>
    public double AxisTitleFontSize { get; set; } = 18;

    /// <summary>Chart title size.</summary>
    public double TitleFontSize { get; set; } = 22;

    /// <summary>Legend text size.</summary>
    public double LegendFontSize { get; set; } = 15;

    /// <summary>Text colour.</summary>
    public Color TextColor { get; set; } = new(34, 34, 34);

    /// <summary>Major grid line colour.</summary>
    public Color GridColor { get; set; } = new(229, 229, 229);

    /// <summary>Plot frame and tick colour.</summary>
    public Color FrameColor { get; set; } = new(90, 90, 90);
}

/// <summary>
/// One chart: add series, then <see cref="SavePng"/> or <see cref="RenderPng"/>. Axes fit the data (5% padding,
/// bars from zero, heatmaps tight) unless limits are set. Colours come from <see cref="Palette"/> in order.
/// </summary>
public sealed partial class Plot
{
    private readonly List<Series> _series = [];
    private string[]? _categories;
    private int _nextColour;
    private (double Min, double Max)? _xLimits;
    private (double Min, double Max)? _yLimits;

    /// <summary>Chart title, drawn bold above the plot.</summary>
    public string? Title { get; set; }

    /// <summary>x axis title.</summary>
    public string? XLabel { get; set; }

    /// <summary>y axis title (drawn rotated).</summary>
    public string? YLabel { get; set; }

    /// <summary>x axis scale.</summary>
    public Scale XScale { get; set; }

    /// <summary>y axis scale.</summary>
    public Scale YScale { get; set; }

    /// <summary>Legend placement (only labelled series appear).</summary>
    public LegendLocation Legend { get; set; }

    /// <summary>Font sizes and neutral colours.</summary>
    public ChartStyle Style { get; } = new();

    /// <summary>Fixes the x range instead of fitting it to the data.</summary>
    public void SetXLimits(double min, double max) => _xLimits = CheckLimits(min, max, nameof(min));

    /// <summary>Fixes the y range instead of fitting it to the data.</summary>
    public void SetYLimits(double min, double max) => _yLimits = CheckLimits(min, max, nameof(min));

    /// <summary>A line through (xs[i], ys[i]); NaN breaks it. Past eight series, patterns cycle too.</summary>
    public void AddLine(IReadOnlyList<double> xs, IReadOnlyList<double> ys, string? label = null, Color? color = null,
        double width = 2, LinePattern? pattern = null, MarkerShape marker = MarkerShape.None)
    {
        CheckPairs(xs, ys);
        CheckWidth(width);
        var index = _nextColour;
        var c = color ?? NextColour();
        var p = pattern ?? (LinePattern)(index / Palette.Count % 4);
        _series.Add(new LineSeries(Values.Copy(xs), Values.Copy(ys), width, p, marker, Math.Max(6, width * 3)) { Label = label, Color = c });
    }

    /// <summary>A curve y = f(x) sampled across the x axis at draw time (fitted models).</summary>
    public void AddFunction(Func<double, double> function, string? label = null, Color? color = null, double width = 2.5,
        LinePattern pattern = LinePattern.Solid)
    {
        ArgumentNullException.ThrowIfNull(function);
        CheckWidth(width);
        _series.Add(new FunctionSeries(function, width, pattern) { Label = label, Color = color ?? NextColour() });
    }

    /// <summary>Markers at (xs[i], ys[i]), with symmetric vertical error bars of half-length yError[i] when given.</summary>
    public void AddScatter(IReadOnlyList<double> xs, IReadOnlyList<double> ys, string? label = null, Color? color = null,
        MarkerShape marker = MarkerShape.Circle, double size = 8, IReadOnlyList<double>? yError = null)
    {
        CheckPairs(xs, ys);
        double[]? low = null, high = null;
        if (yError is not null)
        {
            CheckSameLength(xs, yError, nameof(yError));
            low = new double[ys.Count];
            high = new double[ys.Count];
            for (var i = 0; i < ys.Count; i++)
            {
                low[i] = ys[i] - yError[i];
                high[i] = ys[i] + yError[i];
            }
        }

        AddScatterCore(xs, ys, label, color, marker, size, low, high);
    }

    /// <summary>Markers with asymmetric error bars from yLow[i] to yHigh[i] (e.g. Poisson intervals).</summary>
    public void AddScatter(IReadOnlyList<double> xs, IReadOnlyList<double> ys, IReadOnlyList<double> yLow, IReadOnlyList<double> yHigh,
        string? label = null, Color? color = null, MarkerShape marker = MarkerShape.Circle, double size = 8)
    {
        CheckPairs(xs, ys);
        CheckSameLength(xs, yLow, nameof(yLow));
        CheckSameLength(xs, yHigh, nameof(yHigh));
        AddScatterCore(xs, ys, label, color, marker, size, Values.Copy(yLow), Values.Copy(yHigh));
    }

    /// <summary>A filled band between lower and upper (quantile fans); stack several for nested intervals.</summary>
    public void AddBand(IReadOnlyList<double> xs, IReadOnlyList<double> lower, IReadOnlyList<double> upper, string? label = null,
        Color? color = null, double opacity = 0.25)
    {
        CheckPairs(xs, lower);
        CheckSameLength(xs, upper, nameof(upper));
        if (!(opacity is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(opacity), "opacity must be in (0, 1]");
        }

        _series.Add(new BandSeries(Values.Copy(xs), Values.Copy(lower), Values.Copy(upper)) { Label = label, Color = (color ?? NextColour()).WithAlpha(opacity) });
    }

    /// <summary>Histogram of values (bins = 0 chooses Freedman–Diaconis); <paramref name="density"/> scales to unit area.</summary>
    public void AddHistogram(IReadOnlyList<double> values, int bins = 0, string? label = null, Color? color = null, bool density = false)
    {
        if (bins < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bins), "bins must be zero (automatic) or positive");
        }

        var (edges, counts) = Density.Histogram(values, bins);
        if (density)
        {
            var total = 0.0;
            foreach (var c in counts)
            {
                total += c;
            }

            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] /= total * (edges[i + 1] - edges[i]);
            }
        }

        AddHistogram(edges, counts, label, color);
    }

    /// <summary>Histogram from precomputed bin edges (n + 1) and heights (n).</summary>
    public void AddHistogram(IReadOnlyList<double> edges, IReadOnlyList<double> heights, string? label = null, Color? color = null)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(heights);
        var e = Values.Copy(edges);
        var h = Values.Copy(heights);
        if (h.Length == 0 || e.Length != h.Length + 1)
        {
            throw new ArgumentException($"a histogram needs n + 1 edges for n heights (got {e.Length} and {h.Length})", nameof(edges));
        }

        var c = (color ?? NextColour()).WithAlpha(0.6);
        var lefts = new double[h.Length];
        var rights = new double[h.Length];
        for (var i = 0; i < lefts.Length; i++)
        {
            lefts[i] = e[i];
            rights[i] = e[i + 1];
        }

        _series.Add(new BarSeries(lefts, rights, h, null, outline: true) { Label = label, Color = c });
    }

    /// <summary>A Gaussian kernel density line of the values (pairs with a density-scaled histogram).</summary>
    public void AddDensity(IReadOnlyList<double> values, string? label = null, Color? color = null, double width = 2.5)
    {
        var (xs, ys) = MarketMaking.Charts.Density.Kde(values);
        AddLine(xs, ys, label, color, width, LinePattern.Solid);
    }

    /// <summary>Bars per named category; call again with the same categories for grouped bars.</summary>
    public void AddBars(IReadOnlyList<string> categories, IReadOnlyList<double> values, string? label = null, Color? color = null,
        IReadOnlyList<double>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(categories);
        CheckSameLength(values, categories, nameof(categories));
        if (errors is not null)
        {
            CheckSameLength(values, errors, nameof(errors));
        }

        if (_categories is not null && !_categories.SequenceEqual(categories))
        {
            throw new ArgumentException("every bar series in one plot must use the same categories", nameof(categories));
        }

        _categories = [.. categories];
        _series.Add(new CategoryBarSeries(Values.Copy(values), errors is null ? null : Values.Copy(errors)) { Label = label, Color = color ?? NextColour() });
    }

    /// <summary>Bars centred at numeric positions; width defaults to 80% of the closest spacing.</summary>
    public void AddBars(IReadOnlyList<double> positions, IReadOnlyList<double> values, string? label = null, Color? color = null,
        double? barWidth = null)
    {
        CheckPairs(positions, values);
        var sorted = positions.Order().ToArray();
        var spacing = Enumerable.Range(1, Math.Max(0, sorted.Length - 1)).Select(i => sorted[i] - sorted[i - 1]).Where(d => d > 0).DefaultIfEmpty(1).Min();
        var w = barWidth ?? (0.8 * spacing);
        if (!(w > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(barWidth), "bar width must be positive");
        }

        _series.Add(new BarSeries([.. positions.Select(p => p - (w / 2))], [.. positions.Select(p => p + (w / 2))], [.. values], null, outline: false)
        { Label = label, Color = color ?? NextColour() });
    }

    /// <summary>
    /// A heatmap of values[row, column] (rows go up the y axis) coloured by viridis, with a colour bar. The x and y
    /// coordinates are either cell centres (one per column/row) or edges (one more).
    /// </summary>
    public void AddHeatmap(double[,] values, IReadOnlyList<double> xs, IReadOnlyList<double> ys, string? colorbarLabel = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        if (values.Length == 0)
        {
            throw new ArgumentException("heatmap needs at least one cell", nameof(values));
        }

        var xEdges = HeatmapSeries.Edges(xs, values.GetLength(1), nameof(xs));
        var yEdges = HeatmapSeries.Edges(ys, values.GetLength(0), nameof(ys));
        _series.Add(new HeatmapSeries((double[,])values.Clone(), xEdges, yEdges, colorbarLabel));
    }

    /// <summary>A vertical reference line across the plot.</summary>
    public void AddVerticalLine(double x, string? label = null, Color? color = null, LinePattern pattern = LinePattern.Dashed, double width = 1.5)
    {
        CheckFinite(x, nameof(x));
        _series.Add(new ReferenceLine(x, vertical: true, width, pattern) { Label = label, Color = color ?? new Color(68, 68, 68) });
    }

    /// <summary>A horizontal reference line across the plot.</summary>
    public void AddHorizontalLine(double y, string? label = null, Color? color = null, LinePattern pattern = LinePattern.Dashed, double width = 1.5)
    {
        CheckFinite(y, nameof(y));
        _series.Add(new ReferenceLine(y, vertical: false, width, pattern) { Label = label, Color = color ?? new Color(68, 68, 68) });
    }

    /// <summary>A highlighted point with a text label beside it (e.g. an equilibrium); not listed in the legend.</summary>
    public void AddMarker(double x, double y, string text, Color? color = null, MarkerShape shape = MarkerShape.Diamond, double size = 12)
    {
        CheckFinite(x, nameof(x));
        CheckFinite(y, nameof(y));
        ArgumentNullException.ThrowIfNull(text);
        _series.Add(new AnnotatedPoint(x, y, text, shape, size) { Color = color ?? Color.Black });
    }

    /// <summary>Renders to PNG bytes (deterministic: same plot, same bytes).</summary>
    public byte[] RenderPng(int width = 1200, int height = 800)
    {
        var canvas = new Canvas(width, height);
        Render(canvas, new PixelRect(0, 0, width, height));
        return canvas.ToPngAndRecycle();
    }

    /// <summary>Renders and writes a PNG file.</summary>
    public void SavePng(string path, int width = 1200, int height = 800)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllBytes(path, RenderPng(width, height));
    }

    /// <summary>Draws the chart into <paramref name="area"/> of an existing canvas.</summary>
    public void Render(Canvas canvas, PixelRect area) => Render(canvas, area, PanelOptions.Default);

    private void AddScatterCore(IReadOnlyList<double> xs, IReadOnlyList<double> ys, string? label, Color? color, MarkerShape marker,
        double size, double[]? low, double[]? high)
    {
        if (!(size > 0) || !double.IsFinite(size))
        {
            throw new ArgumentOutOfRangeException(nameof(size), "marker size must be positive");
        }

        _series.Add(new ScatterSeries(Values.Copy(xs), Values.Copy(ys), marker, size, low, high) { Label = label, Color = color ?? NextColour() });
    }

    private Color NextColour() => Palette.Get(_nextColour++);

    private static (double, double) CheckLimits(double min, double max, string name)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || !(max > min))
        {
            throw new ArgumentOutOfRangeException(name, $"axis limits must be finite with min < max (got {min}, {max})");
        }

        return (min, max);
    }

    private static void CheckPairs(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        CheckSameLength(xs, ys, nameof(ys));
    }

    private static void CheckSameLength<T>(IReadOnlyList<double> xs, IReadOnlyList<T> other, string name)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(other, name);
        if (Values.Count(xs) != Values.Count(other))
        {
            throw new ArgumentException($"{name} has {Values.Count(other)} values but x has {Values.Count(xs)}", name);
        }
    }

    private static void CheckWidth(double width)
    {
        if (!(width > 0) || !double.IsFinite(width))
        {
            throw new ArgumentOutOfRangeException(nameof(width), "line width must be positive");
        }
    }

    private static void CheckFinite(double v, string name)
    {
        if (!double.IsFinite(v))
        {
            throw new ArgumentOutOfRangeException(name, "value must be finite");
        }
    }
}
