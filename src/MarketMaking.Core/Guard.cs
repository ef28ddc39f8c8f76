using System.Globalization;

namespace MarketMaking.Core;

/// <summary>
/// Parameter checks for validated records. Each throws <see cref="InputException"/> naming the field, so a
/// configuration loader can add the file and line and the CLI can print it as one line.
/// </summary>
public static class Guard
{
    public static double Finite(double value, string field)
    {
        if (!double.IsFinite(value))
        {
            throw new InputException($"must be a finite number, got {Format(value)}", field: field);
        }
        return value;
    }

    public static double Positive(double value, string field)
    {
        Finite(value, field);
        if (value <= 0)
        {
            throw new InputException($"must be > 0, got {Format(value)}", field: field);
        }
        return value;
    }

    public static double NonNegative(double value, string field)
    {
        Finite(value, field);
        if (value < 0)
        {
            throw new InputException($"must be >= 0, got {Format(value)}", field: field);
        }
        return value;
    }

    public static double InRange(double value, double min, double max, string field)
    {
        Finite(value, field);
        if (value < min || value > max)
        {
            throw new InputException($"must be in [{Format(min)}, {Format(max)}], got {Format(value)}", field: field);
        }
        return value;
    }

    public static int AtLeast(int value, int min, string field)
    {
        if (value < min)
        {
            throw new InputException($"must be >= {min.ToString(CultureInfo.InvariantCulture)}, got {value.ToString(CultureInfo.InvariantCulture)}", field: field);
        }
        return value;
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
