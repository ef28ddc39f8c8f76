namespace MarketMaking.Charts;

/// <summary>Accumulates the finite (and, on log axes, positive) extent of data.</summary>
internal struct Extent
{
    public double Min;
    public double Max;

    public Extent()
    {
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
    }

    public readonly bool IsEmpty => Min > Max;

    public void Include(double v, Scale scale)
    {
        if (!double.IsFinite(v) || (scale == Scale.Log && !(v > 0)))
        {
            return;
        }

        Min = Math.Min(Min, v);
        Max = Math.Max(Max, v);
    }

    public void Include(Extent other)
    {
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
    }
}

/// <summary>What the legend draws beside a series label.</summary>
internal enum SwatchKind
{
    Line,
    Marker,
    Fill,
}

/// <summary>A drawable data series; the plot asks it for its extent, draws it clipped, and marks where it has ink.</summary>
internal abstract class Series
{
    public string? Label { get; init; }

    public Color Color { get; init; }

    public virtual SwatchKind Swatch => SwatchKind.Line;

    public virtual double LineWidth => 2;

    public virtual LinePattern Pattern => LinePattern.Solid;

    public virtual MarkerShape Marker => MarkerShape.None;

    /// <summary>Bars and histograms: the y axis should start at zero.</summary>
    public virtual bool AnchorsAtZero => false;

    /// <summary>Heatmaps: axes end exactly at the data (no padding).</summary>
    public virtual bool Tight => false;

    public virtual void ExtendX(ref Extent x, Scale scale)
    {
    }

    /// <summary>Extends the y extent with data whose x lies within the (already fixed) x range.</summary>
    public virtual void ExtendY(ref Extent y, Scale scale, AxisMap x)
    {
    }

    public abstract void Draw(Canvas canvas, AxisMap x, AxisMap y);

    public virtual void MarkInk(Occupancy ink, AxisMap x, AxisMap y)
    {
    }

    protected static void Project(double[] xs, double[] ys, AxisMap x, AxisMap y, out double[] px, out double[] py)
    {
        var n = Math.Min(xs.Length, ys.Length);
        px = new double[n];
        py = new double[n];
        for (var i = 0; i < n; i++)
        {
            px[i] = x.ToPixel(xs[i]);
            py[i] = y.ToPixel(ys[i]);
        }
    }
}

internal sealed class LineSeries(double[] xs, double[] ys, double width, LinePattern pattern, MarkerShape marker, double markerSize) : Series
{
    public override double LineWidth => width;

    public override LinePattern Pattern => pattern;

    public override MarkerShape Marker => marker;

    public override void ExtendX(ref Extent x, Scale scale)
    {
        foreach (var v in xs)
        {
            x.Include(v, scale);
        }
    }

    public override void ExtendY(ref Extent y, Scale scale, AxisMap x)
    {
        for (var i = 0; i < Math.Min(xs.Length, ys.Length); i++)
        {
            if (x.Contains(xs[i]))
            {
                y.Include(ys[i], scale);
            }
        }
    }

    public override void Draw(Canvas canvas, AxisMap x, AxisMap y)
    {
        Project(xs, ys, x, y, out var px, out var py);
        canvas.DrawPolyline(px, py, Color, width, pattern);
        if (marker != MarkerShape.None)
        {
            canvas.DrawMarkers(px, py, marker, markerSize, Color);
        }
    }

    public override void MarkInk(Occupancy ink, AxisMap x, AxisMap y)
    {
        Project(xs, ys, x, y, out var px, out var py);
        ink.MarkPolyline(px, py);
    }
}

internal sealed class FunctionSeries(Func<double, double> function, double width, LinePattern pattern) : Series
{
    private const int Samples = 400;

    public override double LineWidth => width;

    public override LinePattern Pattern => pattern;

    public override void ExtendY(ref Extent y, Scale scale, AxisMap x)
    {
        var (_, ys) = Sample(x);
        foreach (var v in ys)
        {
            y.Include(v, scale);
        }
    }

    public override void Draw(Canvas canvas, AxisMap x, AxisMap y)
    {
        var (xs, ys) = Sample(x);
        Project(xs, ys, x, y, out var px, out var py);
        canvas.DrawPolyline(px, py, Color, width, pattern);
    }

    public override void MarkInk(Occupancy ink, AxisMap x, AxisMap y)
    {
        var (xs, ys) = Sample(x);
        Project(xs, ys, x, y, out var px, out var py);
        ink.MarkPolyline(px, py);
    }

    /// <summary>Evenly spaced in pixels, so curves on log x are as smooth as on linear x.</summary>
    private (double[] Xs, double[] Ys) Sample(AxisMap x)
    {
        var xs = new double[Samples];
        var ys = new double[Samples];
        for (var i = 0; i < Samples; i++)
        {
            var f = (double)i / (Samples - 1);
            xs[i] = x.Scale == Scale.Log
                ? Math.Pow(10, Math.Log10(x.Min) + ((Math.Log10(x.Max) - Math.Log10(x.Min)) * f))
                : x.Min + ((x.Max - x.Min) * f);
            var v = function(xs[i]);
            ys[i] = double.IsFinite(v) ? v : double.NaN;
        }

        return (xs, ys);
    }
}

internal sealed class ScatterSeries(double[] xs, double[] ys, MarkerShape marker, double size,
    double[]? errorLow, double[]? errorHigh) : Series
{
    public override SwatchKind Swatch => SwatchKind.Marker;

    public override MarkerShape Marker => marker;

    public double Size => size;

    public override void ExtendX(ref Extent x, Scale scale)
    {
        foreach (var v in xs)
        {
            x.Include(v, scale);
        }
    }

    public override void ExtendY(ref Extent y, Scale scale, AxisMap x)
    {
        for (var i = 0; i < Math.Min(xs.Length, ys.Length); i++)
        {
            if (x.Contains(xs[i]))
            {
                y.Include(ys[i], scale);
                if (errorLow is not null && errorHigh is not null)
                {
                    y.Include(errorLow[i], scale);
                    y.Include(errorHigh[i], scale);
                }
            }
        }
    }

    public override void Draw(Canvas canvas, AxisMap x, AxisMap y)
    {
        Project(xs, ys, x, y, out var px, out var py);
        if (errorLow is not null && errorHigh is not null)
        {
            var cap = Math.Max(4, size * 0.6);
            var width = Math.Max(1.25, size / 6);
            var bars = new DoubleBuffer();
            for (var i = 0; i < px.Length; i++)
            {
                var low = y.ToPixel(errorLow[i]);
                var high = y.ToPixel(errorHigh[i]);
                if (y.Scale == Scale.Log && !(errorLow[i] > 0))
                {
                    low = y.PixelStart + 2; // a lower bound at or below zero runs off the bottom of a log axis
                }

                if (!double.IsFinite(px[i]) || !double.IsFinite(low) || !double.IsFinite(high))
                {
                    continue;
                }

                AddErrorBar(bars, px[i], low, high, cap);
            }

            DrawSegments(canvas, bars, Color, width);
        }

        canvas.DrawMarkers(px, py, marker, size, Color);
    }

    public override void MarkInk(Occupancy ink, AxisMap x, AxisMap y)
    {
        Project(xs, ys, x, y, out var px, out var py);
        for (var i = 0; i < px.Length; i++)
        {
            ink.MarkPoint(px[i], py[i]);
            if (errorLow is not null && errorHigh is not null)
            {
                ink.MarkSegment(px[i], y.ToPixel(errorLow[i]), px[i], y.ToPixel(errorHigh[i]));
            }
        }
    }

    /// <summary>A vertical bar from <paramref name="low"/> to <paramref name="high"/> with caps, as three segments (x0, y0, x1, y1 each).</summary>
    internal static void AddErrorBar(DoubleBuffer quads, double x, double low, double high, double cap)
    {
        double[] segments = [x, low, x, high, x - cap, low, x + cap, low, x - cap, high, x + cap, high];
        foreach (var v in segments)
        {
            quads.Add(v);
        }
    }

    /// <summary>Independent segments as one shape: NaN separators turn them into a single polyline call.</summary>
    internal static void DrawSegments(Canvas canvas, DoubleBuffer quads, Color color, double width)
    {
        var xs = new double[quads.Count / 4 * 3];
        var ys = new double[xs.Length];
        for (int i = 0, j = 0; i < quads.Count; i += 4, j += 3)
        {
            xs[j] = quads[i];
            ys[j] = quads[i + 1];
            xs[j + 1] = quads[i + 2];
            ys[j + 1] = quads[i + 3];
            xs[j + 2] = double.NaN;
            ys[j + 2] = double.NaN;
        }

        canvas.DrawPolyline(xs, ys, color, width);
    }
}

internal sealed class BandSeries(double[] xs, double[] lower, double[] upper) : Series
{
    public override SwatchKind Swatch => SwatchKind.Fill;

    public override void ExtendX(ref Extent x, Scale scale)
    {
        foreach (var v in xs)
        {
            x.Include(v, scale);
        }
    }

    public override void ExtendY(ref Extent y, Scale scale, AxisMap x)
    {
        for (var i = 0; i < xs.Length; i++)
        {
            if (x.Contains(xs[i]))
            {
                y.Include(lower[i], scale);
                y.Include(upper[i], scale);
            }
        }
    }

    public override void Draw(Canvas canvas, AxisMap x, AxisMap y)
    {
        var (px, py) = Outline(x, y);
        canvas.FillPolygon(px, py, Color);
    }

    public override void MarkInk(Occupancy ink, AxisMap x, AxisMap y)
    {
        for (var i = 0; i < xs.Length; i++)
        {
            var px = x.ToPixel(xs[i]);
            ink.MarkSegment(px, y.ToPixel(lower[i]), px, y.ToPixel(upper[i]));
            if (i > 0)
            {
                var p0 = x.ToPixel(xs[i - 1]);
                ink.MarkSegment(p0, y.ToPixel(upper[i - 1]), px, y.ToPixel(upper[i]));
                ink.MarkSegment(p0, y.ToPixel(lower[i - 1]), px, y.ToPixel(lower[i]));
            }
        }
    }

    private (double[] Xs, double[] Ys) Outline(AxisMap x, AxisMap y)
    {
        var n = xs.Length;
        var px = new DoubleBuffer(2 * n);
        var py = new DoubleBuffer(2 * n);
        var floor = y.Scale == Scale.Log ? y.PixelStart + 2 : double.NaN;
        for (var i = 0; i < n; i++)
        {
            var v = y.ToPixel(upper[i]);
            if (double.IsFinite(x.ToPixel(xs[i])))
            {
                px.Add(x.ToPixel(xs[i]));
                py.Add(double.IsFinite(v) ? v : floor);
            }
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var v = y.ToPixel(lower[i]);
            if (double.IsFinite(x.ToPixel(xs[i])))
            {
                px.Add(x.ToPixel(xs[i]));
                py.Add(double.IsFinite(v) ? v : floor);
            }
        }

        return (px.ToArray(), py.ToArray());
    }
}

/// <summary>Bars from left to right edge with a height; histograms and numeric bar charts.</summary>
internal class BarSeries(double[] lefts, double[] rights, double[] heights, double[]? errors, bool outline) : Series
{
    public override SwatchKind Swatch => SwatchKind.Fill;

    public override bool AnchorsAtZero => true;

    public override void ExtendX(ref Extent x, Scale scale)
    {
        foreach (var v in lefts)
        {
            x.Include(v, scale);
        }

        foreach (var v in rights)
        {
            x.Include(v, scale);
        }
    }

    public override void ExtendY(ref Extent y, Scale scale, AxisMap x)
    {
        for (var i = 0; i < heights.Length; i++)
        {
            y.Include(heights[i] + (errors?[i] ?? 0), scale);
            y.Include(heights[i] - (errors?[i] ?? 0), scale);
        }
    }

    public override void Draw(Canvas canvas, AxisMap x, AxisMap y)
    {
        var baseline = Baseline(y);
        for (var i = 0; i < heights.Length; i++)
        {
            var top = y.ToPixel(heights[i]);
            var left = x.ToPixel(lefts[i]);
            var right = x.ToPixel(rights[i]);
            if (!double.IsFinite(top) || !double.IsFinite(left) || !double.IsFinite(right))
            {
                continue;
            }

            var rect = new PixelRect(Math.Min(left, right), Math.Min(top, baseline), Math.Max(left, right), Math.Max(top, baseline));
            canvas.FillRectangle(rect, Color);
            if (outline)
            {
                // A thin white line keeps adjacent histogram bins apart.
                canvas.DrawLine(rect.Left, rect.Top, rect.Left, rect.Bottom, Color.White, 1);
                canvas.DrawLine(rect.Right, rect.Top, rect.Right, rect.Bottom, Color.White, 1);
            }
        }

        if (errors is not null)
        {
            var quads = new DoubleBuffer();
            for (var i = 0; i < heights.Length; i++)
            {
                var cx = x.ToPixel((lefts[i] + rights[i]) / 2);
                var lo = y.ToPixel(heights[i] - errors[i]);
                var hi = y.ToPixel(heights[i] + errors[i]);
                var cap = Math.Abs(x.ToPixel(rights[i]) - x.ToPixel(lefts[i])) / 5;
                ScatterSeries.AddErrorBar(quads, cx, lo, hi, cap);
            }

            ScatterSeries.DrawSegments(canvas, quads, new Color(40, 40, 40), 1.5);
        }
    }

    public override void MarkInk(Occupancy ink, AxisMap x, AxisMap y)
    {
        var baseline = Baseline(y);
        for (var i = 0; i < heights.Length; i++)
        {
            ink.MarkRect(x.ToPixel(lefts[i]), y.ToPixel(heights[i]), x.ToPixel(rights[i]), baseline);
        }
    }

    private static double Baseline(AxisMap y) => y.Scale == Scale.Log ? y.PixelStart : y.ToPixel(Math.Clamp(0, Math.Min(y.Min, y.Max), Math.Max(y.Min, y.Max)));
}

/// <summary>Bars at category positions 0..n-1; several such series share each slot side by side.</summary>
internal sealed class CategoryBarSeries(double[] heights, double[]? errors) : Series
{
    public override SwatchKind Swatch => SwatchKind.Fill;

    public override bool AnchorsAtZero => true;

    public int Slot { get; set; }

    public int SlotCount { get; set; } = 1;

    public int Count => heights.Length;

    public override void ExtendX(ref Extent x, Scale scale)
    {
        x.Include(-0.5, scale);
        x.Include(heights.Length - 0.5, scale);
    }

    public override void ExtendY(ref Extent y, Scale scale, AxisMap x) => Bars().ExtendY(ref y, scale, x);

    public override void Draw(Canvas canvas, AxisMap x, AxisMap y) => Bars().Draw(canvas, x, y);

    public override void MarkInk(Occupancy ink, AxisMap x, AxisMap y) => Bars().MarkInk(ink, x, y);

    private BarSeries Bars()
    {
        const double GroupWidth = 0.8;
        var width = GroupWidth / SlotCount;
        var lefts = new double[heights.Length];
        var rights = new double[heights.Length];
        for (var i = 0; i < heights.Length; i++)
        {
            lefts[i] = i - (GroupWidth / 2) + (Slot * width);
            rights[i] = lefts[i] + (width * 0.92);
        }

        return new BarSeries(lefts, rights, heights, errors, outline: false) { Color = Color };
    }
}

internal sealed class HeatmapSeries(double[,] values, double[] xEdges, double[] yEdges, string? colorbarLabel) : Series
{
    public override bool Tight => true;

    public string? ColorbarLabel => colorbarLabel;

    public (double Min, double Max) ValueRange()
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        if (min > max)
        {
            return (0, 1);
        }

        return min == max ? (min - 0.5, max + 0.5) : (min, max);
    }

    public override void ExtendX(ref Extent x, Scale scale)
    {
        x.Include(xEdges[0], scale);
        x.Include(xEdges[^1], scale);
    }

    public override void ExtendY(ref Extent y, Scale scale, AxisMap x)
    {
        y.Include(yEdges[0], scale);
        y.Include(yEdges[^1], scale);
    }

    public override void Draw(Canvas canvas, AxisMap x, AxisMap y)
    {
        var (min, max) = ValueRange();
        for (var row = 0; row < values.GetLength(0); row++)
        {
            var top = y.ToPixel(yEdges[row + 1]);
            var bottom = y.ToPixel(yEdges[row]);
            for (var col = 0; col < values.GetLength(1); col++)
            {
                var left = x.ToPixel(xEdges[col]);
                var right = x.ToPixel(xEdges[col + 1]);
                var color = Colormap.Viridis((values[row, col] - min) / (max - min));
                canvas.FillRectangleSnapped(new PixelRect(Math.Min(left, right), Math.Min(top, bottom), Math.Max(left, right), Math.Max(top, bottom)), color);
            }
        }
    }

    /// <summary>Cell edges from centres (midpoints, ends extrapolated) or the edges themselves.</summary>
    public static double[] Edges(IReadOnlyList<double> coordinates, int cells, string name)
    {
        if (coordinates.Count == cells + 1)
        {
            return Values.Copy(coordinates);
        }

        if (coordinates.Count != cells)
        {
            throw new ArgumentException($"{name} needs {cells} centres or {cells + 1} edges, got {coordinates.Count}", name);
        }

        if (cells == 1)
        {
            return [coordinates[0] - 0.5, coordinates[0] + 0.5];
        }

        var edges = new double[cells + 1];
        for (var i = 1; i < cells; i++)
        {
            edges[i] = (coordinates[i - 1] + coordinates[i]) / 2;
        }

        edges[0] = coordinates[0] - ((coordinates[1] - coordinates[0]) / 2);
        edges[cells] = coordinates[cells - 1] + ((coordinates[cells - 1] - coordinates[cells - 2]) / 2);
        return edges;
    }
}

internal sealed class ReferenceLine(double value, bool vertical, double width, LinePattern pattern) : Series
{
    public override double LineWidth => width;

    public override LinePattern Pattern => pattern;

    public override void ExtendX(ref Extent x, Scale scale)
    {
        if (vertical)
        {
            x.Include(value, scale);
        }
    }

    public override void ExtendY(ref Extent y, Scale scale, AxisMap x)
    {
        if (!vertical)
        {
            y.Include(value, scale);
        }
    }

    public override void Draw(Canvas canvas, AxisMap x, AxisMap y)
    {
        var (x0, y0, x1, y1) = Ends(x, y);
        canvas.DrawLine(x0, y0, x1, y1, Color, width, pattern);
    }

    public override void MarkInk(Occupancy ink, AxisMap x, AxisMap y)
    {
        var (x0, y0, x1, y1) = Ends(x, y);
        ink.MarkSegment(x0, y0, x1, y1);
    }

    private (double, double, double, double) Ends(AxisMap x, AxisMap y) => vertical
        ? (x.ToPixel(value), y.PixelStart, x.ToPixel(value), y.PixelEnd)
        : (x.PixelStart, y.ToPixel(value), x.PixelEnd, y.ToPixel(value));
}

/// <summary>A highlighted point with a text label beside it (equilibria, optima).</summary>
internal sealed class AnnotatedPoint(double px, double py, string text, MarkerShape shape, double size) : Series
{
    public override SwatchKind Swatch => SwatchKind.Marker;

    public override MarkerShape Marker => shape;

    public override void ExtendX(ref Extent x, Scale scale) => x.Include(px, scale);

    public override void ExtendY(ref Extent y, Scale scale, AxisMap x) => y.Include(py, scale);

    public override void Draw(Canvas canvas, AxisMap x, AxisMap y)
    {
        var cx = x.ToPixel(px);
        var cy = y.ToPixel(py);
        canvas.DrawMarker(cx, cy, shape, size + 4, Color.White);
        canvas.DrawMarker(cx, cy, shape, size, Color);
        if (text.Length == 0)
        {
            return;
        }

        var box = Canvas.MeasureText(text, 15);
        var clip = canvas.Clip;
        var right = cx + (size / 2) + 4 + box.Width <= clip.Right;
        var above = cy - (size / 2) - box.Height >= clip.Top;
        canvas.DrawTextWithHalo(text, right ? cx + (size / 2) + 2 : cx - (size / 2) - 2, above ? cy - (size / 2) + 2 : cy + (size / 2) - 2,
            15, new Color(34, 34, 34), Color.White,
            right ? HorizontalAlign.Left : HorizontalAlign.Right, above ? VerticalAlign.Bottom : VerticalAlign.Top);
    }

    public override void MarkInk(Occupancy ink, AxisMap x, AxisMap y) => ink.MarkPoint(x.ToPixel(px), y.ToPixel(py));
}

/// <summary>A coarse grid over the plot area recording where series put ink, for legend placement.</summary>
internal sealed class Occupancy
{
    private const double Cell = 4;
    private readonly bool[] _cells;
    private readonly int _columns;
    private readonly int _rows;
    private readonly PixelRect _area;

    public Occupancy(PixelRect area)
    {
        _area = area;
        _columns = Math.Max(1, (int)Math.Ceiling(area.Width / Cell));
        _rows = Math.Max(1, (int)Math.Ceiling(area.Height / Cell));
        _cells = new bool[_columns * _rows];
    }

    public void MarkPoint(double x, double y)
    {
        if (!double.IsFinite(x) || !double.IsFinite(y))
        {
            return;
        }

        var c = (int)Math.Floor((x - _area.Left) / Cell);
        var r = (int)Math.Floor((y - _area.Top) / Cell);
        if (c >= 0 && c < _columns && r >= 0 && r < _rows)
        {
            _cells[(r * _columns) + c] = true;
        }
    }

    public void MarkSegment(double x0, double y0, double x1, double y1)
    {
        if (!double.IsFinite(x0) || !double.IsFinite(y0) || !double.IsFinite(x1) || !double.IsFinite(y1))
        {
            return;
        }

        var steps = (int)Math.Min(4096, Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)) / Cell));
        for (var k = 0; k <= steps; k++)
        {
            var t = steps == 0 ? 0 : (double)k / steps;
            MarkPoint(x0 + ((x1 - x0) * t), y0 + ((y1 - y0) * t));
        }
    }

    public void MarkPolyline(double[] xs, double[] ys)
    {
        for (var i = 1; i < xs.Length; i++)
        {
            MarkSegment(xs[i - 1], ys[i - 1], xs[i], ys[i]);
        }

        if (xs.Length == 1)
        {
            MarkPoint(xs[0], ys[0]);
        }
    }

    public void MarkRect(double x0, double y0, double x1, double y1)
    {
        for (var y = Math.Min(y0, y1); y <= Math.Max(y0, y1); y += Cell)
        {
            MarkSegment(x0, y, x1, y);
        }
    }

    /// <summary>Fraction of the cells under <paramref name="rect"/> that hold ink.</summary>
    public double Fraction(PixelRect rect)
    {
        var c0 = Math.Max(0, (int)Math.Floor((rect.Left - _area.Left) / Cell));
        var c1 = Math.Min(_columns - 1, (int)Math.Floor((rect.Right - _area.Left) / Cell));
        var r0 = Math.Max(0, (int)Math.Floor((rect.Top - _area.Top) / Cell));
        var r1 = Math.Min(_rows - 1, (int)Math.Floor((rect.Bottom - _area.Top) / Cell));
        var total = 0;
        var inked = 0;
        for (var r = r0; r <= r1; r++)
        {
            for (var c = c0; c <= c1; c++)
            {
                total++;
                if (_cells[(r * _columns) + c])
                {
                    inked++;
                }
            }
        }

        return total == 0 ? 0 : (double)inked / total;
    }
}
