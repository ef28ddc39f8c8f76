namespace MarketMaking.Core.Backtest;

/// <summary>A Monte Carlo figure and its standard error (NaN when it cannot be estimated, e.g. from one path).</summary>
public readonly record struct Estimate(double Value, double StandardError)
{
    public static readonly Estimate Missing = new(double.NaN, double.NaN);
}

/// <summary>Statistics of a sample, which they may reorder.</summary>
public delegate double[] SampleStatistics(Span<double> values);

/// <summary>Summary statistics in a fixed order of operations, so results never depend on threads.</summary>
public static class Statistics
{
    /// <summary>Mean, its standard error and the sample standard deviation (n − 1) of the finite values, two-pass.</summary>
    public static (Estimate Mean, double Std) MeanAndStd(ReadOnlySpan<double> values)
    {
        var n = 0;
        var sum = 0.0;
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                n++;
                sum += v;
            }
        }
        if (n == 0) return (Estimate.Missing, double.NaN);
        var mean = sum / n;
        if (n == 1) return (new Estimate(mean, double.NaN), double.NaN);
        var squares = 0.0;
        foreach (var v in values)
        {
            if (double.IsFinite(v)) squares += (v - mean) * (v - mean);
        }
        var std = Math.Sqrt(squares / (n - 1));
        return (new Estimate(mean, std / Math.Sqrt(n)), std);
    }

    public static Estimate Mean(ReadOnlySpan<double> values) => MeanAndStd(values).Mean;

    /// <summary>Quantile at probability p with linear interpolation between order statistics (numpy's default); reorders <paramref name="values"/>.</summary>
    public static double Quantile(Span<double> values, double p)
    {
        if (values.Length == 0) return double.NaN;
        var position = p * (values.Length - 1);
        var k = (int)Math.Floor(position);
        var low = Select(values, k);
        if (k + 1 >= values.Length) return low;
        var high = Min(values[(k + 1)..]);
        return low + (position - k) * (high - low);
    }

    /// <summary>
    /// Several quantiles of one sample, <paramref name="probabilities"/> ascending: each selection works on the part
    /// right of the previous one, so all of them cost a few passes. Reorders <paramref name="values"/>.
    /// </summary>
    public static void Quantiles(Span<double> values, ReadOnlySpan<double> probabilities, Span<double> result)
    {
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
            var low = from <= k ? Select(values[from..], k - from) : values[k];
            var high = k + 1 < values.Length ? Min(values[(k + 1)..]) : low;
            result[q] = low + (position - k) * (high - low);
            from = k;
        }
    }

    /// <summary>
    /// Value at risk and expected shortfall at tail probability α of a P&amp;L sample, both as positive losses:
    /// VaR = −q_α, ES = −mean of the ⌊α(n−1)⌋+1 smallest values. Reorders <paramref name="values"/>.
    /// </summary>
    public static (double Var, double Es) Tail(Span<double> values, double alpha)
    {
        if (values.Length == 0) return (double.NaN, double.NaN);
        var q = Quantile(values, alpha);
        var k = (int)Math.Floor(alpha * (values.Length - 1));
        // After Quantile's selection, values[0..k] hold the k+1 smallest.
        var sum = 0.0;
        for (var i = 0; i <= k; i++) sum += values[i];
        return (-q, -sum / (k + 1));
    }

    /// <summary>VaR and ES at 5% and at 1% of a P&amp;L sample in one selection pass; reorders <paramref name="values"/>.</summary>
    public static (double Var95, double Es95, double Var99, double Es99) Tails(Span<double> values)
    {
        var (var95, es95) = Tail(values, 0.05);
        // The 1% tail lies inside the 5% one that Tail has just moved to the front.
        var k95 = (int)Math.Floor(0.05 * (values.Length - 1));
        var position = 0.01 * (values.Length - 1);
        var k = (int)Math.Floor(position);
        var front = values[..Math.Min(values.Length, k95 + 2)];
        var low = Select(front, k);
        var high = k + 1 < front.Length ? Min(front[(k + 1)..]) : low;
        var q99 = low + (position - k) * (high - low);
        var sum = 0.0;
        for (var i = 0; i <= k; i++) sum += front[i];
        return (var95, es95, -q99, -sum / (k + 1));
    }

    /// <summary>
    /// A statistic with a batch-means standard error: computed on the whole sample and on <paramref name="groups"/>
    /// contiguous groups; SE = sd(group values)/√groups. Fewer than 2 groups gives a NaN error.
    /// </summary>
    public static Estimate WithBatchError(ReadOnlySpan<double> sample, int groups, Func<double[], double> statistic) =>
        WithBatchErrors(sample, groups, v => [statistic(v)])[0];

    /// <summary>Several statistics computed together, each with its batch-means standard error.</summary>
    public static Estimate[] WithBatchErrors(ReadOnlySpan<double> sample, int groups, Func<double[], double[]> statistics)
    {
        // Loops rather than LINQ over Estimate: each framework generic over a value type is a JIT compilation per run.
        var values = statistics(sample.ToArray());
        var result = new Estimate[values.Length];
        if (groups < 2 || sample.Length < 2 * groups)
        {
            for (var s = 0; s < values.Length; s++) result[s] = new Estimate(values[s], double.NaN);
            return result;
        }
        var estimates = new double[values.Length][];
        for (var s = 0; s < values.Length; s++) estimates[s] = new double[groups];
        for (var g = 0; g < groups; g++)
        {
            var from = (int)((long)sample.Length * g / groups);
            var to = (int)((long)sample.Length * (g + 1) / groups);
            var group = statistics(sample[from..to].ToArray());
            for (var s = 0; s < values.Length; s++) estimates[s][g] = group[s];
        }
        for (var s = 0; s < values.Length; s++) result[s] = new Estimate(values[s], MeanAndStd(estimates[s]).Std / Math.Sqrt(groups));
        return result;
    }

    /// <summary>
    /// As <see cref="WithBatchErrors"/> for a large sample that the caller no longer needs in order (up to 2^22
    /// one-step P&amp;L values): each group is copied into one reused buffer, then the whole sample is used in place
    /// and reordered, instead of a copy of the whole and one of each group. Every statistic sees the same values in
    /// the same order as there, so the results are the same bits.
    /// </summary>
    public static Estimate[] WithBatchErrorsInPlace(double[] sample, int groups, SampleStatistics statistics)
    {
        if (groups < 2 || sample.Length < 2 * groups) return statistics(sample).Select(v => new Estimate(v, double.NaN)).ToArray();
        double[][]? estimates = null;
        var buffer = new double[sample.Length / groups + 1];
        for (var g = 0; g < groups; g++)
        {
            var from = (int)((long)sample.Length * g / groups);
            var to = (int)((long)sample.Length * (g + 1) / groups);
            var group = buffer.AsSpan(0, to - from);
            sample.AsSpan(from, to - from).CopyTo(group);
            var values = statistics(group);
            estimates ??= values.Select(_ => new double[groups]).ToArray();
            for (var s = 0; s < values.Length; s++) estimates[s][g] = values[s];
        }
        // Last, as it reorders the sample the groups were cut from.
        return statistics(sample).Select((v, s) => new Estimate(v, MeanAndStd(estimates![s]).Std / Math.Sqrt(groups))).ToArray();
    }

    /// <summary>Moves the k-th smallest value (0-based) to index k, smaller ones before it, larger after; returns it.</summary>
    public static double Select(Span<double> values, int k)
    {
        var left = 0;
        var right = values.Length - 1;
        while (right > left)
        {
            // Median of three keeps sorted and constant runs from going quadratic.
            var mid = left + (right - left) / 2;
            if (values[mid] < values[left]) Swap(values, mid, left);
            if (values[right] < values[left]) Swap(values, right, left);
            if (values[right] < values[mid]) Swap(values, right, mid);
            var pivot = values[mid];
            var i = left;
            var j = right;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j)
                {
                    Swap(values, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else break;
        }
        return values[k];
    }

    private static double Min(ReadOnlySpan<double> values)
    {
        var min = double.PositiveInfinity;
        foreach (var v in values) min = Math.Min(min, v);
        return min;
    }

    private static void Swap(Span<double> values, int a, int b) => (values[a], values[b]) = (values[b], values[a]);
}
