using System.Globalization;

namespace MarketMaking.Charts;

/// <summary>An sRGB colour with straight (not premultiplied) alpha.</summary>
public readonly record struct Color(byte R, byte G, byte B, byte A = 255)
{
    /// <summary>Opaque white.</summary>
    public static Color White => new(255, 255, 255);

    /// <summary>Opaque black.</summary>
    public static Color Black => new(0, 0, 0);

    /// <summary>Fully transparent.</summary>
    public static Color Transparent => new(0, 0, 0, 0);

    /// <summary>Parses <c>#RRGGBB</c> or <c>#RRGGBBAA</c>.</summary>
    public static Color FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var s = hex.StartsWith('#') ? hex[1..] : hex;
        if (s.Length is not (6 or 8) || !uint.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
        {
            throw new ArgumentException($"'{hex}' is not a colour of the form #RRGGBB or #RRGGBBAA", nameof(hex));
        }

        if (s.Length == 6)
        {
            v = (v << 8) | 0xFF;
        }

        return new Color((byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v);
    }

    /// <summary>The same colour with opacity <paramref name="alpha"/> in [0, 1].</summary>
    public Color WithAlpha(double alpha) => this with { A = (byte)Math.Round(Math.Clamp(alpha, 0, 1) * 255) };

    /// <summary>Linear interpolation between two colours (t in [0, 1]).</summary>
    public static Color Lerp(Color a, Color b, double t)
    {
        t = Math.Clamp(t, 0, 1);
        return new Color(Mix(a.R, b.R, t), Mix(a.G, b.G, t), Mix(a.B, b.B, t), Mix(a.A, b.A, t));

        static byte Mix(byte x, byte y, double t) => (byte)Math.Round(x + ((y - x) * t));
    }

    /// <inheritdoc/>
    public override string ToString() => A == 255
        ? string.Create(CultureInfo.InvariantCulture, $"#{R:X2}{G:X2}{B:X2}")
        : string.Create(CultureInfo.InvariantCulture, $"#{R:X2}{G:X2}{B:X2}{A:X2}");
}

/// <summary>Colour-blind-safe series colours (Okabe &amp; Ito 2008), ordered for contrast on white.</summary>
public static class Palette
{
    private static readonly Color[] Colours =
    [
        Color.FromHex("#0072B2"), Color.FromHex("#D55E00"), Color.FromHex("#009E73"), Color.FromHex("#E69F00"),
        Color.FromHex("#56B4E9"), Color.FromHex("#CC79A7"), Color.FromHex("#000000"), Color.FromHex("#F0E442"),
    ];

    /// <summary>Blue, vermillion, bluish green, orange, sky blue, reddish purple, black, yellow.</summary>
    public static IReadOnlyList<Color> OkabeIto => _okabeIto ??= Array.AsReadOnly(Colours);

    /// <summary>Made on first use only: the renderers read <see cref="Colours"/> and never need the generic wrapper.</summary>
    private static IReadOnlyList<Color>? _okabeIto;

    /// <summary>How many colours there are before they cycle.</summary>
    internal static int Count => Colours.Length;

    /// <summary>The colour for the series at <paramref name="index"/> (cycles).</summary>
    public static Color Get(int index) => Colours[((index % Colours.Length) + Colours.Length) % Colours.Length];
}

/// <summary>Perceptually uniform colour maps for heatmaps.</summary>
public static class Colormap
{
    // matplotlib's viridis sampled at 0, 1/8, ..., 1; linear interpolation between these nine stays within a few
    // levels of the full 256-entry table, and keeps the map's monotone lightness.
    private static readonly Color[] ViridisStops =
    [
        Color.FromHex("#440154"), Color.FromHex("#472C7A"), Color.FromHex("#3B518B"), Color.FromHex("#2C718E"),
        Color.FromHex("#21908D"), Color.FromHex("#27AD81"), Color.FromHex("#5CC863"), Color.FromHex("#AADC32"),
        Color.FromHex("#FDE725"),
    ];

    /// <summary>Viridis at <paramref name="t"/> in [0, 1] (clamped); NaN gives light grey.</summary>
    public static Color Viridis(double t)
    {
        if (double.IsNaN(t))
        {
            return new Color(220, 220, 220);
        }

        var x = Math.Clamp(t, 0, 1) * (ViridisStops.Length - 1);
        var i = Math.Min((int)x, ViridisStops.Length - 2);
        return Color.Lerp(ViridisStops[i], ViridisStops[i + 1], x - i);
    }
}
