using System.Runtime.Intrinsics;

namespace MarketMaking.Charts;

/// <summary>
/// Plain loops over double arrays for the chart code. ReadyToRun cannot precompile the framework's generic code
/// (LINQ, List, Sort, collection spreads) for value types such as double, so each such call would be compiled at
/// run time; a report run renders a handful of charts once each, where that compilation cost more than the drawing.
/// </summary>
internal static class Values
{
    /// <summary>A copy of the values as an array.</summary>
    public static double[] Copy(IReadOnlyList<double> values)
    {
        if (values is double[] array)
        {
            return (double[])array.Clone();
        }

        var copy = new double[values.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = values[i];
        }

        return copy;
    }

    /// <summary>How many values: an array's length without the interface call, which is compiled at run time for arrays of doubles.</summary>
    public static int Count<T>(IReadOnlyList<T> values) => values is T[] array ? array.Length : values.Count;

    /// <summary>The largest value, or <paramref name="empty"/> when there are none (NaN loses to any number).</summary>
    public static double Max(double[] values, double empty = 0)
    {
        if (values.Length == 0)
        {
            return empty;
        }

        var max = values[0];
        for (var i = 1; i < values.Length; i++)
        {
            max = Math.Max(max, values[i]);
        }

        return max;
    }
}

/// <summary>A growable list of doubles (non-generic, so precompiled; see <see cref="Values"/>).</summary>
internal sealed class DoubleBuffer(int capacity = 16)
{
    private double[] _items = new double[Math.Max(capacity, 4)];

    public int Count { get; private set; }

    public double this[int index] => _items[index];

    public void Add(double value)
    {
        if (Count == _items.Length)
        {
            var grown = new double[_items.Length * 2];
            Array.Copy(_items, grown, Count);
            _items = grown;
        }

        _items[Count++] = value;
    }

    public double[] ToArray()
    {
        var result = new double[Count];
        Array.Copy(_items, result, Count);
        return result;
    }
}

/// <summary>
/// Min, max and clamp for finite numbers as plain comparisons. In this ReadyToRun build Math.Min/Max/Clamp are
/// calls (not inlined across the framework boundary), which made per-pixel and per-sample loops several times
/// slower (200k samples' min and max: 1 ms). Not for NaN or for telling −0 from +0, which Math's versions handle.
/// </summary>
internal static class FiniteMath
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double Min(double a, double b) => a < b ? a : b;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double Max(double a, double b) => a > b ? a : b;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double Clamp(double v, double min, double max) => v < min ? min : v > max ? max : v;

    /// <summary>
    /// <c>a &lt; b ? a : b</c> in one instruction (x86's minsd) rather than a branch, which a per-pixel loop mispredicts
    /// on data. Exact for numbers; elsewhere than x86 only the sign of a zero result may differ.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double MinNative(double a, double b) => Vector128.MinNative(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe(b)).ToScalar();

    /// <summary><c>a &gt; b ? a : b</c> in one instruction (x86's maxsd), as <see cref="MinNative"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double MaxNative(double a, double b) => Vector128.MaxNative(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe(b)).ToScalar();

    /// <summary><c>a &gt; b ? a : b</c> in one instruction (x86's maxss), as <see cref="MinNative"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static float MaxNative(float a, float b) => Vector128.MaxNative(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe(b)).ToScalar();

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int Min(int a, int b) => a < b ? a : b;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int Max(int a, int b) => a > b ? a : b;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int Clamp(int v, int min, int max) => v < min ? min : v > max ? max : v;
}
