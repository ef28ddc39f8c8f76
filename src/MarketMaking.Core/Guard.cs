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

    /// <summary>
    /// Refuses a list in which a name appears twice, naming the first (in list order) that does: "{kind} 'name' is
    /// listed twice". Loops rather than LINQ's grouping: a handful of names, and grouping is cold code that every
    /// process (and a backtest's warm-up, ahead of the kernels it compiles) would pay for.
    /// </summary>
    public static void UniqueNames<T>(IReadOnlyList<T> items, Func<T, string> name, string kind, string field)
    {
        for (var i = 0; i < items.Count; i++)
        {
            for (var j = i + 1; j < items.Count; j++)
            {
                if (string.Equals(name(items[i]), name(items[j]), StringComparison.Ordinal))
                {
                    throw new InputException($"{kind} '{name(items[i])}' is listed twice", field: field);
                }
            }
        }
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
