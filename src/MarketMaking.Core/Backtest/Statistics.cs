using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MarketMaking.Core.Backtest;

/// <summary>A Monte Carlo figure and its standard error (NaN when it cannot be estimated, e.g. from one path).</summary>
public readonly record struct Estimate(double Value, double StandardError)
{
    public static readonly Estimate Missing = new(double.NaN, double.NaN);
}

/// <summary>
/// Count, mean and sum of squared deviations about the mean (M2) of a sample's finite values: a summary that merges
/// with the next group's in a fixed order (Chan, Golub and LeVeque 1979), so a mean and its standard error need no
/// stored sample, only one summary per group.
/// </summary>
public readonly struct Moments
{
    private Moments(double count, double mean, double m2)
    {
        Count = count;
        Mean = mean;
        M2 = m2;
    }

    public static Moments Empty => default;

    public double Count { get; }
    public double Mean { get; }
    public double M2 { get; }

    /// <summary>Sample standard deviation (n − 1); NaN below two values.</summary>
    public double Std => Count > 1 ? Math.Sqrt(M2 / (Count - 1)) : double.NaN;

    /// <summary>The mean and its standard error, Std/√n: NaN error from one value, <see cref="Estimate.Missing"/> from none.</summary>
    public Estimate Estimate => Count == 0 ? Estimate.Missing : new Estimate(Mean, Count > 1 ? Std / Math.Sqrt(Count) : double.NaN);

    /// <summary>The moments of the finite values, two-pass (the mean first, then squares about it), in a fixed order (see the indexed form).</summary>
    public static Moments Of(ReadOnlySpan<double> values) => Of(new SpanSample(values));

    /// <summary>
    /// As <see cref="Of(ReadOnlySpan{double})"/> for values worked out on the fly (a paired difference, say), read twice
    /// instead of stored: at 2·10^5 paths a stored copy is 1.6 MB of fresh memory.
    /// </summary>
    /// <remarks>
    /// Four running sums (value i into sum i mod 4), added pairwise at the end: a single sum is a chain of dependent
    /// additions, four latencies per value; four chains overlap. The order is fixed, so the bits are too. The sums are
    /// the lanes of two 128-bit vectors, non-finite values masked to +0: the sums start at +0 and so never become −0, and
    /// adding +0 to them changes nothing, so the bits are those of the scalar loop that skips them. 128 bits, not 256:
    /// ReadyToRun precompiles them (wider vectors are compiled at run time, on the first batch's path).
    /// </remarks>
    public static Moments Of<TSample>(TSample sample)
        where TSample : IIndexedSample, allows ref struct
    {
        var length = sample.Length;
        var whole = length & ~3;
        var infinity = Vector128.Create(double.PositiveInfinity);
        Vector128<double> low = Vector128<double>.Zero, high = Vector128<double>.Zero;
        var n = 0;
        for (var i = 0; i < whole; i += 4)
        {
            var v = sample.Pair(i);
            var w = sample.Pair(i + 2);
            var finiteV = Vector128.LessThan(Vector128.Abs(v), infinity);
            var finiteW = Vector128.LessThan(Vector128.Abs(w), infinity);
            low += v & finiteV;
            high += w & finiteW;
            n += BitOperations.PopCount(finiteV.ExtractMostSignificantBits() | (finiteW.ExtractMostSignificantBits() << 2));
        }
        double s0 = low[0], s1 = low[1], s2 = high[0], s3 = high[1];
        for (var i = whole; i < length; i++) AddFinite(ref s0, ref n, sample[i]);
        if (n == 0) return Empty;
        var mean = ((s0 + s1) + (s2 + s3)) / n;
        var means = Vector128.Create(mean);
        low = high = Vector128<double>.Zero;
        for (var i = 0; i < whole; i += 4)
        {
            var v = sample.Pair(i);
            var w = sample.Pair(i + 2);
            var d = v - means;
            var e = w - means;
            low += (d * d) & Vector128.LessThan(Vector128.Abs(v), infinity);
            high += (e * e) & Vector128.LessThan(Vector128.Abs(w), infinity);
        }
        s0 = low[0];
        s1 = low[1];
        s2 = high[0];
        s3 = high[1];
        for (var i = whole; i < length; i++) AddSquareFinite(ref s0, sample[i], mean);
        return new Moments(n, mean, (s0 + s1) + (s2 + s3));
    }

    private static void AddFinite(ref double sum, ref int n, double v)
    {
        if (!double.IsFinite(v)) return;
        n++;
        sum += v;
    }

    private static void AddSquareFinite(ref double sum, double v, double mean)
    {
        if (double.IsFinite(v)) sum += (v - mean) * (v - mean);
    }

    private readonly ref struct SpanSample(ReadOnlySpan<double> values) : IIndexedSample
    {
        private readonly ReadOnlySpan<double> _values = values;

        public int Length => _values.Length;
        public double this[int index] => _values[index];
        public Vector128<double> Pair(int index) => Vector128.Create(_values.Slice(index, 2));
    }

    /// <summary>
    /// Groups of <paramref name="groupSize"/> values each, given by their means and M2s, pooled: count n·size, the
    /// mean of the means, and ΣM2 + size·Σ(mean − grand mean)². Groups with a non-finite mean are left out.
    /// </summary>
    public static Moments Pooled(double groupSize, ReadOnlySpan<double> means, ReadOnlySpan<double> m2s)
    {
        if (!(groupSize > 0) || double.IsInfinity(groupSize)) throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "a positive group size");
        if (m2s.Length != means.Length) throw new ArgumentException("one M2 per mean", nameof(m2s));
        var ofMeans = Of(means);
        if (ofMeans.Count == 0) return Empty;
        var within = 0.0;
        for (var i = 0; i < means.Length; i++)
        {
            if (double.IsFinite(means[i])) within += m2s[i];
        }
        return new Moments(ofMeans.Count * groupSize, ofMeans.Mean, within + groupSize * ofMeans.M2);
    }

    /// <summary>These values followed by <paramref name="next"/>'s (Chan et al.): exact in exact arithmetic, stable in floating point.</summary>
    public Moments Then(Moments next)
    {
        if (next.Count == 0) return this;
        if (Count == 0) return next;
        var n = Count + next.Count;
        var delta = next.Mean - Mean;
        return new Moments(n, Mean + delta * (next.Count / n), M2 + next.M2 + delta * delta * (Count * next.Count / n));
    }
}

/// <summary>A sample read by index: the same value every time an index is read.</summary>
public interface IIndexedSample
{
    int Length { get; }
    double this[int index] { get; }

    /// <summary>Values <paramref name="index"/> and <paramref name="index"/> + 1, as this[] gives them (the index + 1 below <see cref="Length"/>).</summary>
    Vector128<double> Pair(int index);
}

/// <summary>Statistics of a sample, which they may reorder.</summary>
public delegate double[] SampleStatistics(Span<double> values);

/// <summary>Summary statistics in a fixed order of operations, so results never depend on threads.</summary>
public static class Statistics
{
    /// <summary>Mean, its standard error and the sample standard deviation (n − 1) of the finite values, two-pass.</summary>
    public static (Estimate Mean, double Std) MeanAndStd(ReadOnlySpan<double> values)
    {
        var moments = Moments.Of(values);
        return (moments.Estimate, moments.Std);
    }

    public static Estimate Mean(ReadOnlySpan<double> values) => MeanAndStd(values).Mean;

    /// <summary>Quantile at probability p with linear interpolation between order statistics (numpy's default); reorders <paramref name="values"/>.</summary>
    public static double Quantile(Span<double> values, double p)
    {
        if (values.Length == 0) return double.NaN;
        var position = p * (values.Length - 1);
        var k = (int)Math.Floor(position);
        var low = SelectWithNext(values, k, out var high);
        if (k + 1 >= values.Length) return low;
        return low + (position - k) * (high - low);
    }

    /// <summary>
    /// Several quantiles of one sample, <paramref name="probabilities"/> ascending: each selection works on the part
    /// right of the previous one, so all of them cost a few passes. Reorders <paramref name="values"/>.
    /// </summary>
    public static void Quantiles(Span<double> values, ReadOnlySpan<double> probabilities, Span<double> result)
    {
        for (var q = 1; q < probabilities.Length; q++)
        {
            if (!(probabilities[q] >= probabilities[q - 1])) throw new ArgumentException("probabilities must be ascending", nameof(probabilities));
        }
        var from = 0;
        for (var q = 0; q < probabilities.Length; q++)
        {
            if (values.Length == 0)
            {
                result[q] = double.NaN;
                continue;
            }
            var position = probabilities[q] * (values.Length - 1);
            var k = (int)Math.Floor(position);
            var low = SelectWithNext(values[from..], k - from, out var high);
            // The last value alone (as Quantile): interpolating towards itself would turn an infinite maximum into NaN.
            result[q] = k + 1 < values.Length ? low + (position - k) * (high - low) : low;
            from = k;
        }
    }

    /// <summary>
    /// Value at risk and expected shortfall at tail probability α of a P&amp;L sample, both as positive losses:
    /// VaR = −q_α, ES = −mean of the ⌊α(n−1)⌋+1 smallest values, summed smallest first (an order of their own, so the
    /// result does not depend on how the selection arranged them). Reorders <paramref name="values"/>.
    /// </summary>
    public static (double Var, double Es) Tail(Span<double> values, double alpha)
    {
        if (values.Length == 0) return (double.NaN, double.NaN);
        var q = Quantile(values, alpha);
        // A NaN quantile: the tail holds NaN (they count as largest), and so does its mean.
        if (double.IsNaN(q)) return (double.NaN, double.NaN);
        var k = (int)Math.Floor(alpha * (values.Length - 1));
        // After Quantile's selection, values[0..k] hold the k+1 smallest.
        Sort(values[..(k + 1)]);
        return (-q, -SumInOrder(values[..(k + 1)]) / (k + 1));
    }

    /// <summary>VaR and ES at 5% and at 1% of a P&amp;L sample in one selection pass; reorders <paramref name="values"/>.</summary>
    public static (double Var95, double Es95, double Var99, double Es99) Tails(Span<double> values)
    {
        var (var95, es95) = Tail(values, 0.05);
        if (values.Length == 0 || double.IsNaN(var95)) return (var95, es95, double.NaN, double.NaN);
        // The 1% tail lies inside the 5% one, which Tail has just moved to the front and sorted.
        var position = 0.01 * (values.Length - 1);
        var k = (int)Math.Floor(position);
        var low = values[k];
        // The next order statistic: inside the sorted 5% tail, or, when that tail is this one value (under 21 values),
        // the smallest of the rest, which are all above it.
        var k95 = (int)Math.Floor(0.05 * (values.Length - 1));
        var high = k + 1 <= k95 ? values[k + 1] : k + 1 < values.Length ? Min(values[(k + 1)..]) : low;
        var q99 = low + (position - k) * (high - low);
        return (var95, es95, -q99, -SumInOrder(values[..(k + 1)]) / (k + 1));
    }

    private static double SumInOrder(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return sum;
    }

    /// <summary>
    /// Several statistics, each with a batch-means standard error: computed on the whole sample and on
    /// <paramref name="groups"/> contiguous groups; SE = sd(group values)/√groups (NaN with fewer than 2 groups or
    /// 2·groups values). For a large sample the caller no longer needs in order (up to 2^22 one-step P&amp;L values):
    /// each group is copied into one reused buffer, then the whole sample is used in place and reordered, instead of
    /// a copy of the whole and one of each group.
    /// </summary>
    public static Estimate[] WithBatchErrorsInPlace(Span<double> sample, int groups, SampleStatistics statistics)
    {
        if (groups < 2 || sample.Length < 2 * groups) return statistics(sample).Select(v => new Estimate(v, double.NaN)).ToArray();
        double[][]? estimates = null;
        var buffer = new double[sample.Length / groups + 1];
        for (var g = 0; g < groups; g++)
        {
            var from = (int)((long)sample.Length * g / groups);
            var to = (int)((long)sample.Length * (g + 1) / groups);
            var group = buffer.AsSpan(0, to - from);
            sample.Slice(from, to - from).CopyTo(group);
            var values = statistics(group);
            if (estimates is null)
            {
                estimates = new double[values.Length][];
                for (var s = 0; s < values.Length; s++) estimates[s] = new double[groups];
            }
            for (var s = 0; s < values.Length; s++) estimates[s][g] = values[s];
        }
        // Last, as it reorders the sample the groups were cut from.
        return statistics(sample).Select((v, s) => new Estimate(v, MeanAndStd(estimates![s]).Std / Math.Sqrt(groups))).ToArray();
    }

    /// <summary>
    /// Moves the k-th smallest value (0-based) to index k, values not above it before it and values not below it after;
    /// returns it. NaN counts as larger than every number (as numpy's partition has it).
    /// </summary>
    /// <remarks>
    /// Quickselect with branch-free partitions (a data-dependent branch per element mispredicts half the time on
    /// random data), a pivot drawn from a sample at k's rank in large ranges (so few passes are needed for a tail
    /// quantile), and a second, equality partition only when the pivot is the range's minimum, which makes runs of
    /// ties terminate.
    /// </remarks>
    public static double Select(Span<double> values, int k) => SelectWithNext(values, k, out _);

    /// <summary>
    /// As <see cref="Select"/>, and <paramref name="next"/> the (k+1)-th smallest as <see cref="Min"/> of
    /// values[(k+1)..] gives it (NaN when any value is NaN; undefined when k is the last index), read from the last
    /// range the selection narrowed to, or the part it last set aside above that range, whose values lie below every
    /// value after it: a quantile's interpolation needs it, and a pass over the whole rest of the sample cost about
    /// as much as the selection itself.
    /// </summary>
    private static double SelectWithNext(Span<double> values, int k, out double next)
    {
        if ((uint)k >= (uint)values.Length) throw new ArgumentOutOfRangeException(nameof(k));
        var hi = values.Length;
        if (ContainsNaN(values))
        {
            hi = MoveNaNsLast(values);
            // Every value after k is NaN or a number followed by the NaNs: Min gives NaN either way.
            next = double.NaN;
            return k >= hi ? values[k] : Select(values[..hi], k);
        }
        ref var a = ref MemoryMarshal.GetReference(values);
        var lo = 0;
        // The end of the part last set aside above [lo, hi): its values are at least every value in [lo, hi) and at
        // most every value after it.
        var above = hi;
        double selected;
        while (true)
        {
            if (hi - lo <= InsertionSortSize)
            {
                InsertionSort(ref a, lo, hi);
                selected = Unsafe.Add(ref a, k);
                break;
            }
            var pivot = Pivot(ref a, lo, hi, k);
            var less = PartitionLess(ref a, lo, hi, pivot);
            if (k < less)
            {
                above = hi;
                hi = less;
                continue;
            }
            if (less == lo)
            {
                // Nothing below the pivot: peel off the values equal to it, which include k or lie before it.
                var notAbove = PartitionNotAbove(ref a, lo, hi, pivot);
                if (k < notAbove)
                {
                    selected = pivot;
                    break;
                }
                lo = notAbove;
                continue;
            }
            lo = less;
        }
        next = k + 1 < hi ? Min(values[(k + 1)..hi]) : k + 1 < above ? Min(values[hi..above]) : double.NaN;
        return selected;
    }

    private const int InsertionSortSize = 16;

    /// <summary>Ranges longer than this take their pivot from a sorted sample instead of a median of three.</summary>
    private const int SampledPivotSize = 1024;

    private const int PivotSample = 31;

    /// <summary>The median of the range's ends and middle, or in a long range the sample value at k's relative rank.</summary>
    private static double Pivot(ref double a, int lo, int hi, int k)
    {
        var n = hi - lo;
        if (n <= SampledPivotSize) return MedianOfThree(ref a, lo, hi);
        Span<double> sample = stackalloc double[PivotSample];
        for (var i = 0; i < PivotSample; i++) sample[i] = Unsafe.Add(ref a, lo + (int)((long)i * (n - 1) / (PivotSample - 1)));
        InsertionSort(ref MemoryMarshal.GetReference(sample), 0, PivotSample);
        var rank = (int)Math.Round((double)(k - lo) / (n - 1) * (PivotSample - 1));
        return sample[rank];
    }

    private static double MedianOfThree(ref double a, int lo, int hi)
    {
        var x = Unsafe.Add(ref a, lo);
        var y = Unsafe.Add(ref a, lo + (hi - lo) / 2);
        var z = Unsafe.Add(ref a, hi - 1);
        return Math.Max(Math.Min(x, y), Math.Min(Math.Max(x, y), z));
    }

    /// <summary>
    /// Sorts NaN-free <paramref name="values"/> ascending with the selection's partitions (values equal to the pivot
    /// set aside at once, so ties cost nothing): the framework's sort over doubles is compiled at run time in every process.
    /// </summary>
    internal static void Sort(Span<double> values) => SortRange(ref MemoryMarshal.GetReference(values), 0, values.Length);

    private static void SortRange(ref double a, int lo, int hi)
    {
        while (hi - lo > InsertionSortSize)
        {
            var pivot = MedianOfThree(ref a, lo, hi);
            var less = PartitionLess(ref a, lo, hi, pivot);
            var notAbove = PartitionNotAbove(ref a, less, hi, pivot);
            // Recurse into the smaller side and loop on the larger: the stack stays logarithmic.
            if (less - lo < hi - notAbove)
            {
                SortRange(ref a, lo, less);
                lo = notAbove;
            }
            else
            {
                SortRange(ref a, notAbove, hi);
                hi = less;
            }
        }
        InsertionSort(ref a, lo, hi);
    }

    /// <summary>Moves the values below <paramref name="pivot"/> to the front of [lo, hi); returns where the rest begin.</summary>
    private static int PartitionLess(ref double a, int lo, int hi, double pivot) => Partition<Below>(ref a, lo, hi, pivot);

    /// <summary>Moves the values not above <paramref name="pivot"/> to the front of [lo, hi); returns where the rest begin.</summary>
    private static int PartitionNotAbove(ref double a, int lo, int hi, double pivot) => Partition<NotAbove>(ref a, lo, hi, pivot);

    /// <summary>
    /// Moves the values <typeparamref name="TFront"/> keeps to the front of [lo, hi), branch-free: every element is
    /// swapped with the boundary and the boundary advances by the comparison's outcome.
    /// </summary>
    private static int Partition<TFront>(ref double a, int lo, int hi, double pivot)
        where TFront : struct, IFrontTest
    {
        var store = lo;
        for (var i = lo; i < hi; i++)
        {
            var x = Unsafe.Add(ref a, i);
            Unsafe.Add(ref a, i) = Unsafe.Add(ref a, store);
            Unsafe.Add(ref a, store) = x;
            store += TFront.Keeps(x, pivot) ? 1 : 0;
        }
        return store;
    }

    /// <summary>Which values a partition moves to the front (a struct type argument, so each partition is compiled with its own comparison).</summary>
    private interface IFrontTest
    {
        static abstract bool Keeps(double x, double pivot);
    }

    private readonly struct Below : IFrontTest
    {
        public static bool Keeps(double x, double pivot) => x < pivot;
    }

    private readonly struct NotAbove : IFrontTest
    {
        public static bool Keeps(double x, double pivot) => x <= pivot;
    }

    private static void InsertionSort(ref double a, int lo, int hi)
    {
        for (var i = lo + 1; i < hi; i++)
        {
            var x = Unsafe.Add(ref a, i);
            var j = i;
            while (j > lo && Unsafe.Add(ref a, j - 1) > x)
            {
                Unsafe.Add(ref a, j) = Unsafe.Add(ref a, j - 1);
                j--;
            }
            Unsafe.Add(ref a, j) = x;
        }
    }

    private static bool ContainsNaN(ReadOnlySpan<double> values)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            // A NaN is the one value unequal to itself; lanes that are accumulate as set bits.
            var unequal = Vector128<double>.Zero;
            ref var first = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - 2 * Vector128<double>.Count; i += 2 * Vector128<double>.Count)
            {
                var a = Vector128.LoadUnsafe(ref first, (nuint)i);
                var b = Vector128.LoadUnsafe(ref first, (nuint)(i + Vector128<double>.Count));
                unequal |= ~Vector128.Equals(a, a) | ~Vector128.Equals(b, b);
            }
            if (unequal.AsUInt64() != Vector128<ulong>.Zero) return true;
        }
        for (; i < values.Length; i++)
        {
            if (double.IsNaN(values[i])) return true;
        }
        return false;
    }

    /// <summary>Moves every NaN to the end (keeping the numbers' order); returns how many numbers there are.</summary>
    private static int MoveNaNsLast(Span<double> values)
    {
        var numbers = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsNaN(values[i])) values[numbers++] = values[i];
        }
        for (var i = numbers; i < values.Length; i++) values[i] = double.NaN;
        return numbers;
    }

    /// <summary>The smallest value as <see cref="Math.Min(double, double)"/> folds it: NaN if any is NaN, and −0 below +0.</summary>
    internal static double Min(ReadOnlySpan<double> values)
    {
        var min = double.PositiveInfinity;
        var i = 0;
        if (Vector128.IsHardwareAccelerated && values.Length >= 4 * Vector128<double>.Count)
        {
            // Vector128.Min follows Math.Min (IEEE 754-2019 minimum): NaN propagates, −0 counts below +0. 128-bit
            // vectors, which ReadyToRun precompiles (wider ones would be compiled at run time), in two chains.
            var min0 = Vector128.Create(double.PositiveInfinity);
            var min1 = min0;
            ref var first = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - 2 * Vector128<double>.Count; i += 2 * Vector128<double>.Count)
            {
                min0 = Vector128.Min(min0, Vector128.LoadUnsafe(ref first, (nuint)i));
                min1 = Vector128.Min(min1, Vector128.LoadUnsafe(ref first, (nuint)(i + Vector128<double>.Count)));
            }
            var both = Vector128.Min(min0, min1);
            min = Math.Min(both.GetElement(0), both.GetElement(1));
        }
        for (; i < values.Length; i++) min = Math.Min(min, values[i]);
        return min;
    }
}
