using System.Runtime.Intrinsics;

namespace MarketMaking.Charts.Tests;

public class CanvasTests
{
    private static readonly Color Ink = new(10, 20, 200);

    private static bool IsWhite(Canvas c, int x, int y) => c.GetPixel(x, y) == Color.White;

    /// <summary>Ink coverage of a pixel drawn in black on white, from its red channel.</summary>
    private static double Coverage(Canvas c, int x, int y) => (255 - c.GetPixel(x, y).R) / 255.0;

    [Fact]
    public void FillRectangle_WholePixelBounds_ColoursExactlyThosePixels()
    {
        // Given a white canvas
        var canvas = new Canvas(30, 20);

        // When a rectangle with integer bounds is filled
        canvas.FillRectangle(new PixelRect(5, 4, 12, 9), Ink);

        // Then pixels 5..11 x 4..8 are the ink colour and everything else is still white
        for (var y = 0; y < 20; y++)
        {
            for (var x = 0; x < 30; x++)
            {
                var inside = x is >= 5 and < 12 && y is >= 4 and < 9;
                canvas.GetPixel(x, y).Should().Be(inside ? Ink : Color.White, $"pixel ({x}, {y})");
            }
        }
    }

    [Fact]
    public void DrawLine_HorizontalOnePixelAtPixelCentre_FillsOneRowOnly()
    {
        // Given a 1 px line along the centre of row 10 from x = 5.5 to 20.5
        var canvas = new Canvas(30, 20);

        // When it is drawn
        canvas.DrawLine(5.5, 10.5, 20.5, 10.5, Ink, 1);

        // Then row 10 is solid ink from 6 to 20 and rows 9 and 11 are untouched
        for (var x = 6; x <= 20; x++)
        {
            canvas.GetPixel(x, 10).Should().Be(Ink);
            IsWhite(canvas, x, 9).Should().BeTrue();
            IsWhite(canvas, x, 11).Should().BeTrue();
        }

        IsWhite(canvas, 3, 10).Should().BeTrue();
        IsWhite(canvas, 23, 10).Should().BeTrue();
    }

    [Fact]
    public void DrawLine_Diagonal_InkOnlyNearTheLine()
    {
        // Given a 2 px diagonal from (10, 10) to (50, 50)
        var canvas = new Canvas(60, 60);

        // When drawn in black
        canvas.DrawLine(10, 10, 50, 50, Color.Black, 2);

        // Then pixels on the diagonal are fully inked, and no pixel farther than width/2 + 1 from the segment has ink
        Coverage(canvas, 30, 30).Should().BeApproximately(1, 0.01);
        for (var y = 0; y < 60; y++)
        {
            for (var x = 0; x < 60; x++)
            {
                var distance = DistanceToSegment(x + 0.5, y + 0.5, 10, 10, 50, 50);
                if (distance > 2.0)
                {
                    IsWhite(canvas, x, y).Should().BeTrue($"pixel ({x}, {y}) is {distance:F2} px from the line");
                }
            }
        }
    }

    [Fact]
    public void DrawLine_WidthThree_PutsThreePixelsOfInkAcrossItsProfile()
    {
        // Given a 3 px line at a slant
        var canvas = new Canvas(80, 80);
        canvas.DrawLine(10, 20, 70, 50, Color.Black, 3);

        // When the ink across one column away from the caps is summed
        var column = Enumerable.Range(0, 80).Sum(y => Coverage(canvas, 40, y));

        // Then it equals width / cos(angle) = 3 * sqrt(1 + 0.5^2) (vertical cut through a slanted band)
        column.Should().BeApproximately(3 * Math.Sqrt(1.25), 0.1);
    }

    [Fact]
    public void FillPolygon_Triangle_TotalCoverageEqualsItsArea()
    {
        // Given a right triangle with legs 40 and 30 at fractional coordinates (area 600)
        var canvas = new Canvas(60, 50);

        // When filled in black
        canvas.FillPolygon([5.3, 45.3, 5.3], [5.7, 35.7, 35.7], Color.Black);

        // Then the summed coverage is the area within a fraction of a percent
        var total = 0.0;
        for (var y = 0; y < 50; y++)
        {
            for (var x = 0; x < 60; x++)
            {
                total += Coverage(canvas, x, y);
            }
        }

        total.Should().BeApproximately(600, 3);
    }

    [Fact]
    public void FillPolygon_EvenOddSelfOverlap_LeavesTheHoleEmpty()
    {
        // Given an outer square and an inner square traced the same way round in one outline
        double[] xs = [0, 40, 40, 0, 0, 10, 30, 30, 10, 10];
        double[] ys = [0, 0, 40, 40, 0, 10, 10, 30, 30, 10];
        var evenOdd = new Canvas(40, 40);
        var nonZero = new Canvas(40, 40);

        // When filled with each rule
        evenOdd.FillPolygon(xs, ys, Color.Black, FillRule.EvenOdd);
        nonZero.FillPolygon(xs, ys, Color.Black, FillRule.NonZero);

        // Then even-odd leaves the centre empty, non-zero fills it, and both fill the ring
        IsWhite(evenOdd, 20, 20).Should().BeTrue();
        Coverage(nonZero, 20, 20).Should().Be(1);
        Coverage(evenOdd, 5, 20).Should().Be(1);
    }

    [Fact]
    public void SetClip_DrawingAcrossTheEdge_LeavesOutsidePixelsUntouched()
    {
        // Given a clip rectangle covering the left half
        var canvas = new Canvas(40, 20);
        canvas.SetClip(new PixelRect(0, 0, 20, 20));

        // When a thick line, a polygon and a marker cross the clip edge
        canvas.DrawLine(0, 10, 40, 10, Color.Black, 6);
        canvas.FillPolygon([10, 39, 39], [0, 0, 19], Color.Black);
        canvas.DrawMarker(20, 5, MarkerShape.Circle, 10, Color.Black);

        // Then nothing right of x = 20 changed, and the left half was drawn
        for (var y = 0; y < 20; y++)
        {
            for (var x = 20; x < 40; x++)
            {
                IsWhite(canvas, x, y).Should().BeTrue($"pixel ({x}, {y}) is outside the clip");
            }
        }

        Coverage(canvas, 5, 10).Should().Be(1);
    }

    [Fact]
    public void DrawMarker_Circle_CoverageMatchesTheDiscArea()
    {
        // Given a disc of diameter 12
        var canvas = new Canvas(30, 30);

        // When drawn
        canvas.DrawMarker(15.3, 14.8, MarkerShape.Circle, 12, Color.Black);

        // Then total coverage is pi r^2 = 113.1 within 2%
        var total = Enumerable.Range(0, 30).SelectMany(y => Enumerable.Range(0, 30).Select(x => Coverage(canvas, x, y))).Sum();
        total.Should().BeApproximately(Math.PI * 36, 2.3);
    }

    [Fact]
    public void DrawPolyline_Dashed_LeavesGapsAlongTheLine()
    {
        // Given a long horizontal dashed line
        var canvas = new Canvas(200, 10);

        // When drawn 2 px wide
        canvas.DrawLine(5, 5, 195, 5, Color.Black, 2, LinePattern.Dashed);

        // Then some pixels along it are inked and some are gaps, dashes longer than gaps
        var inked = Enumerable.Range(5, 190).Count(x => Coverage(canvas, x, 4) > 0.5);
        inked.Should().BeInRange(90, 150);
    }

    [Fact]
    public void DrawPolyline_TranslucentSelfOverlap_BlendsOnce()
    {
        // Given a translucent line that doubles back over itself
        var canvas = new Canvas(50, 10);

        // When drawn
        canvas.DrawPolyline([5, 45, 5], [5, 5, 5], Color.Black.WithAlpha(0.5), 3);

        // Then the overlap is no darker than a single pass (the mask unions the segments)
        canvas.GetPixel(25, 4).R.Should().Be(canvas.GetPixel(25, 5).R);
        canvas.GetPixel(25, 5).R.Should().BeInRange(126, 129);
    }

    [Fact]
    public void Decimate_DensePoints_KeepsFirstExtremesAndLastPerColumn()
    {
        // Given five points in pixel column 3 and two in column 4
        double[] xs = [3.1, 3.2, 3.5, 3.7, 3.9, 4.2, 4.8];
        double[] ys = [5, 9, 1, 6, 4, 7, 8];

        // When decimated
        var (dx, dy) = Canvas.Decimate(xs, ys);

        // Then column 3 keeps first (5), max (9), min (1), last (4) in order; column 4 keeps both
        dy.Should().Equal(5, 9, 1, 4, 7, 8);
        dx.Should().Equal(3.1, 3.2, 3.5, 3.9, 4.2, 4.8);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(-5, 10)]
    [InlineData(100_000, 100_000)]
    public void Constructor_BadSize_Throws(int width, int height)
    {
        // Given a non-positive or absurd size
        // When a canvas is made
        var act = () => new Canvas(width, height);

        // Then it is refused
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void DrawPolyline_NaNAndNonPositiveWidth_DrawNothingOrBreak()
    {
        // Given NaN points and a zero width
        var canvas = new Canvas(20, 20);

        // When drawn
        canvas.DrawPolyline([1, double.NaN, 5], [1, 2, double.NaN], Color.Black, 0);
        canvas.DrawPolyline([double.NaN, double.NaN], [1, 2], Color.Black, 2);

        // Then nothing is inked
        canvas.Pixels.ToArray().Should().OnlyContain(b => b == 255);
    }

    [Fact]
    public void ColorFromHex_BadText_Throws()
    {
        // Given malformed colours
        // When parsed / Then refused, while a good one parses
        ((Action)(() => Color.FromHex("#12345"))).Should().Throw<ArgumentException>();
        ((Action)(() => Color.FromHex("#GG0000"))).Should().Throw<ArgumentException>();
        Color.FromHex("#0072B2").Should().Be(new Color(0, 0x72, 0xB2));
    }

    private static double DistanceToSegment(double px, double py, double x0, double y0, double x1, double y1)
    {
        var dx = x1 - x0;
        var dy = y1 - y0;
        var t = Math.Clamp((((px - x0) * dx) + ((py - y0) * dy)) / ((dx * dx) + (dy * dy)), 0, 1);
        var ex = x0 + (t * dx) - px;
        var ey = y0 + (t * dy) - py;
        return Math.Sqrt((ex * ex) + (ey * ey));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(1000)]
    public void SortPairs_KeysWithTies_OrdersLikeAStableSortAndCarriesItems(int count)
    {
        // Given keys with many ties (items number the original positions), and slack past count that must stay put
        var keys = Enumerable.Range(0, count + 3).Select(i => (double)((i * 37) % 11)).ToArray();
        var items = Enumerable.Range(0, count + 3).ToArray();
        var expected = items.Take(count).OrderBy(i => keys[i]).ToArray(); // LINQ's OrderBy is stable: the reference

        // When the first count pairs are sorted
        Canvas.SortPairs(keys, items, count, new double[count], new int[count]);

        // Then items follow the stable order, keys are ascending with them, and the slack is untouched
        items.Take(count).Should().Equal(expected);
        keys.Take(count).Should().BeInAscendingOrder();
        items.Skip(count).Should().Equal(count, count + 1, count + 2);
    }

    private struct BlockRecorder : MarketMaking.Charts.Drawing.IBlockVisitor
    {
        public List<(int Offset, int Count)> Blocks;

        public void Visit(int offset, int count) => Blocks.Add((offset, count));
    }

    [Fact]
    public void CoverageMask_TouchedSpansAcrossWords_VisitsExactlyTheirBlocksAndResetClearsThem()
    {
        // Given a 3000-pixel-wide mask (188 blocks of 16: three 64-bit words per row), two spans on row 2 (one
        // crossing from word 0 into word 2, one inside the last, partial block) and a single pixel on row 0
        var mask = new MarketMaking.Charts.Drawing.CoverageMask(3000, 3);
        mask.Touch(2, 1000, 2100);
        mask.Touch(2, 2995, 2999);
        mask.Touch(0, 17, 17);
        mask.Coverage[(2 * 3000) + 1500] = 0.5f;

        // When the dirty blocks are visited
        var recorder = new BlockRecorder { Blocks = [] };
        mask.ForEachDirtyBlock(ref recorder);

        // Then they are the blocks 1000/16 = 62 .. 2100/16 = 131 and the last, 187 (8 pixels wide), of row 2, after block 1 of
        // row 0, top to bottom and left to right (computed by hand from the block width)
        var expected = new List<(int, int)> { (16, 16) };
        for (var b = 62; b <= 131; b++)
        {
            expected.Add(((2 * 3000) + (b * 16), 16));
        }

        expected.Add(((2 * 3000) + 2992, 8));
        recorder.Blocks.Should().Equal(expected);

        // And a reset zeroes them and leaves nothing to visit
        mask.Reset();
        mask.Coverage.Should().OnlyContain(c => c == 0);
        recorder.Blocks.Clear();
        mask.ForEachDirtyBlock(ref recorder);
        recorder.Blocks.Should().BeEmpty();
    }
}

public class OpaqueBlendTests
{
    [Fact]
    public void BlendOpaque_RandomPixelsColoursAndCoverages_EqualsTheScalarBlendByteForByte()
    {
        // Given seeded random opaque pixels, colours (every alpha, 0 and 255 often) and coverages (0, 1 and between)
        var random = new Random(11);
        var canvas = new Canvas(4, 1);
        for (var trial = 0; trial < 20_000; trial++)
        {
            canvas.Clear(Color.White);
            var before = new uint[4];
            var coverage = new float[4];
            for (var x = 0; x < 4; x++)
            {
                var pixel = new Color((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                canvas.FillRectangle(new PixelRect(x, 0, x + 1, 1), pixel);
                before[x] = Packed(canvas.GetPixel(x, 0));
                coverage[x] = random.Next(4) switch { 0 => 0f, 1 => 1f, _ => random.NextSingle() };
            }

            var alpha = random.Next(3) switch { 0 => 255, 1 => 0, _ => random.Next(256) };
            var color = new Color((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)alpha);

            // When four pixels are blended at once, and one by one by the scalar blend
            var vector = Canvas.BlendOpaque(Vector128.Create(before), Vector128.Create(coverage), new Canvas.OpaqueBlend(color));
            for (var x = 0; x < 4; x++)
            {
                canvas.Blend(x * 4, color, coverage[x]);
            }

            // Then every byte is the same
            for (var x = 0; x < 4; x++)
            {
                vector.GetElement(x).Should().Be(Packed(canvas.GetPixel(x, 0)), $"trial {trial}, pixel {x}, colour {color}, coverage {coverage[x]}");
            }
        }
    }

    private static uint Packed(Color c) => c.R | ((uint)c.G << 8) | ((uint)c.B << 16) | ((uint)c.A << 24);
}

public class FiniteMathTests
{
    [Fact]
    public void MinNativeMaxNative_RandomPairsWithTiesAndZeros_EqualTheComparisons()
    {
        // Given seeded random pairs, a third of them tied, with zeros of both signs among them
        var random = new Random(5);
        double[] specials = [0.0, -0.0, 1.0, -1.0, 0.5];
        for (var trial = 0; trial < 10_000; trial++)
        {
            var a = random.Next(4) == 0 ? specials[random.Next(specials.Length)] : (random.NextDouble() - 0.5) * 4;
            var b = random.Next(3) == 0 ? a : random.Next(4) == 0 ? specials[random.Next(specials.Length)] : (random.NextDouble() - 0.5) * 4;

            // When the one-instruction forms are taken, Then they equal a < b ? a : b and a > b ? a : b (zeros as numbers)
            FiniteMath.MinNative(a, b).Should().Be(a < b ? a : b, $"min({a}, {b})");
            FiniteMath.MaxNative(a, b).Should().Be(a > b ? a : b, $"max({a}, {b})");
            FiniteMath.MaxNative((float)a, (float)b).Should().Be((float)a > (float)b ? (float)a : (float)b, $"max({a}f, {b}f)");
        }
    }
}
