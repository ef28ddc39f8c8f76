namespace MarketMaking.Charts;

/// <summary>Space around the plot area, in pixels.</summary>
internal readonly record struct Margins(double Left, double Top, double Right, double Bottom);

/// <summary>How a figure constrains one panel: shared limits, hidden inner labels, aligned margins.</summary>
internal sealed record PanelOptions(
    (double Min, double Max)? XLimits = null,
    (double Min, double Max)? YLimits = null,
    bool HideXTickLabels = false,
    bool HideYTickLabels = false,
    Margins? Margins = null,
    bool? LegendOutside = null)
{
    public static PanelOptions Default { get; } = new();
}

internal sealed record Layout(
    PixelRect Area, PixelRect PlotArea, AxisMap X, AxisMap Y, List<Tick> XTicks, List<Tick> YTicks,
    bool XTickLabelsRotated, Margins Margins, bool LegendOutside)
{
    /// <summary>Where the legend goes inside the plot (null: outside, or no legend).</summary>
    public PixelRect? LegendRect { get; init; }
}

public sealed partial class Plot
{
    private const double Pad = 12;
    private const double TickLength = 6;
    private const double TickGap = 4;
    private const double ColorbarGap = 18;
    private const double ColorbarWidth = 20;

    internal void Render(Canvas canvas, PixelRect area, PanelOptions options)
    {
        var layout = ComputeLayout(area, options);
        var plot = layout.PlotArea;
        var heatmap = _series.OfType<HeatmapSeries>().LastOrDefault();

        canvas.SetClip(plot);
        if (heatmap is null)
        {
            DrawGrid(canvas, layout);
        }

        var slotCount = _series.OfType<CategoryBarSeries>().Count();
        var slot = 0;
        foreach (var bars in _series.OfType<CategoryBarSeries>())
        {
            bars.Slot = slot++;
            bars.SlotCount = slotCount;
        }

        foreach (var s in _series)
        {
            s.Draw(canvas, layout.X, layout.Y);
        }

        canvas.SetClip(area);
        canvas.StrokeRectangle(new PixelRect(plot.Left - 0.5, plot.Top - 0.5, plot.Right + 0.5, plot.Bottom + 0.5), Style.FrameColor);
        DrawAxes(canvas, layout, options);
        DrawTitles(canvas, layout, options);
        if (heatmap is not null)
        {
            DrawColorbar(canvas, layout, heatmap);
        }

        DrawLegend(canvas, layout);
        canvas.ResetClip();
    }

    /// <summary>Limits as fitted (or fixed), before any sharing.</summary>
    internal ((double Min, double Max) X, (double Min, double Max) Y) Limits(PanelOptions options)
    {
        var x = options.XLimits ?? _xLimits ?? FitX();
        var y = options.YLimits ?? _yLimits ?? FitY(x);
        return (x, y);
    }

    private (double, double) FitX()
    {
        var e = new Extent();
        foreach (var s in _series)
        {
            s.ExtendX(ref e, XScale);
        }

        return Finish(e, XScale, anchorZero: false, tight: _series.Any(s => s.Tight) || _categories is not null);
    }

    private (double, double) FitY((double Min, double Max) x)
    {
        var map = new AxisMap(x.Min, x.Max, XScale, 0, 1);
        // Fitted curves follow the data they fit; they set the range only when nothing else does.
        var e = new Extent();
        foreach (var s in _series.Where(s => s is not FunctionSeries))
        {
            s.ExtendY(ref e, YScale, map);
        }

        if (e.IsEmpty)
        {
            foreach (var s in _series)
            {
                s.ExtendY(ref e, YScale, map);
            }
        }

        return Finish(e, YScale, _series.Any(s => s.AnchorsAtZero), _series.Any(s => s.Tight));
    }

    private static (double, double) Finish(Extent e, Scale scale, bool anchorZero, bool tight)
    {
        if (e.IsEmpty)
        {
            return scale == Scale.Log ? (1, 10) : (0, 1);
        }

        var (min, max) = (e.Min, e.Max);
        if (scale == Scale.Log)
        {
            if (min == max)
            {
                return (min / 2, max * 2);
            }

            var lo = Math.Log10(min);
            var hi = Math.Log10(max);
            var pad = tight ? 0 : 0.05 * (hi - lo);
            return (Math.Pow(10, lo - pad), Math.Pow(10, hi + pad));
        }

        if (anchorZero)
        {
            min = Math.Min(min, 0);
            max = Math.Max(max, 0);
        }

        if (min == max)
        {
            var d = Math.Max(Math.Abs(min) * 0.1, 1);
            return (min - d, max + d);
        }

        var margin = tight ? 0 : 0.05 * (max - min);
        return (anchorZero && min == 0 ? 0 : min - margin, anchorZero && max == 0 ? 0 : max + margin);
    }

    internal Layout ComputeLayout(PixelRect area, PanelOptions options)
    {
        var (xr, yr) = Limits(options);
        var outside = options.LegendOutside ?? Legend == LegendLocation.OutsideRight;
        var layout = LayoutFor(area, options, xr, yr, legendOutside: outside);
        if (LegendEntries().Count == 0 || outside)
        {
            return layout;
        }

        if (Legend != LegendLocation.Auto)
        {
            return layout with { LegendRect = CornerRect(layout.PlotArea, LegendSize(), Legend) };
        }

        var (corner, inkFraction) = LeastInkedCorner(layout);
        var fits = LegendSize() is var size && size.Width < layout.PlotArea.Width * 0.6 && size.Height < layout.PlotArea.Height * 0.8;
        if ((inkFraction <= 0.01 && fits) || options.LegendOutside == false)
        {
            return layout with { LegendRect = corner };
        }

        return LayoutFor(area, options, xr, yr, legendOutside: true);
    }

    private Layout LayoutFor(PixelRect area, PanelOptions options, (double Min, double Max) xr, (double Min, double Max) yr, bool legendOutside)
    {
        var margins = new Margins(80, 30, 30, 70);
        Layout? layout = null;
        for (var pass = 0; pass < 3; pass++)
        {
            var m = options.Margins ?? margins;
            var plot = new PixelRect(Math.Round(area.Left + m.Left), Math.Round(area.Top + m.Top),
                Math.Round(area.Right - m.Right), Math.Round(area.Bottom - m.Bottom));
            if (plot.Width < 20 || plot.Height < 20)
            {
                plot = new PixelRect(area.Left, area.Top, Math.Max(area.Left + 20, area.Right), Math.Max(area.Top + 20, area.Bottom));
            }

            var x = new AxisMap(xr.Min, xr.Max, XScale, plot.Left, plot.Right);
            var y = new AxisMap(yr.Min, yr.Max, YScale, plot.Bottom, plot.Top);
            var (xTicks, rotated) = XTicksFor(x);
            var yTicks = YTicksFor(y);
            layout = new Layout(area, plot, x, y, xTicks, yTicks, rotated, m, legendOutside);
            margins = Measure(layout, options);
            if (options.Margins is not null)
            {
                break;
            }
        }

        return layout!;
    }

    /// <summary>The margins this plot needs so nothing it draws outside the plot area is clipped.</summary>
    internal Margins Measure(Layout layout, PanelOptions options)
    {
        var tick = Style.TickFontSize;
        var yTickWidth = options.HideYTickLabels ? 0 : WidestLabel(layout.YTicks, tick, skipEmpty: true);
        var tickHeight = Canvas.MeasureText("0", tick).Height;
        var xTickExtent = options.HideXTickLabels ? 0 : layout.XTickLabelsRotated ? WidestLabel(layout.XTicks, tick) : tickHeight;
        var showXLabel = XLabel is not null && !options.HideXTickLabels;
        var showYLabel = YLabel is not null && !options.HideYTickLabels;
        var left = Pad + (showYLabel ? Canvas.MeasureText(YLabel!, Style.AxisTitleFontSize).Height + 6 : 0) + yTickWidth + TickGap + TickLength;
        var bottom = Pad + (showXLabel ? Canvas.MeasureText(XLabel!, Style.AxisTitleFontSize).Height + 6 : 0) + xTickExtent + TickGap + TickLength;
        var top = Pad + (Title is null ? tickHeight / 2 : Canvas.MeasureText(Title, Style.TitleFontSize, bold: true).Height + 10);

        // The last x label is centred on the right edge and half of it hangs past the plot.
        var lastX = layout.XTicks.LastOrDefault(t => t.Label.Length > 0);
        var overhang = options.HideXTickLabels || lastX is null || layout.XTickLabelsRotated ? 0
            : (Canvas.MeasureText(lastX.Label, tick).Width / 2) - (layout.PlotArea.Right - layout.X.ToPixel(lastX.Value));
        var right = Math.Max(Pad + 8, Pad + overhang);
        var heatmap = _series.OfType<HeatmapSeries>().LastOrDefault();
        if (heatmap is not null)
        {
            right = Pad + ColorbarWidthTotal(layout, heatmap);
        }

        if (layout.LegendOutside)
        {
            right += LegendSize().Width + 12;
        }

        return new Margins(Math.Ceiling(left), Math.Ceiling(top), Math.Ceiling(right), Math.Ceiling(bottom));
    }

    /// <summary>The widest tick label at <paramref name="size"/> px (0 when none); empty labels count unless skipped.</summary>
    private static double WidestLabel(List<Tick> ticks, double size, bool skipEmpty = false)
    {
        var widest = 0.0;
        foreach (var t in ticks)
        {
            if (!skipEmpty || t.Label.Length > 0)
            {
                widest = Math.Max(widest, Canvas.MeasureText(t.Label, size).Width);
            }
        }

        return widest;
    }

    private (List<Tick> Ticks, bool Rotated) XTicksFor(AxisMap x)
    {
        var tick = Style.TickFontSize;
        var length = Math.Abs(x.PixelEnd - x.PixelStart);
        if (_categories is not null)
        {
            var categoryTicks = _categories.Select((c, i) => new Tick(i, c, true)).ToList();
            return (categoryTicks, !LabelsFit(categoryTicks, x, horizontal: true));
        }

        for (var target = Math.Max(2, (int)(length / 140)); target >= 2; target--)
        {
            var ticks = x.Scale == Scale.Log ? Ticks.Log(x.Min, x.Max, target) : Ticks.Linear(x.Min, x.Max, target);
            if (LabelsFit(ticks, x, horizontal: true))
            {
                return (ticks, false);
            }

            if (x.Scale == Scale.Log)
            {
                // Drop the 2 and 5 labels before thinning decades.
                var decadesOnly = DecadesOnly(ticks);
                if (LabelsFit(decadesOnly, x, horizontal: true))
                {
                    return (decadesOnly, false);
                }
            }
        }

        var fallback = x.Scale == Scale.Log ? Ticks.Log(x.Min, x.Max, 2) : Ticks.Linear(x.Min, x.Max, 2);
        return (fallback, false);
    }

    /// <summary>Log ticks with only the decades labelled; unchanged when that would leave fewer than two labels.</summary>
    private static List<Tick> DecadesOnly(List<Tick> ticks)
    {
        List<Tick> decades = [.. ticks.Select(t => Math.Abs(Math.Log10(t.Value) - Math.Round(Math.Log10(t.Value))) < 1e-9 ? t : t with { Label = string.Empty, Major = false })];
        return decades.Count(t => t.Label.Length > 0) >= 2 ? decades : ticks;
    }

    private List<Tick> YTicksFor(AxisMap y)
    {
        var length = Math.Abs(y.PixelEnd - y.PixelStart);
        for (var target = Math.Max(2, (int)(length / 70)); target >= 2; target--)
        {
            var ticks = y.Scale == Scale.Log ? Ticks.Log(y.Min, y.Max, target) : Ticks.Linear(y.Min, y.Max, target);
            if (LabelsFit(ticks, y, horizontal: false))
            {
                return ticks;
            }

            if (y.Scale == Scale.Log && DecadesOnly(ticks) is var decades && LabelsFit(decades, y, horizontal: false))
            {
                return decades;
            }
        }

        return y.Scale == Scale.Log ? Ticks.Log(y.Min, y.Max, 2) : Ticks.Linear(y.Min, y.Max, 2);
    }

    private bool LabelsFit(List<Tick> ticks, AxisMap axis, bool horizontal)
    {
        var labelled = ticks.Where(t => t.Label.Length > 0).ToList();
        for (var i = 1; i < labelled.Count; i++)
        {
            var gap = Math.Abs(axis.ToPixel(labelled[i].Value) - axis.ToPixel(labelled[i - 1].Value));
            var a = Canvas.MeasureText(labelled[i - 1].Label, Style.TickFontSize);
            var b = Canvas.MeasureText(labelled[i].Label, Style.TickFontSize);
            var need = horizontal ? ((a.Width + b.Width) / 2) + 14 : ((a.Height + b.Height) / 2) + 6;
            if (gap < need)
            {
                return false;
            }
        }

        return true;
    }

    private void DrawGrid(Canvas canvas, Layout layout)
    {
        var plot = layout.PlotArea;
        var minor = Color.Lerp(Style.GridColor, Color.White, 0.55);
        foreach (var t in layout.XTicks)
        {
            var px = Snap(layout.X.ToPixel(t.Value));
            canvas.DrawLine(px, plot.Top, px, plot.Bottom, t.Major ? Style.GridColor : minor);
        }

        foreach (var t in layout.YTicks)
        {
            var py = Snap(layout.Y.ToPixel(t.Value));
            canvas.DrawLine(plot.Left, py, plot.Right, py, t.Major ? Style.GridColor : minor);
        }
    }

    /// <summary>Centre of the pixel a 1 px line should fill, so grid lines and ticks come out crisp.</summary>
    private static double Snap(double v) => Math.Floor(v) + 0.5;

    private void DrawAxes(Canvas canvas, Layout layout, PanelOptions options)
    {
        var plot = layout.PlotArea;
        var size = Style.TickFontSize;
        foreach (var t in layout.XTicks)
        {
            var px = Math.Clamp(Snap(layout.X.ToPixel(t.Value)), plot.Left - 0.5, plot.Right - 0.5);
            var length = t.Major ? TickLength : TickLength / 2;
            canvas.DrawLine(px, plot.Bottom, px, plot.Bottom + length, Style.FrameColor);
            if (t.Label.Length > 0 && !options.HideXTickLabels)
            {
                if (layout.XTickLabelsRotated)
                {
                    canvas.DrawText(t.Label, px, plot.Bottom + TickLength + TickGap, size, Style.TextColor, HorizontalAlign.Center, VerticalAlign.Top, rotated: true);
                }
                else
                {
                    canvas.DrawText(t.Label, px, plot.Bottom + TickLength + TickGap, size, Style.TextColor, HorizontalAlign.Center);
                }
            }
        }

        foreach (var t in layout.YTicks)
        {
            var py = Math.Clamp(Snap(layout.Y.ToPixel(t.Value)), plot.Top - 0.5, plot.Bottom - 0.5);
            var length = t.Major ? TickLength : TickLength / 2;
            canvas.DrawLine(plot.Left - length, py, plot.Left, py, Style.FrameColor);
            if (t.Label.Length > 0 && !options.HideYTickLabels)
            {
                canvas.DrawText(t.Label, plot.Left - TickLength - TickGap, py, size, Style.TextColor, HorizontalAlign.Right, VerticalAlign.Middle);
            }
        }
    }

    private void DrawTitles(Canvas canvas, Layout layout, PanelOptions options)
    {
        var plot = layout.PlotArea;
        var area = layout.Area;
        var centreX = (plot.Left + plot.Right) / 2;
        if (Title is not null)
        {
            canvas.DrawText(Title, centreX, area.Top + Pad, Style.TitleFontSize, Style.TextColor, HorizontalAlign.Center, bold: true);
        }

        if (XLabel is not null && !options.HideXTickLabels)
        {
            canvas.DrawText(XLabel, centreX, area.Bottom - Pad, Style.AxisTitleFontSize, Style.TextColor, HorizontalAlign.Center, VerticalAlign.Bottom);
        }

        if (YLabel is not null && !options.HideYTickLabels)
        {
            canvas.DrawText(YLabel, area.Left + Pad, (plot.Top + plot.Bottom) / 2, Style.AxisTitleFontSize, Style.TextColor,
                HorizontalAlign.Left, VerticalAlign.Middle, rotated: true);
        }
    }

    private double ColorbarWidthTotal(Layout layout, HeatmapSeries heatmap)
    {
        var ticks = ColorbarTicks(layout, heatmap);
        var labels = WidestLabel(ticks, Style.TickFontSize);
        var title = heatmap.ColorbarLabel is null ? 0 : Canvas.MeasureText(heatmap.ColorbarLabel, Style.AxisTitleFontSize).Height + 6;
        return ColorbarGap + ColorbarWidth + TickLength + TickGap + labels + title;
    }

    private List<Tick> ColorbarTicks(Layout layout, HeatmapSeries heatmap)
    {
        var (min, max) = heatmap.ValueRange();
        return Ticks.Linear(min, max, Math.Max(2, (int)(layout.PlotArea.Height / 90)));
    }

    private void DrawColorbar(Canvas canvas, Layout layout, HeatmapSeries heatmap)
    {
        var plot = layout.PlotArea;
        var left = plot.Right + ColorbarGap;
        var right = left + ColorbarWidth;
        var (min, max) = heatmap.ValueRange();
        for (var y = (int)plot.Top; y < (int)plot.Bottom; y++)
        {
            var t = (plot.Bottom - (y + 0.5)) / plot.Height;
            canvas.FillRectangle(new PixelRect(left, y, right, y + 1), Colormap.Viridis(t));
        }

        canvas.StrokeRectangle(new PixelRect(left - 0.5, plot.Top - 0.5, right + 0.5, plot.Bottom + 0.5), Style.FrameColor);
        var labelWidth = 0.0;
        foreach (var t in ColorbarTicks(layout, heatmap))
        {
            var py = Snap(plot.Bottom - ((t.Value - min) / (max - min) * plot.Height));
            canvas.DrawLine(right, py, right + TickLength, py, Style.FrameColor);
            canvas.DrawText(t.Label, right + TickLength + TickGap, py, Style.TickFontSize, Style.TextColor, HorizontalAlign.Left, VerticalAlign.Middle);
            labelWidth = Math.Max(labelWidth, Canvas.MeasureText(t.Label, Style.TickFontSize).Width);
        }

        if (heatmap.ColorbarLabel is not null)
        {
            canvas.DrawText(heatmap.ColorbarLabel, right + TickLength + TickGap + labelWidth + 6, (plot.Top + plot.Bottom) / 2,
                Style.AxisTitleFontSize, Style.TextColor, HorizontalAlign.Left, VerticalAlign.Middle, rotated: true);
        }
    }

    // ---- legend -------------------------------------------------------------------------------------------------

    private const double SwatchWidth = 34;
    private const double LegendPad = 10;

    private List<Series> LegendEntries() => Legend == LegendLocation.None ? [] : [.. _series.Where(s => !string.IsNullOrEmpty(s.Label))];

    private TextSize LegendSize()
    {
        var entries = LegendEntries();
        var row = RowHeight();
        var labels = 0.0;
        foreach (var s in entries)
        {
            labels = Math.Max(labels, Canvas.MeasureText(s.Label!, Style.LegendFontSize).Width);
        }

        return new TextSize(LegendPad + SwatchWidth + 8 + labels + LegendPad - 4, (2 * LegendPad) - 4 + (entries.Count * row));
    }

    private double RowHeight() => Math.Max(22, Canvas.MeasureText("Ag", Style.LegendFontSize).Height + 2);

    /// <summary>The inside corner whose legend box covers the least ink, and the inked fraction under it.</summary>
    internal (PixelRect Rect, double InkFraction) LeastInkedCorner(Layout layout)
    {
        var size = LegendSize();
        var ink = new Occupancy(layout.PlotArea);
        foreach (var s in _series)
        {
            s.MarkInk(ink, layout.X, layout.Y);
        }

        var best = CornerRect(layout.PlotArea, size, LegendLocation.UpperRight);
        var bestFraction = double.MaxValue;
        foreach (var corner in new[] { LegendLocation.UpperRight, LegendLocation.UpperLeft, LegendLocation.LowerRight, LegendLocation.LowerLeft })
        {
            var rect = CornerRect(layout.PlotArea, size, corner);
            var fraction = ink.Fraction(rect);
            if (fraction < bestFraction - 1e-9)
            {
                bestFraction = fraction;
                best = rect;
            }
        }

        return (best, bestFraction);
    }

    private static PixelRect CornerRect(PixelRect plot, TextSize size, LegendLocation corner)
    {
        const double Inset = 10;
        var left = corner is LegendLocation.UpperLeft or LegendLocation.LowerLeft ? plot.Left + Inset : plot.Right - Inset - size.Width;
        var top = corner is LegendLocation.UpperLeft or LegendLocation.UpperRight ? plot.Top + Inset : plot.Bottom - Inset - size.Height;
        return new PixelRect(Math.Round(left), Math.Round(top), Math.Round(left + size.Width), Math.Round(top + size.Height));
    }

    private void DrawLegend(Canvas canvas, Layout layout)
    {
        var entries = LegendEntries();
        if (entries.Count == 0)
        {
            return;
        }

        var size = LegendSize();
        PixelRect rect;
        if (layout.LegendOutside)
        {
            var left = Math.Round(layout.Area.Right - Pad - size.Width);
            rect = new PixelRect(left, layout.PlotArea.Top, left + size.Width, layout.PlotArea.Top + size.Height);
        }
        else
        {
            rect = layout.LegendRect ?? CornerRect(layout.PlotArea, size, LegendLocation.UpperRight);
        }

        canvas.FillRectangle(rect, Color.White.WithAlpha(0.92));
        canvas.StrokeRectangle(new PixelRect(rect.Left + 0.5, rect.Top + 0.5, rect.Right - 0.5, rect.Bottom - 0.5), new Color(200, 200, 200));
        var row = RowHeight();
        var y = rect.Top + LegendPad - 2;
        foreach (var s in entries)
        {
            var cy = y + (row / 2);
            var x0 = rect.Left + LegendPad;
            switch (s.Swatch)
            {
                case SwatchKind.Fill:
                    canvas.FillRectangle(new PixelRect(x0, cy - 7, x0 + SwatchWidth, cy + 7), s.Color);
                    break;
                case SwatchKind.Marker:
                    var markerSize = s is ScatterSeries sc ? Math.Min(sc.Size, 12) : 11;
                    canvas.DrawMarker(x0 + (SwatchWidth / 2), cy, s.Marker, markerSize, s.Color);
                    break;
                default:
                    canvas.DrawLine(x0, cy, x0 + SwatchWidth, cy, s.Color, Math.Min(s.LineWidth, 4), s.Pattern);
                    if (s.Marker != MarkerShape.None)
                    {
                        canvas.DrawMarker(x0 + (SwatchWidth / 2), cy, s.Marker, 8, s.Color);
                    }

                    break;
            }

            canvas.DrawText(s.Label!, x0 + SwatchWidth + 8, cy, Style.LegendFontSize, Style.TextColor, HorizontalAlign.Left, VerticalAlign.Middle);
            y += row;
        }
    }
}
