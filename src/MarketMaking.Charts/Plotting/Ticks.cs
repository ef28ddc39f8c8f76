using System.Globalization;

namespace MarketMaking.Charts;

/// <summary>Axis scale.</summary>
public enum Scale
{
    /// <summary>Values map linearly to pixels.</summary>
    Linear,

    /// <summary>log10 of values maps linearly to pixels; non-positive values are not drawn.</summary>
    Log,
}

/// <summary>One tick: a value, its label (empty for unlabelled minor ticks) and whether it is major.</summary>
/// <remarks>A class, so lists and queries of ticks run the framework's shared, precompiled reference-type code.</remarks>
internal sealed record Tick(double Value, string Label, bool Major);

/// <summary>Tick placement and labelling: 1-2-5 steps for linear axes, decades (with 2 and 5 when few) for log axes.</summary>
internal static class Ticks
{
    /// <summary>The 1-2-5 step closest to span / target.</summary>
    public static double NiceStep(double span, int target)
    {
        var raw = span / Math.Max(1, target);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var normalised = raw / magnitude;
        var nice = normalised < 1.5 ? 1 : normalised < 3 ? 2 : normalised < 7 ? 5 : 10;
        return nice * magnitude;
    }

    /// <summary>Ticks at multiples of a nice step inside [min, max], labelled without float noise.</summary>
    public static List<Tick> Linear(double min, double max, int target)
    {
        if (!(max > min) || !double.IsFinite(min) || !double.IsFinite(max))
        {
            return [];
        }

        var step = NiceStep(max - min, target);
        return AtStep(min, max, step);
    }

    public static List<Tick> AtStep(double min, double max, double step)
    {
        var decimals = Decimals(step);
        var first = (long)Math.Ceiling((min / step) - 1e-9);
        var last = (long)Math.Floor((max / step) + 1e-9);
        var values = new double[Math.Clamp(last - first + 1, 0, 1000)];
        for (var i = 0; i < values.Length; i++)
        {
            var k = first + i;
            values[i] = k == 0 ? 0 : Math.Round(k * step, decimals);
        }

        var labels = FormatAll(values, step);
        var ticks = new List<Tick>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            ticks.Add(new Tick(values[i], labels[i], true));
        }

        return ticks;
    }

    /// <summary>
    /// Decades inside [min, max] (min &gt; 0). Up to three decades the 2 and 5 multiples are labelled too (the
    /// plot drops those labels again if they collide); up to
    /// eight decades 2..9 get unlabelled minor ticks; beyond that every n-th decade is labelled. A range inside
    /// one decade falls back to linear 1-2-5 ticks, which read fine on a short log axis.
    /// </summary>
    public static List<Tick> Log(double min, double max, int target)
    {
        if (!(max > min) || !(min > 0) || !double.IsFinite(max))
        {
            return [];
        }

        var lo = Math.Log10(min);
        var hi = Math.Log10(max);
        var firstDecade = (int)Math.Ceiling(lo - 1e-9);
        var lastDecade = (int)Math.Floor(hi + 1e-9);
        var decades = hi - lo;
        var ticks = new List<Tick>();
        if (decades <= 3.2)
        {
            for (var d = firstDecade - 1; d <= lastDecade; d++)
            {
                for (var m = 1; m <= 9; m++)
                {
                    var v = m * Pow10(d);
                    if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9))
                    {
                        var labelled = m is 1 or 2 or 5;
                        ticks.Add(new Tick(v, labelled ? FormatLog(m, d) : string.Empty, labelled));
                    }
                }
            }

            if (ticks.Count(t => t.Major) < 3)
            {
                var linear = Linear(min, max, target);
                if (linear.Count >= 2)
                {
                    return linear;
                }
            }

            return ticks;
        }

        var every = Math.Max(1, (int)Math.Ceiling(decades / Math.Max(2, target)));
        for (var d = firstDecade - 1; d <= lastDecade; d++)
        {
            var v = Pow10(d);
            if (v >= min * (1 - 1e-9) && d % every == 0)
            {
                ticks.Add(new Tick(v, FormatLog(1, d), true));
            }

            if (decades <= 8)
            {
                for (var m = 2; m <= 9; m++)
                {
                    var minor = m * v;
                    if (minor >= min && minor <= max)
                    {
                        ticks.Add(new Tick(minor, string.Empty, false));
                    }
                }
            }
        }

        return [.. ticks.Where(t => t.Value <= max * (1 + 1e-9)).OrderBy(t => t.Value)];
    }

    /// <summary>10^d exactly as the decimal literal (Math.Pow(10, -3) is not always 0.001).</summary>
    private static double Pow10(int d) => double.Parse("1e" + d.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string FormatLog(int mantissa, int decade)
    {
        var v = mantissa * Pow10(decade);
        return decade is >= -3 and <= 3
            ? v.ToString("R", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{mantissa}e{decade}");
    }

    /// <summary>Smallest number of decimals that writes <paramref name="step"/> exactly (0.2 → 1, 0.25 → 2, 50 → 0).</summary>
    public static int Decimals(double step)
    {
        for (var d = 0; d < 15; d++)
        {
            var scaled = step * Math.Pow(10, d);
            if (Math.Abs(scaled - Math.Round(scaled)) < 1e-6 * Math.Max(1, scaled))
            {
                return d;
            }
        }

        return 15;
    }

    /// <summary>
    /// Labels for ticks spaced by <paramref name="step"/>: rounded to the step's decimals then written shortest
    /// round-trip ("0.3", not "0.30000000000000004"). Axes reaching 10^4 use k/M/B suffixes ("2.5k", "1.5M");
    /// axes whose ticks are all below 10^-3 use exponents ("2.5e-5").
    /// </summary>
    public static string[] FormatAll(IReadOnlyList<double> values, double step)
    {
        var maxAbs = 0.0;
        for (var i = 0; i < values.Count; i++)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs(values[i]));
        }

        var decimals = Decimals(step);
        var labels = new string[values.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = Format(values[i], decimals, maxAbs);
        }

        return labels;
    }

    /// <summary>One label, formatted as it would be on an axis of ticks spaced by <paramref name="step"/>.</summary>
    public static string Format(double value, double step) => Format(value, Decimals(step), Math.Abs(value));

    private static string Format(double value, int decimals, double axisMaxAbs)
    {
        var v = Math.Round(value, Math.Min(decimals, 15));
        if (v == 0 || Math.Abs(v) < 1e-300)
        {
            return "0";
        }

        var abs = Math.Abs(v);
        if (axisMaxAbs >= 1e4 && axisMaxAbs < 1e15 && abs >= 1e3)
        {
            var (divisor, suffix) = abs >= 1e12 ? (1e12, "T") : abs >= 1e9 ? (1e9, "B") : abs >= 1e6 ? (1e6, "M") : (1e3, "k");
            var digits = Math.Clamp(decimals + (int)Math.Round(Math.Log10(divisor)), 0, 15);
            return Math.Round(v / divisor, digits).ToString("R", CultureInfo.InvariantCulture) + suffix;
        }

        if (axisMaxAbs < 1e-3 || abs >= 1e15)
        {
            var exponent = (int)Math.Floor(Math.Log10(abs));
            var mantissa = Math.Round(v / Math.Pow(10, exponent), Math.Clamp(decimals + exponent, 0, 15));
            if (Math.Abs(mantissa) >= 10)
            {
                mantissa /= 10;
                exponent++;
            }

            return string.Create(CultureInfo.InvariantCulture, $"{mantissa:R}e{exponent}");
        }

        return v.ToString("R", CultureInfo.InvariantCulture);
    }
}

/// <summary>Maps data values on one axis to pixels.</summary>
internal readonly record struct AxisMap(double Min, double Max, Scale Scale, double PixelStart, double PixelEnd)
{
    public double ToPixel(double value)
    {
        if (Scale == Scale.Log)
        {
            if (!(value > 0))
            {
                return double.NaN;
            }

            var lo = Math.Log10(Min);
            return PixelStart + ((Math.Log10(value) - lo) / (Math.Log10(Max) - lo) * (PixelEnd - PixelStart));
        }

        return PixelStart + ((value - Min) / (Max - Min) * (PixelEnd - PixelStart));
    }

    public bool Contains(double value) => value >= Math.Min(Min, Max) && value <= Math.Max(Min, Max);
}
