namespace MarketMaking.Charts.Tests;

public class DensityTests
{
    [Fact]
    public void Kde_SinglePoint_IsTheGaussianPdf()
    {
        // Given one observation at 2 and bandwidth 0.5
        // When the density is estimated
        var (xs, ys) = Density.Kde([2.0], 101, 0.5);

        // Then it is the normal pdf N(2, 0.5^2) at every grid point (closed form)
        for (var i = 0; i < xs.Length; i++)
        {
            var z = (xs[i] - 2) / 0.5;
            ys[i].Should().BeApproximately(Math.Exp(-0.5 * z * z) / (0.5 * Math.Sqrt(2 * Math.PI)), 1e-12);
        }
    }

    [Fact]
    public void Kde_LargeSample_BinnedPathIntegratesToOneAndMatchesDirectSum()
    {
        // Given 5000 deterministic values (above the binning threshold)
        var values = Enumerable.Range(0, 5000).Select(i => Math.Sin(i * 0.7) * 3 + (i % 7 * 0.1)).ToArray();
        const double H = 0.3;

        // When estimated
        var (xs, ys) = Density.Kde(values, 256, H);

        // Then the trapezoid integral is 1, and it agrees with the unbinned sum at every point
        var integral = Enumerable.Range(1, xs.Length - 1).Sum(i => (xs[i] - xs[i - 1]) * (ys[i] + ys[i - 1]) / 2);
        integral.Should().BeApproximately(1, 1e-3);
        for (var i = 0; i < xs.Length; i += 17)
        {
            var direct = values.Sum(v => Math.Exp(-0.5 * Math.Pow((xs[i] - v) / H, 2))) / (values.Length * H * Math.Sqrt(2 * Math.PI));
            ys[i].Should().BeApproximately(direct, 2e-3 * ys.Max());
        }
    }

    [Fact]
    public void SilvermanBandwidth_OneToTen_MatchesHandComputation()
    {
        // Given 1..10: sd = 3.0276503540974917, IQR (linear interpolation) = 7.75 - 3.25 = 4.5, 4.5 / 1.34 = 3.358
        var values = Enumerable.Range(1, 10).Select(i => (double)i).ToArray();

        // When the rule of thumb is applied
        // Then h = 0.9 * min(sd, IQR/1.34) * 10^(-1/5) = 0.9 * 3.0276503540974917 * 0.630957344480193
        Density.SilvermanBandwidth(values).Should().BeApproximately(0.9 * 3.0276503540974917 * 0.630957344480193, 1e-12);
    }

    [Fact]
    public void Histogram_Values_CountsSumToSampleSizeOverEqualBins()
    {
        // Given 1000 values and 10 bins
        var values = Enumerable.Range(0, 1000).Select(i => i / 999.0).ToArray();

        // When binned
        var (edges, counts) = Density.Histogram(values, 10);

        // Then edges span the data evenly and every value is counted once (100 per bin)
        edges.Should().HaveCount(11);
        edges[0].Should().Be(0);
        edges[^1].Should().Be(1);
        counts.Sum().Should().Be(1000);
        counts.Should().OnlyContain(c => c == 100);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    public void Kde_BadBandwidth_Throws(double bandwidth)
    {
        // Given a NaN, zero, negative or infinite bandwidth
        // When used / Then refused
        ((Action)(() => Density.Kde([1.0, 2.0], 10, bandwidth))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Kde_MissingOrEmptyInput_Throws()
    {
        // Given no data, only NaN, or too few points
        // When used / Then refused
        ((Action)(() => Density.Kde(null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => Density.Kde([]))).Should().Throw<ArgumentException>();
        ((Action)(() => Density.Kde([double.NaN]))).Should().Throw<ArgumentException>();
        ((Action)(() => Density.Kde([1.0], 1))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => Density.Histogram([]))).Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(1000)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(4001)]
    [InlineData(-50_000)]
    [InlineData(-50_001)]
    public void InterQuartileRange_AnyOrderWithTies_EqualsTheSortedInterpolation(int n)
    {
        // Given values in a scrambled order with many ties (the quickselect's hard case; from 1024 values the
        // bucketed path), or for negative n a skewed, heavy-tailed sample that crowds a few buckets
        var values = n > 0
            ? Enumerable.Range(0, n).Select(i => (double)((i * 7919) % 97 / 3)).ToArray()
            : Enumerable.Range(0, -n).Select(i => Math.Exp(Math.Sin(i * 12.9898) * 12) - (i % 3 == 0 ? 1e5 : 0)).ToArray();
        var before = values.ToArray();

        // When the interquartile range is selected, and independently computed on a sorted copy
        var sorted = values.Order().ToArray();
        static double Sorted(double[] s, double p)
        {
            var position = p * (s.Length - 1);
            var i = (int)Math.Floor(position);
            var j = Math.Min(i + 1, s.Length - 1);
            return s[i] + ((s[j] - s[i]) * (position - i));
        }

        // Then both agree exactly, and the input is left as it was
        Density.InterQuartileRange(values).Should().Be(Sorted(sorted, 0.75) - Sorted(sorted, 0.25));
        values.Should().Equal(before);
    }

    [Fact]
    public void Kde_LargeScrambledSample_DoesNotDependOnOrderBeyondRounding()
    {
        // Given 50 000 values and the same values reversed (above the binning threshold, bandwidth from the data)
        var values = Enumerable.Range(0, 50_000).Select(i => Math.Sin(i * 0.37) + (i % 11 * 0.05)).ToArray();
        var reversed = values.Reverse().ToArray();

        // When both are estimated
        var (xs, ys) = Density.Kde(values);
        var (xr, yr) = Density.Kde(reversed);

        // Then grid and density agree to rounding: order only changes the summation order
        for (var i = 0; i < xs.Length; i++)
        {
            xr[i].Should().BeApproximately(xs[i], 1e-12);
            yr[i].Should().BeApproximately(ys[i], 1e-9 * ys.Max());
        }
    }
}
