using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MarketMaking.Charts.Drawing;
using MarketMaking.Charts.Png;
using MarketMaking.Charts.Text;

namespace MarketMaking.Charts;

/// <summary>
/// An RGBA raster with anti-aliased drawing primitives. Coordinates are in pixels, origin top-left, and pixel
/// (i, j) covers [i, i+1) x [j, j+1), so a 1 px line at x = i + 0.5 fills exactly column i.
/// Every shape is drawn into a coverage mask first and blended once, so translucent shapes stay even.
/// </summary>
public sealed class Canvas
{
    /// <summary>Row-major RGBA of Width x Height pixels; may be longer (a reused buffer), the rest unused.</summary>
    private readonly byte[] _rgba;
    private bool _opaque;
    private readonly CoverageMask _mask;
    private readonly double[] _spanDelta;
    private int _clipLeft;
    private int _clipTop;
    private int _clipRight;
    private int _clipBottom;

    /// <summary>A white canvas.</summary>
    public Canvas(int width, int height)
        : this(width, height, Color.White)
    {
    }

    /// <summary>A canvas filled with <paramref name="background"/>.</summary>
    public Canvas(int width, int height, Color background)
    {
        if (width < 1 || height < 1 || (long)width * height > 64_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"canvas size {width}x{height} must be positive and at most 64 megapixels");
        }

        Width = width;
        Height = height;
        var reused = TakeFromPool(width, height);
        _rgba = reused?.Rgba ?? FreshPages.Allocate<byte>(width * height * 4);
        _mask = reused?.Mask.Reuse(width, height) ?? new CoverageMask(width, height);
        _spanDelta = new double[width + 2];
        ResetClip();
        Clear(background);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    // ---- buffer reuse ---------------------------------------------------------------------------------------------
    // A chart's pixels and coverage mask are ~8 MB of fresh memory at 1200x800: page faults, zeroing and large-object
    // collections cost about as much as drawing. Charts rendered one after another on a thread reuse them instead.

    private sealed class Buffers(byte[] rgba, CoverageMask mask)
    {
        public byte[] Rgba { get; } = rgba;

        public CoverageMask Mask { get; } = mask;
    }

    /// <summary>At most this many sets are kept (about one per core that renders), each of at most PoolPixels; a set serves any canvas it is large enough for.</summary>
    private const int PoolSize = 2;

    private const long PoolPixels = 4_000_000;

    private static readonly List<Buffers> Pool = [];

    /// <summary>The smallest kept set that holds <paramref name="width"/> x <paramref name="height"/> pixels, if any.</summary>
    private static Buffers? TakeFromPool(int width, int height)
    {
        var pixels = width * height;
        lock (Pool)
        {
            var best = -1;
            for (var i = 0; i < Pool.Count; i++)
            {
                if (Pool[i].Mask.Capacity >= pixels && (best < 0 || Pool[i].Mask.Capacity < Pool[best].Mask.Capacity))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                return null;
            }

            var found = Pool[best];
            Pool.RemoveAt(best);
            return found;
        }
    }

    /// <summary>
    /// Hands this canvas's buffers to the next canvas of the same size; for the renderers that own their canvas,
    /// after its PNG is encoded. The canvas must not be used afterwards.
    /// </summary>
    private void Recycle()
    {
        if ((long)Width * Height > PoolPixels)
        {
            return;
        }

        _mask.Reset();
        lock (Pool)
        {
            if (Pool.Count == PoolSize)
            {
                // Keep the larger sets: they serve every smaller canvas too.
                var smallest = Pool[0].Mask.Capacity <= Pool[1].Mask.Capacity ? 0 : 1;
                if (Pool[smallest].Mask.Capacity > _mask.Capacity)
                {
                    return;
                }

                Pool.RemoveAt(smallest);
            }

            Pool.Add(new Buffers(_rgba, _mask));
        }
    }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Raw pixels, row-major RGBA.</summary>
    public ReadOnlySpan<byte> Pixels => new(_rgba, 0, Width * Height * 4);

    /// <summary>The current clip rectangle in whole pixels.</summary>
    public PixelRect Clip => new(_clipLeft, _clipTop, _clipRight, _clipBottom);

    /// <summary>The colour of one pixel.</summary>
    public Color GetPixel(int x, int y)
    {
        var i = ((y * Width) + x) * 4;
        return new Color(_rgba[i], _rgba[i + 1], _rgba[i + 2], _rgba[i + 3]);
    }

    /// <summary>Fills the whole canvas, ignoring the clip.</summary>
    public void Clear(Color color)
    {
        // Blending onto an opaque pixel leaves it opaque, so after an opaque clear the whole canvas stays opaque
        // and the PNG encoder need not scan the alpha channel.
        _opaque = color.A == 255;
        // One row by hand, then copied down (no generic span code, see Values).
        var stride = Width * 4;
        for (var i = 0; i < stride; i += 4)
        {
            _rgba[i] = color.R;
            _rgba[i + 1] = color.G;
            _rgba[i + 2] = color.B;
            _rgba[i + 3] = color.A;
        }

        for (var y = 1; y < Height; y++)
        {
            Array.Copy(_rgba, 0, _rgba, y * stride, stride);
        }
    }

    /// <summary>Restricts drawing to the pixels inside <paramref name="rect"/> (rounded to whole pixels).</summary>
    public void SetClip(PixelRect rect)
    {
        _clipLeft = Math.Clamp((int)Math.Round(rect.Left), 0, Width);
        _clipTop = Math.Clamp((int)Math.Round(rect.Top), 0, Height);
        _clipRight = Math.Clamp((int)Math.Round(rect.Right), _clipLeft, Width);
        _clipBottom = Math.Clamp((int)Math.Round(rect.Bottom), _clipTop, Height);
    }

    /// <summary>Allows drawing anywhere on the canvas again.</summary>
    public void ResetClip()
    {
        _clipLeft = 0;
        _clipTop = 0;
        _clipRight = Width;
        _clipBottom = Height;
    }

    /// <summary>Fills an axis-aligned rectangle with exact-area anti-aliasing on fractional edges.</summary>
    public void FillRectangle(PixelRect rect, Color color)
    {
        var left = Math.Max(rect.Left, _clipLeft);
        var right = Math.Min(rect.Right, _clipRight);
        var top = Math.Max(rect.Top, _clipTop);
        var bottom = Math.Min(rect.Bottom, _clipBottom);
        if (!(right > left && bottom > top))
        {
            return;
        }

        var x0 = (int)Math.Floor(left);
        var x1 = Math.Min((int)Math.Ceiling(right), _clipRight) - 1;
        var y0 = (int)Math.Floor(top);
        var y1 = Math.Min((int)Math.Ceiling(bottom), _clipBottom) - 1;
        // Columns wholly inside have cx = 1 exactly: on an opaque canvas they blend four at a time at coverage cy.
        var opaque = OpaqueBlendOf(color);
        var insideFirst = (int)Math.Ceiling(left);
        var insideLast = (int)Math.Floor(right) - 1;
        ref var pixelStart = ref Unsafe.As<byte, uint>(ref MemoryMarshal.GetArrayDataReference(_rgba));
        for (var y = y0; y <= y1; y++)
        {
            var cy = FiniteMath.Min(bottom, y + 1) - FiniteMath.Max(top, y);
            var rowStart = y * Width;
            var memo = new BlendMemo();
            var x = x0;
            if (opaque.Active)
            {
                for (; x < insideFirst && x <= x1; x++)
                {
                    BlendColumn(x, ref memo);
                }

                var coverage = Vector128.Create((float)cy);
                for (; x + 3 <= insideLast; x += 4)
                {
                    BlendFour(ref pixelStart, (nuint)(rowStart + x), coverage, opaque);
                }
            }

            for (; x <= x1; x++)
            {
                BlendColumn(x, ref memo);
            }

            void BlendColumn(int x, ref BlendMemo memo)
            {
                var cx = FiniteMath.Min(right, x + 1) - FiniteMath.Max(left, x);
                BlendRemembering((rowStart + x) * 4, color, (float)(cx * cy), ref memo);
            }
        }
    }

    /// <summary>Fills a rectangle whose edges are rounded to whole pixels: no seams between adjacent cells.</summary>
    public void FillRectangleSnapped(PixelRect rect, Color color) => FillRectangle(
        new PixelRect(Math.Round(rect.Left), Math.Round(rect.Top), Math.Round(rect.Right), Math.Round(rect.Bottom)), color);

    /// <summary>Outlines a rectangle; the stroke is centred on the edges.</summary>
    public void StrokeRectangle(PixelRect rect, Color color, double width = 1)
    {
        double[] xs = [rect.Left, rect.Right, rect.Right, rect.Left, rect.Left];
        double[] ys = [rect.Top, rect.Top, rect.Bottom, rect.Bottom, rect.Top];
        DrawPolyline(xs, ys, color, width);
    }

    /// <summary>A straight anti-aliased line with round caps.</summary>
    public void DrawLine(double x0, double y0, double x1, double y1, Color color, double width = 1, LinePattern pattern = LinePattern.Solid)
    {
        double[] xs = [x0, x1];
        double[] ys = [y0, y1];
        DrawPolyline(xs, ys, color, width, pattern);
    }

    /// <summary>
    /// An anti-aliased polyline with round joins and caps. A NaN coordinate breaks the line into separate runs.
    /// </summary>
    public void DrawPolyline(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, Color color, double width = 1, LinePattern pattern = LinePattern.Solid)
    {
        StrokeIntoMask(xs, ys, width, pattern);
        Composite(color);
    }

    /// <summary>Fills a polygon (closed automatically) with anti-aliased edges.</summary>
    public void FillPolygon(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, Color color, FillRule rule = FillRule.NonZero)
    {
        FillPolygonIntoMask(xs, ys, rule);
        Composite(color);
    }

    /// <summary>One marker centred at (x, y); <paramref name="size"/> is its diameter in pixels.</summary>
    public void DrawMarker(double x, double y, MarkerShape shape, double size, Color color)
    {
        MarkerIntoMask(x, y, shape, size);
        Composite(color);
    }

    /// <summary>Many markers of one style, blended as one shape (overlaps do not darken).</summary>
    public void DrawMarkers(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, MarkerShape shape, double size, Color color)
    {
        var n = Math.Min(xs.Length, ys.Length);
        for (var i = 0; i < n; i++)
        {
            MarkerIntoMask(xs[i], ys[i], shape, size);
        }

        Composite(color);
    }

    /// <summary>
    /// Draws text with the built-in stroke font. The text box (see <see cref="MeasureText"/>) is placed relative to
    /// (x, y) by the alignments; when <paramref name="rotated"/>, the text reads bottom-to-top (y-axis titles) and the
    /// alignments refer to the rotated box as it appears on the canvas.
    /// </summary>
    public void DrawText(string text, double x, double y, double size, Color color,
        HorizontalAlign horizontal = HorizontalAlign.Left, VerticalAlign vertical = VerticalAlign.Top,
        bool rotated = false, bool bold = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var weight = StrokeFont.StrokeWidth(size, bold);
        TextIntoMask(text, x, y, size, weight, horizontal, vertical, rotated);
        Composite(color);
    }

    /// <summary>Text with a halo of <paramref name="halo"/> colour behind it, readable over data.</summary>
    public void DrawTextWithHalo(string text, double x, double y, double size, Color color, Color halo,
        HorizontalAlign horizontal = HorizontalAlign.Left, VerticalAlign vertical = VerticalAlign.Top, bool bold = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var weight = StrokeFont.StrokeWidth(size, bold);
        TextIntoMask(text, x, y, size, weight + 3, horizontal, vertical, rotated: false);
        Composite(halo);
        TextIntoMask(text, x, y, size, weight, horizontal, vertical, rotated: false);
        Composite(color);
    }

    /// <summary>The text box size at <paramref name="size"/> px (width along the reading direction).</summary>
    public static TextSize MeasureText(string text, double size, bool bold = false) => StrokeFont.Measure(text, size, bold);

    /// <summary>Encodes the canvas as PNG bytes (deterministic).</summary>
    public byte[] ToPng() => _opaque ? PngEncoder.Encode(Pixels, Width, Height, opaque: true) : PngEncoder.Encode(Pixels, Width, Height);

    /// <summary>
    /// <see cref="ToPng"/>, then <see cref="Recycle"/>, for the renderers that own their canvas: the canvas must not be used
    /// afterwards, and an opaque one is encoded over its own pixels (no buffer the size of the filtered image).
    /// </summary>
    internal byte[] ToPngAndRecycle()
    {
        var png = _opaque ? PngEncoder.EncodeOpaqueInPlace(_rgba, Width, Height) : ToPng();
        Recycle();
        return png;
    }

    /// <summary>Writes the canvas as a PNG file.</summary>
    public void SavePng(string path) => File.WriteAllBytes(path, ToPng());

    // ---- mask rasterisers -------------------------------------------------------------------------------------

    internal void StrokeIntoMask(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, double width, LinePattern pattern)
    {
        var n = Math.Min(xs.Length, ys.Length);
        if (n == 0 || !(width > 0))
        {
            return;
        }

        // Hairlines narrower than a pixel are drawn 1 px wide and proportionally fainter.
        var half = Math.Max(width, 1) / 2;
        var scale = (float)Math.Min(width, 1);
        if (pattern != LinePattern.Solid)
        {
            StrokeDashed(xs[..n], ys[..n], half, scale, DashLengths(pattern, Math.Max(width, 1.25)));
            return;
        }

        if (n > 2 * (_clipRight - _clipLeft))
        {
            (var dx, var dy) = Decimate(xs[..n], ys[..n]);
            xs = dx;
            ys = dy;
            n = dx.Length;
        }

        var havePrevious = false;
        double px = 0, py = 0;
        for (var i = 0; i < n; i++)
        {
            var x = xs[i];
            var y = ys[i];
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                havePrevious = false;
                continue;
            }

            if (havePrevious)
            {
                StrokeSegment(px, py, x, y, half, scale);
            }
            else if (i + 1 >= n || !double.IsFinite(xs[i + 1]) || !double.IsFinite(ys[i + 1]))
            {
                StrokeSegment(x, y, x, y, half, scale); // an isolated point still shows as a dot
            }

            px = x;
            py = y;
            havePrevious = true;
        }
    }

    /// <summary>
    /// Dense polylines: each run of consecutive points inside one pixel column is replaced by its first, lowest,
    /// highest and last point (in their original order). The stroke covers the same pixels, with a fraction of
    /// the segments, so 10^5-point series draw in milliseconds.
    /// </summary>
    internal static (double[] Xs, double[] Ys) Decimate(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys)
    {
        var outX = new DoubleBuffer(Math.Min(xs.Length, 8192));
        var outY = new DoubleBuffer(Math.Min(xs.Length, 8192));
        var start = 0;
        while (start < xs.Length)
        {
            if (!double.IsFinite(xs[start]) || !double.IsFinite(ys[start]))
            {
                outX.Add(double.NaN);
                outY.Add(double.NaN);
                start++;
                continue;
            }

            var column = Math.Floor(xs[start]);
            var end = start + 1;
            int low = start, high = start;
            while (end < xs.Length && double.IsFinite(xs[end]) && double.IsFinite(ys[end]) && Math.Floor(xs[end]) == column)
            {
                if (ys[end] < ys[low])
                {
                    low = end;
                }

                if (ys[end] > ys[high])
                {
                    high = end;
                }

                end++;
            }

            var last = end - 1;
            Span<int> keep = [start, Math.Min(low, high), Math.Max(low, high), last];
            var previous = -1;
            foreach (var k in keep)
            {
                if (k != previous)
                {
                    outX.Add(xs[k]);
                    outY.Add(ys[k]);
                    previous = k;
                }
            }

            start = end;
        }

        return (outX.ToArray(), outY.ToArray());
    }

    private static double[] DashLengths(LinePattern pattern, double unit) => pattern switch
    {
        // Drawn lengths exclude the round caps (which add one width to each dash), gaps include them.
        LinePattern.Dashed => [3.0 * unit, 3.5 * unit],
        LinePattern.Dotted => [0.0, 2.2 * unit],
        LinePattern.DashDot => [3.0 * unit, 2.8 * unit, 0.0, 2.8 * unit],
        _ => [double.MaxValue, 0],
    };

    private void StrokeDashed(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, double half, float scale, double[] dashes)
    {
        var index = 0;
        var remaining = dashes[0];
        var on = true;
        var havePrevious = false;
        double px = 0, py = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            var x = xs[i];
            var y = ys[i];
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                havePrevious = false;
                continue;
            }

            if (havePrevious)
            {
                var length = Math.Sqrt(((x - px) * (x - px)) + ((y - py) * (y - py)));
                var t = 0.0;
                while (length - t > 1e-12)
                {
                    var step = Math.Min(remaining, length - t);
                    if (on)
                    {
                        var t0 = t / length;
                        var t1 = (t + step) / length;
                        StrokeSegment(px + ((x - px) * t0), py + ((y - py) * t0), px + ((x - px) * t1), py + ((y - py) * t1), half, scale);
                    }

                    t += step;
                    remaining -= step;
                    if (remaining <= 1e-12)
                    {
                        if (on && dashes[index] == 0)
                        {
                            var tt = t / length;
                            StrokeSegment(px + ((x - px) * tt), py + ((y - py) * tt), px + ((x - px) * tt), py + ((y - py) * tt), half, scale);
                        }

                        index = (index + 1) % dashes.Length;
                        remaining = dashes[index];
                        on = !on;
                    }
                }
            }

            px = x;
            py = y;
            havePrevious = true;
        }
    }

    /// <summary>
    /// Capsule coverage: a pixel centre at distance d from the segment gets clamp(half + 0.5 - d, 0, 1), so a line
    /// of width w puts w pixels' worth of ink across its profile and caps/joins come out round.
    /// </summary>
    internal void StrokeSegment(double x0, double y0, double x1, double y1, double half, float scale)
    {
        var reach = half + 0.5;
        var top = FiniteMath.Max((int)Math.Floor(FiniteMath.Min(y0, y1) - reach), _clipTop);
        var bottom = FiniteMath.Min((int)Math.Ceiling(FiniteMath.Max(y0, y1) + reach), _clipBottom - 1);
        if (top > bottom)
        {
            return;
        }

        var dx = x1 - x0;
        var dy = y1 - y0;
        var length2 = (dx * dx) + (dy * dy);
        var inverseLength2 = length2 > 1e-18 ? 1 / length2 : 0;
        var inverseDy = Math.Abs(dy) > 1e-12 ? 1 / dy : 0;

        // Axis-aligned segments (grid lines, ticks, frames, bar edges: most of a chart's strokes): along a vertical one,
        // ex below is rx exactly, so a column whose |rx| alone gives c <= 0 gives it on every row and is left out; along
        // a horizontal one the same holds for a row and ry. Exact: distance2 >= rx² (or ry²) as computed, and the square
        // root and the subtraction are monotone. A 1 px line's stroke then visits one column (row) instead of four.
        int columnFirst = int.MinValue, columnLast = int.MaxValue;
        if (dx == 0)
        {
            columnFirst = (int)Math.Floor(x0 - reach) - 1;
            columnLast = (int)Math.Ceiling(x0 + reach) + 1;
            while (columnFirst <= columnLast && !Inside(columnFirst + 0.5 - x0))
            {
                columnFirst++;
            }

            while (columnLast >= columnFirst && !Inside(columnLast + 0.5 - x0))
            {
                columnLast--;
            }
        }

        for (var y = top; y <= bottom; y++)
        {
            var cy = y + 0.5;
            double xa, xb;
            if (inverseDy == 0)
            {
                xa = FiniteMath.Min(x0, x1);
                xb = FiniteMath.Max(x0, x1);
            }
            else
            {
                // The part of the segment within `reach` of this row, widened by `reach`.
                var ta = FiniteMath.Clamp((cy - reach - y0) * inverseDy, 0, 1);
                var tb = FiniteMath.Clamp((cy + reach - y0) * inverseDy, 0, 1);
                var xA = x0 + (dx * ta);
                var xB = x0 + (dx * tb);
                xa = FiniteMath.Min(xA, xB);
                xb = FiniteMath.Max(xA, xB);
            }

            var left = FiniteMath.Max(FiniteMath.Max((int)Math.Floor(xa - reach), _clipLeft), columnFirst);
            var right = FiniteMath.Min(FiniteMath.Min((int)Math.Ceiling(xb + reach), _clipRight - 1), columnLast);
            var ry = cy - y0;
            if (left > right || (dy == 0 && !Inside(ry)))
            {
                continue;
            }

            var row = _mask.Coverage;
            var offset = y * Width;
            var touched = false;
            // Without a branch per pixel (whether it is within reach is data, often mispredicted): a pixel out
            // of reach gets c <= 0, hence cover <= 0, which leaves the pixel as it was (coverage is never below 0).
            for (var x = left; x <= right; x++)
            {
                var rx = x + 0.5 - x0;
                var t = FiniteMath.MinNative(1, FiniteMath.MaxNative(0, ((rx * dx) + (ry * dy)) * inverseLength2));
                var ex = rx - (t * dx);
                var ey = ry - (t * dy);
                var c = reach - Math.Sqrt((ex * ex) + (ey * ey));
                var cover = (float)FiniteMath.MinNative(c, 1) * scale;
                row[offset + x] = FiniteMath.MaxNative(cover, row[offset + x]); // cover > row ? cover : row
                touched |= c > 0;
            }

            if (touched)
            {
                _mask.Touch(y, left, right);
            }
        }

        // Whether a pixel whose offset along one axis is exactly `r` could still be covered (c > 0 below).
        bool Inside(double r) => reach - Math.Sqrt(r * r) > 0;
    }

    private void MarkerIntoMask(double x, double y, MarkerShape shape, double size)
    {
        if (!double.IsFinite(x) || !double.IsFinite(y) || !(size > 0))
        {
            return;
        }

        var r = size / 2;
        switch (shape)
        {
            case MarkerShape.Circle:
                StrokeSegment(x, y, x, y, r, 1f);
                break;
            case MarkerShape.OpenCircle:
                RingIntoMask(x, y, r - (Ring(size) / 2), Ring(size) / 2);
                break;
            case MarkerShape.Square:
                var h = r * 0.886; // same area as the circle of this size
                BoxIntoMask(x - h, y - h, x + h, y + h);
                break;
            case MarkerShape.Cross:
                var c = r * 0.8;
                var w = Ring(size) / 2;
                StrokeSegment(x - c, y - c, x + c, y + c, w, 1f);
                StrokeSegment(x - c, y + c, x + c, y - c, w, 1f);
                break;
            case MarkerShape.Diamond:
                var d = r * 1.2;
                FillPolygonIntoMask([x, x + d, x, x - d], [y - d, y, y + d, y], FillRule.NonZero);
                break;
            default:
                break;
        }

        static double Ring(double size) => Math.Max(1.5, size / 5);
    }

    private void RingIntoMask(double cx, double cy, double radius, double half)
    {
        var reach = radius + half + 0.5;
        var top = Math.Max((int)Math.Floor(cy - reach), _clipTop);
        var bottom = Math.Min((int)Math.Ceiling(cy + reach), _clipBottom - 1);
        var left = Math.Max((int)Math.Floor(cx - reach), _clipLeft);
        var right = Math.Min((int)Math.Ceiling(cx + reach), _clipRight - 1);
        if (left > right)
        {
            return;
        }

        for (var y = top; y <= bottom; y++)
        {
            var row = _mask.Coverage;
            var offset = y * Width;
            for (var x = left; x <= right; x++)
            {
                var d = Math.Sqrt(((x + 0.5 - cx) * (x + 0.5 - cx)) + ((y + 0.5 - cy) * (y + 0.5 - cy)));
                var c = (float)FiniteMath.Clamp(half + 0.5 - Math.Abs(d - radius), 0, 1);
                if (c > row[offset + x])
                {
                    row[offset + x] = c;
                }
            }

            _mask.Touch(y, left, right);
        }
    }

    private void BoxIntoMask(double left, double top, double right, double bottom)
    {
        var x0 = Math.Max((int)Math.Floor(left), _clipLeft);
        var x1 = Math.Min((int)Math.Ceiling(right), _clipRight) - 1;
        var y0 = Math.Max((int)Math.Floor(top), _clipTop);
        var y1 = Math.Min((int)Math.Ceiling(bottom), _clipBottom) - 1;
        if (x0 > x1)
        {
            return;
        }

        for (var y = y0; y <= y1; y++)
        {
            var cy = FiniteMath.Clamp(FiniteMath.Min(bottom, y + 1) - FiniteMath.Max(top, y), 0, 1);
            var row = _mask.Coverage;
            var offset = y * Width;
            for (var x = x0; x <= x1; x++)
            {
                var c = (float)(cy * FiniteMath.Clamp(FiniteMath.Min(right, x + 1) - FiniteMath.Max(left, x), 0, 1));
                if (c > row[offset + x])
                {
                    row[offset + x] = c;
                }
            }

            _mask.Touch(y, x0, x1);
        }
    }

    /// <summary>
    /// Scanline fill: 8 sub-scanlines per pixel row, each span entered with exact fractional ends into a
    /// difference row, so edges get 8 vertical and continuous horizontal anti-aliasing levels.
    /// </summary>
    internal void FillPolygonIntoMask(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, FillRule rule)
    {
        const int SubRows = 8;
        var n = Math.Min(xs.Length, ys.Length);
        if (n < 3)
        {
            return;
        }

        // Edges, active edges and crossings live in plain arrays and are ordered by SortPairs: the framework's
        // List/Sort over these structs would be compiled at run time (see Values).
        var edges = new Edge[n];
        var edgeCount = 0;
        var minY = double.MaxValue;
        var maxY = double.MinValue;
        for (var i = 0; i < n; i++)
        {
            var j = (i + 1) % n;
            double ax = xs[i], ay = ys[i], bx = xs[j], by = ys[j];
            if (!double.IsFinite(ax) || !double.IsFinite(ay) || !double.IsFinite(bx) || !double.IsFinite(by) || ay == by)
            {
                continue;
            }

            var direction = by > ay ? 1 : -1;
            if (by < ay)
            {
                (ax, ay, bx, by) = (bx, by, ax, ay);
            }

            edges[edgeCount++] = new Edge(ay, by, ax, (bx - ax) / (by - ay), direction);
            minY = Math.Min(minY, ay);
            maxY = Math.Max(maxY, by);
        }

        if (edgeCount == 0)
        {
            return;
        }

        // Edges by their top: keys and edge indices sorted together.
        var keys = new double[edgeCount];
        var order = new int[edgeCount];
        for (var i = 0; i < edgeCount; i++)
        {
            keys[i] = edges[i].Top;
            order[i] = i;
        }

        var scratchKeys = new double[edgeCount];
        var scratchItems = new int[edgeCount];
        SortPairs(keys, order, edgeCount, scratchKeys, scratchItems);

        var top = Math.Max((int)Math.Floor(minY), _clipTop);
        var bottom = Math.Min((int)Math.Ceiling(maxY), _clipBottom - 1);
        var active = new Edge[edgeCount];
        var activeCount = 0;
        var crossingX = new double[edgeCount];
        var crossingDirection = new int[edgeCount];
        var nextEdge = 0;
        var delta = _spanDelta;
        for (var y = top; y <= bottom; y++)
        {
            var spanMin = int.MaxValue;
            var spanMax = -1;
            for (var s = 0; s < SubRows; s++)
            {
                var sy = y + ((s + 0.5) / SubRows);
                while (nextEdge < edgeCount && edges[order[nextEdge]].Top <= sy)
                {
                    active[activeCount++] = edges[order[nextEdge++]];
                }

                // Drop edges that ended above this sub-scanline, keeping the others in order.
                var kept = 0;
                for (var a = 0; a < activeCount; a++)
                {
                    if (!(active[a].Bottom <= sy))
                    {
                        active[kept++] = active[a];
                    }
                }

                activeCount = kept;
                var crossings = 0;
                for (var a = 0; a < activeCount; a++)
                {
                    var e = active[a];
                    if (e.Top <= sy)
                    {
                        crossingX[crossings] = e.X + ((sy - e.Top) * e.Slope);
                        crossingDirection[crossings++] = e.Direction;
                    }
                }

                if (crossings < 2)
                {
                    continue;
                }

                SortPairs(crossingX, crossingDirection, crossings, scratchKeys, scratchItems);
                var winding = 0;
                for (var k = 0; k < crossings - 1; k++)
                {
                    winding += rule == FillRule.NonZero ? crossingDirection[k] : 1;
                    var inside = rule == FillRule.NonZero ? winding != 0 : (winding & 1) == 1;
                    if (inside)
                    {
                        AddSpan(delta, crossingX[k], crossingX[k + 1], 1.0 / SubRows, ref spanMin, ref spanMax);
                    }
                }
            }

            if (spanMax < 0)
            {
                continue;
            }

            var row = _mask.Coverage;
            var offset = y * Width;
            var sum = 0.0;
            var last = Math.Min(spanMax, _clipRight - 1);
            for (var x = spanMin; x <= spanMax + 1; x++)
            {
                sum += delta[x];
                delta[x] = 0;
                if (x <= last)
                {
                    var c = (float)FiniteMath.Clamp(sum, 0, 1);
                    if (c > row[offset + x])
                    {
                        row[offset + x] = c;
                    }
                }
            }

            if (spanMin <= last)
            {
                _mask.Touch(y, spanMin, last);
            }
        }
    }

    /// <summary>
    /// Sorts the first <paramref name="count"/> keys ascending, moving each item with its key; stable (insertion
    /// sort for short runs, merged bottom-up). The scratch arrays hold at least <paramref name="count"/> entries.
    /// </summary>
    internal static void SortPairs(double[] keys, int[] items, int count, double[] scratchKeys, int[] scratchItems)
    {
        const int Run = 16;
        for (var start = 0; start < count; start += Run)
        {
            var end = Math.Min(start + Run, count);
            for (var i = start + 1; i < end; i++)
            {
                var key = keys[i];
                var item = items[i];
                var j = i - 1;
                while (j >= start && keys[j] > key)
                {
                    keys[j + 1] = keys[j];
                    items[j + 1] = items[j];
                    j--;
                }

                keys[j + 1] = key;
                items[j + 1] = item;
            }
        }

        for (var width = Run; width < count; width *= 2)
        {
            for (var left = 0; left < count - width; left += 2 * width)
            {
                int middle = left + width, right = Math.Min(left + (2 * width), count);
                int a = left, b = middle, k = left;
                while (a < middle && b < right)
                {
                    if (keys[b] < keys[a])
                    {
                        scratchKeys[k] = keys[b];
                        scratchItems[k++] = items[b++];
                    }
                    else
                    {
                        scratchKeys[k] = keys[a];
                        scratchItems[k++] = items[a++];
                    }
                }

                while (a < middle)
                {
                    scratchKeys[k] = keys[a];
                    scratchItems[k++] = items[a++];
                }

                while (b < right)
                {
                    scratchKeys[k] = keys[b];
                    scratchItems[k++] = items[b++];
                }

                Array.Copy(scratchKeys, left, keys, left, right - left);
                Array.Copy(scratchItems, left, items, left, right - left);
            }
        }
    }

    private void AddSpan(double[] delta, double xa, double xb, double weight, ref int spanMin, ref int spanMax)
    {
        xa = Math.Max(xa, _clipLeft);
        xb = Math.Min(xb, _clipRight);
        if (!(xb > xa))
        {
            return;
        }

        // Coverage of pixel i by [xa, xb) is the prefix sum of these four deltas.
        var ia = (int)Math.Floor(xa);
        var fa = xa - ia;
        var ib = (int)Math.Floor(xb);
        var fb = xb - ib;
        delta[ia] += (1 - fa) * weight;
        delta[ia + 1] += fa * weight;
        delta[ib] -= (1 - fb) * weight;
        delta[ib + 1] -= fb * weight;
        spanMin = Math.Min(spanMin, ia);
        spanMax = Math.Max(spanMax, Math.Min(ib, Width - 1));
    }

    private void TextIntoMask(string text, double x, double y, double size, double weight,
        HorizontalAlign horizontal, VerticalAlign vertical, bool rotated)
    {
        var box = StrokeFont.Measure(text, size, weight);
        var boxWidth = rotated ? box.Height : box.Width;
        var boxHeight = rotated ? box.Width : box.Height;
        var left = horizontal switch
        {
            HorizontalAlign.Center => x - (boxWidth / 2),
            HorizontalAlign.Right => x - boxWidth,
            _ => x,
        };
        var top = vertical switch
        {
            VerticalAlign.Middle => y - (boxHeight / 2),
            VerticalAlign.Bottom => y - boxHeight,
            _ => y,
        };
        var half = weight / 2;
        var scale = (float)Math.Min(weight, 1);
        half = Math.Max(half, 0.5);
        foreach (var stroke in StrokeFont.Layout(text, size, weight))
        {
            for (var i = 0; i + 3 < stroke.Length; i += 2)
            {
                // Layout gives text-box coordinates (x right, y down); rotation turns the box 90 degrees anticlockwise.
                double ax = stroke[i], ay = stroke[i + 1], bx = stroke[i + 2], by = stroke[i + 3];
                if (rotated)
                {
                    StrokeSegment(left + ay, top + boxHeight - ax, left + by, top + boxHeight - bx, half, scale);
                }
                else
                {
                    StrokeSegment(left + ax, top + ay, left + bx, top + by, half, scale);
                }
            }
        }
    }

    private void Composite(Color color)
    {
        // The visitor zeroes each block it has read, so the mask need only forget which blocks were dirty.
        var visitor = new CompositeVisitor(this, color);
        _mask.ForEachDirtyBlock(ref visitor);
        _mask.ForgetDirtyBlocks();
    }

    /// <summary>Blends the covered pixels of each dirty block of the mask with one colour, and zeroes the block.</summary>
    private struct CompositeVisitor(Canvas canvas, Color color) : IBlockVisitor
    {
        private readonly OpaqueBlend _opaque = canvas.OpaqueBlendOf(color);
        private BlendMemo _memo;

        public void Visit(int offset, int count)
        {
            var coverage = canvas._mask.Coverage;
            var k = offset;
            if (_opaque.Active)
            {
                // Four pixels at a time on an opaque canvas (the charts' case): a block of zeros is skipped whole.
                ref var coverageStart = ref MemoryMarshal.GetArrayDataReference(coverage);
                ref var pixelStart = ref Unsafe.As<byte, uint>(ref MemoryMarshal.GetArrayDataReference(canvas._rgba));
                for (; k + 4 <= offset + count; k += 4)
                {
                    var c = Vector128.LoadUnsafe(ref coverageStart, (nuint)k);
                    Vector128<float>.Zero.StoreUnsafe(ref coverageStart, (nuint)k);
                    if (Vector128.EqualsAll(c, Vector128<float>.Zero))
                    {
                        continue;
                    }

                    BlendFour(ref pixelStart, (nuint)k, c, _opaque);
                }
            }

            for (; k < offset + count; k++)
            {
                var c = coverage[k];
                coverage[k] = 0;
                if (c > 0)
                {
                    canvas.BlendRemembering(k * 4, color, c, ref _memo);
                }
            }
        }
    }

    /// <summary>The four-pixel blend's constants for <paramref name="color"/>, inactive where it does not apply.</summary>
    private OpaqueBlend OpaqueBlendOf(Color color) => _opaque && Vector128.IsHardwareAccelerated ? new OpaqueBlend(color) : default;

    /// <summary>Blends the four pixels from index <paramref name="at"/> of an opaque canvas in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlendFour(ref uint pixels, nuint at, Vector128<float> coverage, in OpaqueBlend blend) =>
        BlendOpaque(Vector128.LoadUnsafe(ref pixels, at), coverage, blend).StoreUnsafe(ref pixels, at);

    /// <summary>One colour's channels in every lane, for <see cref="BlendOpaque"/>.</summary>
    internal readonly struct OpaqueBlend(Color color)
    {
        public readonly Vector128<float> A = Vector128.Create((float)color.A);
        public readonly Vector128<float> R = Vector128.Create((float)color.R);
        public readonly Vector128<float> G = Vector128.Create((float)color.G);
        public readonly Vector128<float> B = Vector128.Create((float)color.B);
        public readonly Vector128<uint> Painted = Vector128.Create(color.R | ((uint)color.G << 8) | ((uint)color.B << 16) | 0xFF000000u);
        public readonly bool Active = true;
    }

    /// <summary>
    /// <see cref="Blend"/> of four opaque pixels (RGBA, little-endian) at once: lane by lane the same float operations
    /// in the same order (no fused multiply-add), so the same bytes. An opaque pixel stays opaque, so alpha stays 255.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<uint> BlendOpaque(Vector128<uint> pixels, Vector128<float> coverage, in OpaqueBlend blend)
    {
        var a = blend.A * coverage * Vector128.Create(1f / 255f);
        var channel = Vector128.Create(0xFFu);
        var half = Vector128.Create(0.5f);
        var r = Vector128.ConvertToSingle((pixels & channel).AsInt32());
        var g = Vector128.ConvertToSingle(((pixels >> 8) & channel).AsInt32());
        var b = Vector128.ConvertToSingle(((pixels >> 16) & channel).AsInt32());
        var mixed = Vector128.ConvertToInt32(r + ((blend.R - r) * a) + half).AsUInt32()
            | (Vector128.ConvertToInt32(g + ((blend.G - g) * a) + half).AsUInt32() << 8)
            | (Vector128.ConvertToInt32(b + ((blend.B - b) * a) + half).AsUInt32() << 16)
            | Vector128.Create(0xFF000000u);
        var painted = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(a, Vector128<float>.One).AsUInt32(), blend.Painted, mixed);
        return Vector128.ConditionalSelect(Vector128.LessThanOrEqual(a, Vector128<float>.Zero).AsUInt32(), pixels, painted);
    }

    /// <summary>The last pixel blended: what it was, at which coverage, and what it became.</summary>
    private struct BlendMemo
    {
        public uint Before;
        public uint After;
        public float Coverage;
        public bool Valid;
    }

    /// <summary>
    /// <see cref="Blend"/>, but a pixel equal to the previous one at the same coverage takes the previous result
    /// without the arithmetic: exact, since the blend depends on nothing else, and the inside of a translucent
    /// band or bar is thousands of such pixels (the float blend was the largest single cost of rendering).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void BlendRemembering(int i, Color color, float coverage, ref BlendMemo memo)
    {
        ref var pixel = ref System.Runtime.CompilerServices.Unsafe.As<byte, uint>(ref _rgba[i]);
        if (memo.Valid && pixel == memo.Before && coverage == memo.Coverage)
        {
            pixel = memo.After;
            return;
        }

        memo.Before = pixel;
        memo.Coverage = coverage;
        Blend(i, color, coverage);
        memo.After = pixel;
        memo.Valid = true;
    }

    // Called per covered pixel: inlined into the (optimised) loops rather than left at tier 0 early in a short run.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void Blend(int i, Color color, float coverage)
    {
        var a = color.A * coverage * (1f / 255f);
        if (a <= 0)
        {
            return;
        }

        if (a >= 1f)
        {
            _rgba[i] = color.R;
            _rgba[i + 1] = color.G;
            _rgba[i + 2] = color.B;
            _rgba[i + 3] = 255;
            return;
        }

        var da = _rgba[i + 3] * (1f / 255f);
        if (da >= 1f)
        {
            _rgba[i] = (byte)(_rgba[i] + ((color.R - _rgba[i]) * a) + 0.5f);
            _rgba[i + 1] = (byte)(_rgba[i + 1] + ((color.G - _rgba[i + 1]) * a) + 0.5f);
            _rgba[i + 2] = (byte)(_rgba[i + 2] + ((color.B - _rgba[i + 2]) * a) + 0.5f);
            return;
        }

        var outA = a + (da * (1 - a));
        var k = da * (1 - a);
        _rgba[i] = (byte)((((color.R * a) + (_rgba[i] * k)) / outA) + 0.5f);
        _rgba[i + 1] = (byte)((((color.G * a) + (_rgba[i + 1] * k)) / outA) + 0.5f);
        _rgba[i + 2] = (byte)((((color.B * a) + (_rgba[i + 2] * k)) / outA) + 0.5f);
        _rgba[i + 3] = (byte)((outA * 255f) + 0.5f);
    }

    private readonly record struct Edge(double Top, double Bottom, double X, double Slope, int Direction);
}
