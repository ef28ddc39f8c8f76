namespace MarketMaking.Charts;

/// <summary>Distribution helpers for histogram and density charts.</summary>
public static class Density
{
    /// <summary>
    /// Gaussian kernel density estimate on <paramref name="points"/> evenly spaced x values covering the data
    /// plus three bandwidths each side. Bandwidth defaults to Silverman's rule, 0.9 min(sd, IQR/1.34) n^(-1/5).
    /// Large samples are linearly binned onto a fine grid first (error far below line width).
    /// </summary>
    public static (double[] X, double[] Y) Kde(IReadOnlyList<double> values, int points = 256, double? bandwidth = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var data = Finite(values, out var summary);
        if (data.Length == 0)
        {
            throw new ArgumentException("density needs at least one finite value", nameof(values));
        }

        if (points < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(points), "density needs at least two evaluation points");
        }

        var h = bandwidth ?? Silverman(data, summary);
        if (!(h > 0) || !double.IsFinite(h))
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidth), "bandwidth must be positive and finite");
        }

        var (min, max) = (summary.Min, summary.Max);
        var lo = min - (3 * h);
        var hi = max + (3 * h);
        var xs = new double[points];
        for (var i = 0; i < points; i++)
        {
            xs[i] = lo + ((hi - lo) * i / (points - 1));
        }

        var binned = data.Length > 2000;
        var (centres, weights) = binned ? Binned(data, lo, hi, h) : (data, null);
        var ys = new double[points];
        var norm = 1 / (data.Length * h * Math.Sqrt(2 * Math.PI));
        var spacing = binned ? centres[1] - centres[0] : 0;
        for (var i = 0; i < points; i++)
        {
            // Binned centres are evenly spaced: visit only those near the kernel's support (the test below decides).
            var first = binned ? Math.Max(0, (int)((xs[i] - (8 * h) - lo) / spacing) - 1) : 0;
            var last = binned ? Math.Min(centres.Length - 1, (int)((xs[i] + (8 * h) - lo) / spacing) + 1) : centres.Length - 1;
            var sum = 0.0;
            for (var j = first; j <= last; j++)
            {
                // An empty bin adds exactly zero: its exp() is skipped (most of the grid, past the sample's bulk).
                if (weights is not null && weights[j] == 0)
                {
                    continue;
                }

                var u = (xs[i] - centres[j]) / h;
                if (u is > -8 and < 8)
                {
                    sum += (weights is null ? 1 : weights[j]) * Math.Exp(-0.5 * u * u);
                }
            }

            ys[i] = sum * norm;
        }

        return (xs, ys);
    }

    /// <summary>Silverman's rule of thumb; falls back to a small positive width for constant data.</summary>
    public static double SilvermanBandwidth(IReadOnlyList<double> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        double[] data = [.. sorted];
        return Silverman(data, Summary.Of(data));
    }

    /// <summary>
    /// Silverman's rule on finite values in any order (the quartiles are selected, not sorted for). Large samples take
    /// their squared deviations and the quartile buckets' counts in one pass: every pass over 10^5+ values counts.
    /// </summary>
    private static double Silverman(double[] data, Summary summary)
    {
        var n = data.Length;
        var mean = summary.Sum / n;
        var squares = 0.0;
        double iqr;
        if (Bucketed(data.Length, summary.Min, summary.Max, out var scale))
        {
            var counts = new int[Buckets];
            foreach (var v in data)
            {
                squares += (v - mean) * (v - mean);
                counts[BucketOf(v, summary.Min, scale)]++;
            }

            iqr = BucketedInterQuartileRange(data, summary.Min, scale, counts);
        }
        else
        {
            foreach (var v in data)
            {
                squares += (v - mean) * (v - mean);
            }

            iqr = InterQuartileRange(data);
        }

        var sd = n > 1 ? Math.Sqrt(squares / (n - 1)) : 0;
        var spread = iqr > 0 ? Math.Min(sd, iqr / 1.34) : sd;
        var h = 0.9 * spread * Math.Pow(n, -0.2);
        return h > 0 ? h : Math.Max(Math.Abs(mean) * 0.01, 1e-3);
    }

    /// <summary>Bin edges and counts; <paramref name="bins"/> = 0 picks Freedman–Diaconis (Sturges if IQR is 0), capped at 200.</summary>
    public static (double[] Edges, double[] Counts) Histogram(IReadOnlyList<double> values, int bins = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        var data = Finite(values, out var summary);
        if (data.Length == 0)
        {
            throw new ArgumentException("histogram needs at least one finite value", nameof(values));
        }

        var (lo, hi) = (summary.Min, summary.Max);
        if (hi == lo)
        {
            lo -= 0.5;
            hi += 0.5;
        }

        if (bins <= 0)
        {
            var iqr = InterQuartileRange(data);
            var width = 2 * iqr * Math.Pow(data.Length, -1.0 / 3);
            bins = width > 0 ? (int)Math.Ceiling((hi - lo) / width) : (int)Math.Ceiling(Math.Log2(data.Length) + 1);
            bins = Math.Clamp(bins, 1, 200);
        }

        var edges = new double[bins + 1];
        for (var i = 0; i <= bins; i++)
        {
            edges[i] = lo + ((hi - lo) * i / bins);
        }

        var counts = new double[bins];
        foreach (var v in data)
        {
            counts[FiniteMath.Min(bins - 1, (int)((v - lo) / (hi - lo) * bins))]++;
        }

        return (edges, counts);
    }

    /// <summary>
    /// Q(0.75) − Q(0.25) with linear interpolation between order statistics, exactly as on the sorted values, but by
    /// selection: O(n) instead of a sort, which dominated charts of 10^5+ samples. Reorders a copy, not the input.
    /// </summary>
    internal static double InterQuartileRange(double[] data)
    {
        var (min, max) = MinMax(data);
        if (Bucketed(data.Length, min, max, out var scale))
        {
            var counts = new int[Buckets];
            foreach (var v in data)
            {
                counts[BucketOf(v, min, scale)]++;
            }

            return BucketedInterQuartileRange(data, min, scale, counts);
        }

        var scratch = (double[])data.Clone();
        var upper = Quantile(scratch, 0.75, scratch.Length - 1, out var upperIndex);

        // Selecting the upper quartile left the values below it in front of it: the lower one is among them.
        return upper - Quantile(scratch, 0.25, upperIndex, out _);
    }

    /// <summary>Samples at least this large find their quartiles by <see cref="BucketedInterQuartileRange"/>.</summary>
    private const int BucketedFrom = 1024;

    private const int Buckets = 4096;

    /// <summary>Whether <see cref="BucketedInterQuartileRange"/> serves this sample, and its buckets per unit of value.</summary>
    private static bool Bucketed(int n, double min, double max, out double scale)
    {
        scale = Buckets / (max - min);
        return n >= BucketedFrom && double.IsFinite(scale);
    }

    private static int BucketOf(double v, double min, double scale) => FiniteMath.Clamp((int)((v - min) * scale), 0, Buckets - 1);

    /// <summary>
    /// Q(0.75) − Q(0.25) exactly as on the sorted values: the counts of <see cref="Buckets"/> equal-width value buckets
    /// (the caller's counting pass) find the buckets holding the four order statistics the quartiles interpolate
    /// between, one more pass gathers only those buckets' values, and each statistic is selected among them. Several
    /// times faster than quickselect on 10^5 values; clustered data (many values in one bucket) only costs a larger
    /// selection. Leaves the input as it was.
    /// </summary>
    private static double BucketedInterQuartileRange(double[] values, double min, double scale, int[] counts)
    {
        // Order statistics ⌊p(n − 1)⌋ and the next, for p = 1/4 and 3/4, and the bucket holding each.
        var n = values.Length;
        var lowerPosition = 0.25 * (n - 1);
        var upperPosition = 0.75 * (n - 1);
        var lower = (int)Math.Floor(lowerPosition);
        var upper = (int)Math.Floor(upperPosition);
        int[] ranks = [lower, FiniteMath.Min(lower + 1, n - 1), upper, FiniteMath.Min(upper + 1, n - 1)];
        var buckets = new int[4];
        var before = new int[4];
        for (var r = 0; r < 4; r++)
        {
            var bucket = 0;
            var below = 0;
            while (below + counts[bucket] <= ranks[r])
            {
                below += counts[bucket++];
            }

            buckets[r] = bucket;
            before[r] = below;
        }

        // Gather the (at most four) buckets' values in one pass; ranks sharing a bucket share its values.
        var owner = new int[4];
        var members = new double[4][];
        for (var r = 0; r < 4; r++)
        {
            owner[r] = r;
            for (var earlier = 0; earlier < r; earlier++)
            {
                if (buckets[earlier] == buckets[r])
                {
                    owner[r] = owner[earlier];
                    break;
                }
            }

            members[r] = owner[r] == r ? new double[counts[buckets[r]]] : members[owner[r]];
        }

        // Which gathered set each bucket feeds (its owner + 1; 0: none): one lookup a value instead of four comparisons.
        var feeds = new byte[Buckets];
        for (var r = 0; r < 4; r++)
        {
            feeds[buckets[r]] = (byte)(owner[r] + 1);
        }

        var filled = new int[4];
        foreach (var v in values)
        {
            var feed = feeds[BucketOf(v, min, scale)];
            if (feed != 0)
            {
                members[feed - 1][filled[feed - 1]++] = v;
            }
        }

        var statistics = new double[4];
        for (var r = 0; r < 4; r++)
        {
            // Selection reorders a bucket's values but not which values it holds, so a shared bucket serves twice.
            statistics[r] = Select(members[r], ranks[r] - before[r], members[r].Length - 1);
        }

        var q1 = statistics[0] + ((statistics[1] - statistics[0]) * (lowerPosition - lower));
        var q3 = statistics[2] + ((statistics[3] - statistics[2]) * (upperPosition - upper));
        return q3 - q1;
    }

    /// <summary>
    /// The p-quantile (linear interpolation) of the finite values, whose order statistics up to the
    /// <paramref name="last"/>-th all lie in values[0..last]; reorders that part. <paramref name="index"/> is where
    /// order statistic ⌊p(n − 1)⌋ ends up.
    /// </summary>
    private static double Quantile(double[] values, double p, int last, out int index)
    {
        var position = p * (values.Length - 1);
        var i = (int)Math.Floor(position);
        index = i;
        var below = Select(values, i, last);
        if (i + 1 >= values.Length)
        {
            return below;
        }

        // After selecting order statistic i, everything right of it up to last is >= it, and everything past last
        // is >= values[last]: the next order statistic is the minimum of (i, last], or of (i, n) when i is last.
        var above = double.PositiveInfinity;
        var end = i < last ? last : values.Length - 1;
        for (var k = i + 1; k <= end; k++)
        {
            above = FiniteMath.Min(above, values[k]);
        }

        return below + ((above - below) * (position - i));
    }

    /// <summary>
    /// Quickselect (Hoare partition, median-of-three pivot) within a[0..last]: the k-th smallest value there, with
    /// every value left of k at most it and every value right of k (up to last) at least it.
    /// </summary>
    private static double Select(double[] a, int k, int last)
    {
        int lo = 0, hi = last;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (a[mid] < a[lo])
            {
                (a[mid], a[lo]) = (a[lo], a[mid]);
            }

            if (a[hi] < a[lo])
            {
                (a[hi], a[lo]) = (a[lo], a[hi]);
            }

            if (a[hi] < a[mid])
            {
                (a[hi], a[mid]) = (a[mid], a[hi]);
            }

            var pivot = a[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }

                while (a[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return a[k];
            }
        }

        return a[k];
    }

    /// <summary>Linear binning onto a grid 20x finer than the bandwidth: each value splits its weight between two nodes.</summary>
    private static (double[] Centres, double[] Weights) Binned(double[] data, double lo, double hi, double h)
    {
        var n = Math.Clamp((int)Math.Ceiling((hi - lo) / (h / 20)), 2, 20000);
        var delta = (hi - lo) / (n - 1);
        var weights = new double[n];
        foreach (var v in data)
        {
            var position = (v - lo) / delta;
            var i = FiniteMath.Clamp((int)Math.Floor(position), 0, n - 2);
            var f = position - i;
            weights[i] += 1 - f;
            weights[i + 1] += f;
        }

        var centres = new double[n];
        for (var i = 0; i < n; i++)
        {
            centres[i] = lo + (i * delta);
        }

        return (centres, weights);
    }

    /// <summary>Sum (in order), minimum and maximum of finite values.</summary>
    private struct Summary
    {
        public double Sum;
        public double Min;
        public double Max;

        public static Summary Of(double[] data)
        {
            var s = new Summary { Min = double.PositiveInfinity, Max = double.NegativeInfinity };
            foreach (var v in data)
            {
                s.Add(v);
            }

            return s;
        }

        public void Add(double v)
        {
            Sum += v;
            Min = FiniteMath.Min(Min, v);
            Max = FiniteMath.Max(Max, v);
        }
    }

    /// <summary>
    /// The finite values, in their order, and their <see cref="Summary"/> from the same pass: the caller's own array when
    /// it is one and has no NaN or infinity (only read, never reordered), else a copy. Plain loops: no sort, no LINQ to
    /// compile at start-up.
    /// </summary>
    private static double[] Finite(IReadOnlyList<double> values, out Summary summary)
    {
        summary = new Summary { Min = double.PositiveInfinity, Max = double.NegativeInfinity };
        if (values is double[] array)
        {
            var finite = 0;
            foreach (var v in array)
            {
                if (double.IsFinite(v))
                {
                    finite++;
                    summary.Add(v);
                }
            }

            if (finite == array.Length)
            {
                return array;
            }

            var copy = new double[finite];
            var k = 0;
            foreach (var v in array)
            {
                if (double.IsFinite(v))
                {
                    copy[k++] = v;
                }
            }

            return copy;
        }

        var data = new double[values.Count];
        var n = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i];
            if (double.IsFinite(v))
            {
                data[n++] = v;
                summary.Add(v);
            }
        }

        return n == data.Length ? data : data[..n];
    }

    private static (double Min, double Max) MinMax(double[] data)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in data)
        {
            min = FiniteMath.Min(min, v);
            max = FiniteMath.Max(max, v);
        }

        return (min, max);
    }
}
