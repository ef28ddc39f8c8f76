using System.Globalization;

namespace MarketMaking.Charts.Text;

/// <summary>
/// The project's own single-stroke sans font for printable ASCII (plus a few symbols and Greek letters), drawn with the anti-aliased polyline so it
/// scales cleanly. Glyphs are designed on a grid where the baseline is y = 0, capitals and digits are 10 high,
/// lower case x-height is 7 and descenders reach -3 (y up). Each glyph is strokes separated by ';'; a stroke is
/// points "x,y" and arcs "@cx,cy,rx,ry,fromDeg,toDeg" (anticlockwise when toDeg &gt; fromDeg), joined in order.
/// </summary>
internal static class StrokeFont
{
    /// <summary>Design units above the baseline reserved in the text box (brackets reach 11, '$' 11.5).</summary>
    private const double Ascent = 11.5;

    /// <summary>Design units below the baseline reserved in the text box.</summary>
    private const double Descent = 3.2;

    /// <summary>Pixels per design unit per pixel of font size: capitals are 0.7 of the size.</summary>
    private const double UnitsToEm = 0.07;

    private static readonly (char Char, double Advance, string Strokes)[] Definitions =
    [
        (' ', 5.5, ""),
        ('!', 4, "2,10 2,3; 2,0.1 2,0.6"),
        ('"', 6, "2,10 2,7; 4,10 4,7"),
        ('#', 10, "3.8,10 2.6,0; 7.4,10 6.2,0; 1.2,6.6 9,6.6; 1,3.4 8.8,3.4"),
        ('$', 9, "@4.5,7.5,3.3,2.5,30,270 @4.5,2.5,3.5,2.5,90,-150; 4.5,11.5 4.5,-1.5"),
        ('%', 11, "1.2,0 9.8,10; @2.8,7.8,1.6,2.2,0,360; @8.2,2.2,1.6,2.2,0,360"),
        ('&', 10, "9,0 @4.2,8.3,1.8,1.7,-55,235 @3.6,2.6,2.6,2.6,115,320 8.8,5"),
        ('\'', 4, "2,10 2,7"),
        ('(', 5.5, "@6.5,5,4.5,7,122,238"),
        (')', 5.5, "@-1,5,4.5,7,58,-58"),
        ('*', 8, "4,10 4,4; 1.4,8.5 6.6,5.5; 1.4,5.5 6.6,8.5"),
        ('+', 9.5, "4.75,8.5 4.75,1.5; 1.25,5 8.25,5"),
        (',', 4, "2,0.6 2,-0.2 1.2,-2"),
        ('-', 8, "1.5,4 6.5,4"),
        ('.', 4, "2,0.1 2,0.6"),
        ('/', 7, "0.5,-1 6.5,11"),
        ('0', 9, "@4.5,5,3.5,5,0,360"),
        ('1', 9, "2.2,7.8 5.2,10 5.2,0"),
        ('2', 9, "@4.5,7,3.5,3,160,-35 1,0 8.2,0"),
        ('3', 9, "@4.5,7.5,3.2,2.5,150,-90 @4.5,2.6,3.5,2.6,90,-150"),
        ('4', 9, "6.5,0 6.5,10 1,2.8 8.5,2.8"),
        ('5', 9, "7.6,10 2.3,10 1.7,5.4 @4.5,3.2,3.5,3.2,140,-150"),
        ('6', 9, "@5.5,3.2,4.5,6.8,62,180 @4.5,3.2,3.5,3.2,180,540"),
        ('7', 9, "1,10 8,10 3.5,0"),
        ('8', 9, "@4.5,7.6,3,2.4,0,360; @4.5,2.6,3.5,2.6,0,360"),
        ('9', 9, "@4.5,6.8,3.5,3.2,0,360 @3.5,6.8,4.5,6.8,0,-118"),
        (':', 4, "2,6.4 2,6.9; 2,0.1 2,0.6"),
        (';', 4, "2,6.4 2,6.9; 2,0.6 2,-0.2 1.2,-2"),
        ('<', 9, "8,8.5 1,5 8,1.5"),
        ('=', 9, "1,6.5 8,6.5; 1,3.5 8,3.5"),
        ('>', 9, "1,8.5 8,5 1,1.5"),
        ('?', 8.5, "@4.2,7.5,3,2.5,160,-55 4.2,4.3 4.2,2.8; 4.2,0.1 4.2,0.6"),
        ('@', 12, "@5.8,4.8,2,2.2,0,360; 7.8,7 7.8,3.4 @9.2,3.4,1.4,1.4,180,360 @6,5,4.6,5.2,0,320"),
        ('A', 10, "1,0 5,10 9,0; 2.6,3.6 7.4,3.6"),
        ('B', 10, "1.5,0 1.5,10 5.2,10 @5.2,7.5,2.5,2.5,90,-90 1.5,5; 5.2,5 @5.6,2.5,2.9,2.5,90,-90 1.5,0"),
        ('C', 10, "@5.6,5,4.3,5,42,318"),
        ('D', 10.5, "1.5,0 1.5,10 4.5,10 @4.5,5,4.5,5,90,-90 1.5,0"),
        ('E', 9, "8,10 1.5,10 1.5,0 8,0; 1.5,5 6.8,5"),
        ('F', 8.5, "8,10 1.5,10 1.5,0; 1.5,5 6.8,5"),
        ('G', 11, "@5.6,5,4.4,5,45,340 9.8,4.4 6.2,4.4"),
        ('H', 10, "1.5,0 1.5,10; 8.5,0 8.5,10; 1.5,5 8.5,5"),
        ('I', 5, "1,10 4,10; 2.5,10 2.5,0; 1,0 4,0"),
        ('J', 8, "6.2,10 6.2,3 @3.7,3,2.5,3,0,-180"),
        ('K', 9.5, "1.5,0 1.5,10; 8.5,10 1.5,3.3; 3.9,5.6 8.8,0"),
        ('L', 8.5, "1.5,10 1.5,0 8,0"),
        ('M', 12, "1.5,0 1.5,10 6,0 10.5,10 10.5,0"),
        ('N', 10, "1.5,0 1.5,10 8.5,0 8.5,10"),
        ('O', 11, "@5.5,5,4.4,5,0,360"),
        ('P', 9.5, "1.5,0 1.5,10 5.3,10 @5.3,7.3,2.8,2.7,90,-90 1.5,4.6"),
        ('Q', 11, "@5.5,5,4.4,5,0,360; 6.4,2.6 9.8,-0.6"),
        ('R', 10, "1.5,0 1.5,10 5.3,10 @5.3,7.3,2.8,2.7,90,-90 1.5,4.6; 5,4.6 8.6,0"),
        ('S', 9, "@4.5,7.5,3.3,2.5,30,270 @4.5,2.5,3.5,2.5,90,-150"),
        ('T', 9, "0.5,10 8.5,10; 4.5,10 4.5,0"),
        ('U', 10, "1.5,10 1.5,3.5 @5,3.5,3.5,3.5,180,360 8.5,10"),
        ('V', 9.5, "0.5,10 4.75,0 9,10"),
        ('W', 12.5, "0.5,10 3.2,0 6.25,8.5 9.3,0 12,10"),
        ('X', 9.5, "1,10 8.5,0; 8.5,10 1,0"),
        ('Y', 9.5, "0.5,10 4.75,5 9,10; 4.75,5 4.75,0"),
        ('Z', 9.5, "1,10 8.5,10 1,0 8.5,0"),
        ('[', 5, "4,11 1.5,11 1.5,-1 4,-1"),
        ('\\', 7, "0.5,11 6.5,-1"),
        (']', 5, "1,11 3.5,11 3.5,-1 1,-1"),
        ('^', 8, "1.5,7 4,10 6.5,7"),
        ('_', 8, "0,-1.5 8,-1.5"),
        ('`', 5, "2,10 3.5,8.5"),
        ('a', 8.5, "7,7 7,0; @4.1,3.5,2.9,3.5,0,360"),
        ('b', 8.5, "1.5,10 1.5,0; @4.4,3.5,2.9,3.5,0,360"),
        ('c', 8, "@4.3,3.5,3,3.5,48,312"),
        ('d', 8.5, "7,10 7,0; @4.1,3.5,2.9,3.5,0,360"),
        ('e', 8.5, "1.2,3.5 7.2,3.5 @4.2,3.5,3,3.5,0,312"),
        ('f', 6, "6.2,9.7 @5,8,1.8,2,70,180 3.2,0; 1,7 5.8,7"),
        ('g', 8.5, "7,7 7,-0.5 @4.2,-0.5,2.8,2.5,0,-165; @4.1,3.5,2.9,3.5,0,360"),
        ('h', 8.5, "1.5,10 1.5,0; @4.25,4.3,2.75,2.7,180,0 7,0"),
        ('i', 4, "2,7 2,0; 2,9.2 2,9.7"),
        ('j', 5, "3.3,7 3.3,-1 @1.5,-1,1.8,2,0,-150; 3.3,9.2 3.3,9.7"),
        ('k', 8, "1.5,10 1.5,0; 7,7 1.5,2.5; 3.6,4.2 7.2,0"),
        ('l', 4, "2,10 2,0"),
        ('m', 11.5, "1.5,7 1.5,0; @3.6,4.6,2.1,2.4,180,0 5.7,0; 5.7,4.6 @7.8,4.6,2.1,2.4,180,0 9.9,0"),
        ('n', 8.5, "1.5,7 1.5,0; @4.25,4.3,2.75,2.7,180,0 7,0"),
        ('o', 8.6, "@4.3,3.5,3,3.5,0,360"),
        ('p', 8.5, "1.5,7 1.5,-3; @4.4,3.5,2.9,3.5,0,360"),
        ('q', 8.5, "7,7 7,-3; @4.1,3.5,2.9,3.5,0,360"),
        ('r', 6.5, "1.5,7 1.5,0; @4.3,4,2.8,3,180,70"),
        ('s', 7.5, "@3.8,5.3,2.6,1.7,30,270 @3.8,1.8,2.8,1.8,90,-150"),
        ('t', 6.5, "3,9.5 3,1.3 @4.5,1.3,1.5,1.3,180,290; 1,7 5.8,7"),
        ('u', 8.5, "1.5,7 1.5,2.7 @4.25,2.7,2.75,2.7,180,360; 7,7 7,0"),
        ('v', 8, "1,7 4,0 7,7"),
        ('w', 10.5, "0.8,7 3,0 5.25,6 7.5,0 9.7,7"),
        ('x', 8, "1,7 7,0; 7,7 1,0"),
        ('y', 8.4, "1,7 4.2,0; 7.4,7 3.6,-1.8 2.8,-2.8 1.6,-3"),
        ('z', 8.2, "1.2,7 7,7 1.2,0 7,0"),
        ('{', 6, "4.5,11 3.5,10.5 3.2,9.5 3.2,6.5 2.8,5.4 1.5,5 2.8,4.6 3.2,3.5 3.2,0.5 3.5,-0.5 4.5,-1"),
        ('|', 4, "2,11 2,-1"),
        ('}', 6, "1.5,11 2.5,10.5 2.8,9.5 2.8,6.5 3.2,5.4 4.5,5 3.2,4.6 2.8,3.5 2.8,0.5 2.5,-0.5 1.5,-1"),
        ('~', 8, "1,4.3 1.8,5.1 2.8,5.4 3.8,5 5.2,4.4 6.2,4.6 7,5.4"),

        // Symbols and the Greek letters model parameters are named with (sigma, kappa, gamma, lambda...).
        ('\u00B0', 5, "@2.5,8.5,1.5,1.5,0,360"),
        ('\u00B1', 9.5, "4.75,8.5 4.75,2.5; 1.25,5.5 8.25,5.5; 1.25,0.5 8.25,0.5"),
        ('\u00B7', 4, "2,4.3 2,4.8"),
        ('\u00D7', 9, "1.8,7.5 7.2,2.5; 7.2,7.5 1.8,2.5"),
        ('\u2264', 9, "8,9.5 1,6.5 8,3.5; 1,1.5 8,1.5"),
        ('\u2265', 9, "1,9.5 8,6.5 1,3.5; 1,1.5 8,1.5"),
        ('\u2248', 9, "1,6 1.8,6.8 2.8,7.1 3.8,6.7 5.2,6.1 6.2,6.3 8,7.1; 1,3 1.8,3.8 2.8,4.1 3.8,3.7 5.2,3.1 6.2,3.3 8,4.1"),
        ('\u0394', 10, "1,0 5,10 9,0 1,0"),
        ('\u03A3', 9, "8,10 1,10 5,5 1,0 8,0"),
        ('\u03B1', 8.5, "@3.8,3.5,2.8,3.5,0,360; 7.2,7.2 6.6,3.5 7.4,0.2 8,0"),
        ('\u03B2', 8.5, "1.5,-3 1.5,7.6 @3.8,7.6,2.3,2.4,180,-90 @3.9,2.6,3,2.6,90,-130"),
        ('\u03B3', 8, "0.8,7 4,-0.5; 7.2,7 4,-0.5 @4,-1.9,0.7,1.1,90,450"),
        ('\u03B4', 8.5, "@4.2,2.9,2.9,2.9,0,360; 4,5.8 2.3,7.8 @3.9,9,1.9,1.2,200,0"),
        ('\u03B5', 7.5, "@4.2,5.3,2.6,1.7,60,270 @4.2,1.8,2.8,1.8,90,300; 2,3.6 4.4,3.6"),
        ('\u03B8', 8.5, "@4.25,5,2.75,5,0,360; 1.5,5 7,5"),
        ('\u03BA', 7.8, "1.5,7 1.5,0; 6.8,7 1.5,2.8; 3.4,4 6.9,0"),
        ('\u03BB', 8, "1.2,10 7.2,0; 4.3,4.8 1,0"),
        ('\u03BC', 8.5, "1.5,7 1.5,-3; 1.5,2.7 @4.25,2.7,2.75,2.7,180,360; 7,7 7,0"),
        ('\u03C0', 9, "1,7 8,7; 2.8,7 2.8,0; 6.2,7 6.2,0"),
        ('\u03C1', 8.5, "1.5,-3 1.5,3.5 @4.3,3.5,2.8,3.5,180,540"),
        ('\u03C3', 8.5, "8,7 3.8,7; @3.8,3.5,2.8,3.5,0,360"),
        ('\u03C4', 8, "1,7 7,7; 4,7 4,0"),
        ('\u03C6', 9, "@4.5,3.5,3.2,3.5,0,360; 4.5,9 4.5,-3"),
        ('\u03C9', 11, "2.2,7 @3.4,2.6,2,2.6,160,360 5.5,3.5 @7.6,2.6,2,2.6,180,380 8.8,7"),
    ];

    /// <summary>Glyphs indexed by character code (the highest defined is Greek omega): a lookup without generic code.</summary>
    private static readonly Glyph?[] Glyphs = BuildGlyphs();

    private static Glyph?[] BuildGlyphs()
    {
        var highest = 0;
        foreach (var d in Definitions)
        {
            highest = Math.Max(highest, d.Char);
        }

        var glyphs = new Glyph?[highest + 1];
        foreach (var d in Definitions)
        {
            glyphs[d.Char] = new Glyph(d.Advance, Parse(d.Strokes));
        }

        return glyphs;
    }

    /// <summary>True when the character has a glyph (others draw as '?').</summary>
    public static bool Supports(char c) => c < Glyphs.Length && Glyphs[c] is not null;

    /// <summary>Stroke width in pixels: about 8% of the size, never under one pixel.</summary>
    public static double StrokeWidth(double size, bool bold) => Math.Max(1.0, size * 0.08) * (bold ? 1.45 : 1.0);

    public static TextSize Measure(string text, double size, bool bold) => Measure(text, size, StrokeWidth(size, bold));

    /// <summary>The box that holds every pixel the text inks, stroke width and anti-aliasing included.</summary>
    public static TextSize Measure(string text, double size, double weight)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scale = size * UnitsToEm;
        var advance = 0.0;
        foreach (var c in text)
        {
            advance += GlyphFor(c).Advance;
        }

        var pad = Padding(weight);
        return new TextSize((advance * scale) + (2 * pad), ((Ascent + Descent) * scale) + (2 * pad));
    }

    /// <summary>Stroke polylines (x, y pairs) in text-box pixels: x right from the box's left, y down from its top.</summary>
    public static IEnumerable<double[]> Layout(string text, double size, double weight)
    {
        var scale = size * UnitsToEm;
        var pad = Padding(weight);
        var penX = pad;
        var baseline = pad + (Ascent * scale);
        foreach (var c in text)
        {
            var glyph = GlyphFor(c);
            foreach (var stroke in glyph.Strokes)
            {
                var points = new double[stroke.Length];
                for (var i = 0; i < stroke.Length; i += 2)
                {
                    points[i] = penX + (stroke[i] * scale);
                    points[i + 1] = baseline - (stroke[i + 1] * scale);
                }

                yield return points;
            }

            penX += glyph.Advance * scale;
        }
    }

    private static double Padding(double weight) => (weight / 2) + 1;

    private static Glyph GlyphFor(char c) => (c < Glyphs.Length ? Glyphs[c] : null) ?? Substitute(c);

    private static Glyph Substitute(char c) => c switch
    {
        '\u2212' or '\u2013' or '\u2014' => Glyphs['-']!,
        '\u00A0' => Glyphs[' ']!,
        _ => Glyphs['?']!,
    };

    private static double[][] Parse(string definition)
    {
        var strokes = new List<double[]>();
        foreach (var stroke in definition.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var points = new DoubleBuffer();
            foreach (var token in stroke.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (token[0] == '@')
                {
                    var a = Numbers(token[1..]);
                    double cx = a[0], cy = a[1], rx = a[2], ry = a[3], from = a[4], to = a[5];
                    // About 10 degrees per chord: smooth at 24 px, cheap at 10 px.
                    var steps = Math.Max(2, (int)Math.Ceiling(Math.Abs(to - from) / 10));
                    for (var k = 0; k <= steps; k++)
                    {
                        var angle = (from + ((to - from) * k / steps)) * Math.PI / 180;
                        points.Add(cx + (rx * Math.Cos(angle)));
                        points.Add(cy + (ry * Math.Sin(angle)));
                    }
                }
                else
                {
                    var p = Numbers(token);
                    points.Add(p[0]);
                    points.Add(p[1]);
                }
            }

            strokes.Add(points.ToArray());
        }

        return [.. strokes];
    }

    private static double[] Numbers(string csv)
    {
        var parts = csv.Split(',');
        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            numbers[i] = double.Parse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return numbers;
    }

    private sealed record Glyph(double Advance, double[][] Strokes);
}
