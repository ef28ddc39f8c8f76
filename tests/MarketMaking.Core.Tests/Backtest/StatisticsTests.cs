using System.Runtime.Intrinsics;
using MarketMaking.Core.Backtest;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Tests.Backtest;

public class StatisticsTests
{
    /// <summary>Samples of many shapes: sizes around the thresholds of the selection, ties, sorted and reversed runs, NaN.</summary>
    private static IEnumerable<double[]> Samples()
    {
        var rng = new Xoshiro256StarStar(42);
        foreach (var n in new[] { 1, 2, 3, 16, 17, 100, 1023, 1025, 5000, 20_001 })
        {
            yield return Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
            yield return Enumerable.Range(0, n).Select(_ => Math.Round(rng.NextGaussian() * 2)).ToArray(); // many ties
            yield return Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.7 ? 0.0 : rng.NextGaussian()).ToArray(); // a heavy atom
            yield return Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            yield return Enumerable.Range(0, n).Select(i => (double)(n - i)).ToArray();
            yield return Enumerable.Repeat(3.5, n).ToArray();
            yield return Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.1 ? double.NaN : rng.NextGaussian()).ToArray();
        }
    }

    [Fact]
    public void Select_ManySamples_ReturnsTheSortedOrderStatisticAndPartitionsAroundIt()
    {
        var rng = new Xoshiro256StarStar(7);
        foreach (var sample in Samples())
        {
            // Given the sample sorted with NaN last (numpy's order), and a few ranks including both ends
            var sorted = sample.Where(v => !double.IsNaN(v)).Order().Concat(sample.Where(double.IsNaN)).ToArray();
            var ranks = new[] { 0, sample.Length - 1, (int)(0.05 * (sample.Length - 1)), sample.Length / 2, (int)(rng.NextDouble() * sample.Length) };
            foreach (var k in ranks)
            {
                // When the k-th is selected
                var values = (double[])sample.Clone();
                var selected = Statistics.Select(values, k);

                // Then it is the sorted sample's k-th, the same values are still there, and nothing before is above it or after below it
                selected.Should().Be(sorted[k], $"n = {sample.Length}, k = {k}");
                values.Where(v => !double.IsNaN(v)).Order().Should().Equal(sorted.Where(v => !double.IsNaN(v)));
                if (double.IsNaN(selected)) continue;
                values.Take(k).All(v => v <= selected).Should().BeTrue();
                values.Skip(k + 1).All(v => double.IsNaN(v) || v >= selected).Should().BeTrue();
            }
        }
    }

    [Fact]
    public void Sort_ManySamples_MatchesTheFrameworkOrder()
    {
        foreach (var sample in Samples().Where(s => !s.Any(double.IsNaN)))
        {
            // Given a copy, When sorted, Then it is the ascending order
            var values = (double[])sample.Clone();
            Statistics.Sort(values);
            values.Should().Equal(sample.Order());
        }
    }

    [Fact]
    public void Tails_SmallSamples_MatchSortingWithLinearInterpolation()
    {
        var rng = new Xoshiro256StarStar(13);
        for (var trial = 0; trial < 2000; trial++)
        {
            var n = 1 + trial % 60;
            // Given small samples, many of each size (below 21 values the 5% tail is one value, and the 1% quantile
            // interpolates towards a value outside it)
            var sample = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray();
            var sorted = sample.Order().ToArray();
            double Quantile(double p)
            {
                var h = p * (n - 1);
                var k = (int)Math.Floor(h);
                return k + 1 < n ? sorted[k] + (h - k) * (sorted[k + 1] - sorted[k]) : sorted[k];
            }

            // When the tails are computed, Then both VaRs are numpy's quantiles
            var (var95, _, var99, _) = Statistics.Tails((double[])sample.Clone());
            var95.Should().Be(-Quantile(0.05), $"n = {n}");
            var99.Should().Be(-Quantile(0.01), $"n = {n}");
        }
    }

    [Fact]
    public void Tails_TailOfNaN_IsNaN()
    {
        // Given a sample that is mostly NaN (NaN counts as largest, so the 5% tail is NaN only when almost all are)
        var values = Enumerable.Repeat(double.NaN, 99).Append(1.0).ToArray();

        // When the tails are computed, Then every figure is NaN
        var (var95, es95, var99, es99) = Statistics.Tails(values);
        new[] { var95, es95, var99, es99 }.Should().OnlyContain(v => double.IsNaN(v));
    }

    [Fact]
    public void Select_RankOutsideTheSample_Throws()
    {
        ((Action)(() => Statistics.Select(new double[3], 3))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => Statistics.Select(new double[3], -1))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => Statistics.Select(Span<double>.Empty, 0))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Quantiles_ManySamples_MatchSortingWithLinearInterpolation()
    {
        double[] probabilities = [0.05, 0.25, 0.5, 0.75, 0.95];
        foreach (var sample in Samples().Where(s => !s.Any(double.IsNaN)))
        {
            // Given numpy's definition, from the sorted sample: x[k] + (h − k)(x[k+1] − x[k]), h = p(n − 1)
            var sorted = sample.Order().ToArray();
            var result = new double[probabilities.Length];

            // When computed together on a copy
            Statistics.Quantiles((double[])sample.Clone(), probabilities, result);

            // Then each matches
            for (var q = 0; q < probabilities.Length; q++)
            {
                var h = probabilities[q] * (sorted.Length - 1);
                var k = (int)Math.Floor(h);
                var expected = k + 1 < sorted.Length ? sorted[k] + (h - k) * (sorted[k + 1] - sorted[k]) : sorted[k];
                result[q].Should().Be(expected);
            }
        }
    }

    [Fact]
    public void Quantile_ManySamples_SameBitsAsSelectThenMinOfTheRest()
    {
        // The next order statistic is read from the selection's last ranges instead of a pass over the rest of the
        // sample: the result must be the definition's to the bit, with NaN, signed zeros and infinities too.
        var rng = new Xoshiro256StarStar(99);
        var extra = new List<double[]>();
        foreach (var n in new[] { 2, 17, 40, 1025, 3000 })
        {
            extra.Add(Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.5 ? (rng.NextDouble() < 0.5 ? -0.0 : 0.0) : rng.NextGaussian()).ToArray());
            extra.Add(Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.05 ? double.PositiveInfinity : rng.NextDouble() < 0.05 ? double.NegativeInfinity : Math.Round(rng.NextGaussian())).ToArray());
        }
        double[] probabilities = [0, 0.01, 0.05, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999, 1];
        foreach (var sample in Samples().Concat(extra))
        {
            var together = new double[probabilities.Length];
            Statistics.Quantiles((double[])sample.Clone(), probabilities, together);
            for (var q = 0; q < probabilities.Length; q++)
            {
                // Given the definition: the k-th by selection, the (k+1)-th as the minimum of everything after it
                var reference = (double[])sample.Clone();
                var h = probabilities[q] * (reference.Length - 1);
                var k = (int)Math.Floor(h);
                var low = Statistics.Select(reference, k);
                var expected = k + 1 < reference.Length ? low + (h - k) * (Statistics.Min(reference.AsSpan(k + 1)) - low) : low;

                // When computed alone and together with the other probabilities
                var alone = Statistics.Quantile((double[])sample.Clone(), probabilities[q]);

                // Then both are the definition's bits
                BitConverter.DoubleToInt64Bits(alone).Should().Be(BitConverter.DoubleToInt64Bits(expected), $"n = {sample.Length}, p = {probabilities[q]}");
                BitConverter.DoubleToInt64Bits(together[q]).Should().Be(BitConverter.DoubleToInt64Bits(expected), $"n = {sample.Length}, p = {probabilities[q]} (together)");
            }
        }
    }

    [Theory]
    [InlineData(0.5, 0.25)]
    [InlineData(0.25, double.NaN)]
    public void Quantiles_ProbabilitiesNotAscending_Throws(double first, double second)
    {
        // Given probabilities out of order (each selection starts where the previous one ended), When computed, Then it throws
        var act = () => Statistics.Quantiles(new double[] { 3, 1, 2 }, [first, second], new double[2]);
        act.Should().Throw<ArgumentException>().WithMessage("*ascending*");
    }

    [Fact]
    public void Min_WithNaNAndSignedZeros_FoldsAsMathMin()
    {
        // Given samples long enough for the vector path, with −0/+0 mixes and an occasional NaN
        var rng = new Xoshiro256StarStar(3);
        for (var trial = 0; trial < 400; trial++)
        {
            var n = 1 + (int)(rng.NextDouble() * 70);
            var values = Enumerable.Range(0, n).Select(_ => rng.NextDouble() switch
            {
                < 0.3 => 0.0,
                < 0.6 => -0.0,
                < 0.62 => double.NaN,
                _ => rng.NextDouble() + 0.5,
            }).ToArray();

            // When the minimum is taken, Then it is bit for bit Math.Min folded left to right
            var expected = values.Aggregate(double.PositiveInfinity, Math.Min);
            BitConverter.DoubleToInt64Bits(Statistics.Min(values)).Should().Be(BitConverter.DoubleToInt64Bits(expected));
        }
    }

    [Fact]
    public void Tails_ExpectedShortfall_IsTheSortedTailSummedSmallestFirst()
    {
        // Given a heavy-tailed sample with an atom at zero
        var rng = new Xoshiro256StarStar(9);
        var sample = Enumerable.Range(0, 20_000).Select(_ => rng.NextDouble() < 0.7 ? 0.0 : rng.NextGaussian() / (0.1 + rng.NextDouble())).ToArray();
        var sorted = sample.Order().ToArray();

        // When the tails are computed
        var (_, es95, _, es99) = Statistics.Tails((double[])sample.Clone());

        // Then each shortfall is exactly the brute-force sum of the sorted tail, smallest first, over its count
        double Shortfall(double alpha)
        {
            var k = (int)Math.Floor(alpha * (sorted.Length - 1));
            var sum = 0.0;
            for (var i = 0; i <= k; i++) sum += sorted[i];
            return -sum / (k + 1);
        }
        es95.Should().Be(Shortfall(0.05));
        es99.Should().Be(Shortfall(0.01));
    }

    [Fact]
    public void MomentsThen_SampleCutIntoGroups_MatchesTheWholeSampleTwoPass()
    {
        var rng = new Xoshiro256StarStar(11);
        foreach (var sample in Samples())
        {
            // Given the sample cut into groups of random sizes (empty ones and one-value ones among them)
            var merged = Moments.Empty;
            for (var from = 0; from < sample.Length;)
            {
                var size = Math.Min(sample.Length - from, (int)(rng.NextDouble() * 40));
                merged = merged.Then(Moments.Of(sample.AsSpan(from, size)));
                from += size;
            }

            // Then the merged count, mean and M2 match a direct two-pass over the finite values (brute force, in decimal-free doubles)
            var finite = sample.Where(double.IsFinite).ToArray();
            var mean = finite.Length == 0 ? 0 : finite.Sum() / finite.Length;
            var m2 = finite.Sum(v => (v - mean) * (v - mean));
            merged.Count.Should().Be(finite.Length);
            merged.Mean.Should().BeApproximately(mean, 1e-12 * (1 + Math.Abs(mean)), $"n = {sample.Length}");
            merged.M2.Should().BeApproximately(m2, 1e-10 * (1 + m2), $"n = {sample.Length}");
        }
    }

    [Fact]
    public void MomentsOf_SpanAndIndexedForms_SameBitsAsScalarFourSums()
    {
        var rng = new Xoshiro256StarStar(5);
        var samples = Samples().ToList();
        // and samples with infinities and signed zeros, of every length near the vector width
        for (var n = 0; n < 40; n++)
        {
            samples.Add(Enumerable.Range(0, n).Select(_ => rng.NextDouble() switch
            {
                < 0.1 => double.PositiveInfinity,
                < 0.2 => double.NegativeInfinity,
                < 0.3 => -0.0,
                < 0.4 => double.NaN,
                _ => rng.NextGaussian() * 1e3,
            }).ToArray());
            samples.Add(Enumerable.Repeat(-0.0, n).ToArray());
        }
        foreach (var sample in samples)
        {
            // When the span form and the indexed form (both vectorised) take the same values
            var (count, mean, m2) = ScalarFourSums(sample);
            foreach (var moments in new[] { Moments.Of(sample), Moments.Of(new ArraySample(sample)) })
            {
                // Then count, mean and M2 are the bits of the definition: finite values only, value i into sum i mod 4
                moments.Count.Should().Be(count);
                BitConverter.DoubleToInt64Bits(moments.Mean).Should().Be(BitConverter.DoubleToInt64Bits(mean), $"n = {sample.Length}");
                BitConverter.DoubleToInt64Bits(moments.M2).Should().Be(BitConverter.DoubleToInt64Bits(m2), $"n = {sample.Length}");
            }
        }
    }

    /// <summary>
    /// The definition Moments.Of is held to, as a plain loop: four running sums (value i into sum i mod 4, the tail
    /// into the first), added pairwise, non-finite values skipped; the mean, then the squares about it the same way.
    /// Empty: (0, 0, 0).
    /// </summary>
    private static (double Count, double Mean, double M2) ScalarFourSums(double[] values)
    {
        var whole = values.Length & ~3;
        var sums = new double[4];
        var n = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i])) continue;
            n++;
            sums[i < whole ? i % 4 : 0] += values[i];
        }
        if (n == 0) return (0, 0, 0);
        var mean = ((sums[0] + sums[1]) + (sums[2] + sums[3])) / n;
        Array.Clear(sums);
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsFinite(values[i])) sums[i < whole ? i % 4 : 0] += (values[i] - mean) * (values[i] - mean);
        }
        return (n, mean, (sums[0] + sums[1]) + (sums[2] + sums[3]));
    }

    private readonly struct ArraySample(double[] values) : IIndexedSample
    {
        public int Length => values.Length;
        public double this[int index] => values[index];
        public Vector128<double> Pair(int index) => Vector128.Create(values[index], values[index + 1]);
    }

    [Fact]
    public void MomentsEstimate_KnownSample_GivesMeanStdAndStandardError()
    {
        // Given 2, 4, 4, 4, 5, 5, 7, 9 (mean 5, squares about it 32) and a NaN that does not count
        var moments = Moments.Of([2, 4, 4, 4, 5, 5, 7, 9, double.NaN]);

        // Then std = √(32/7) and SE = std/√8, as MeanAndStd gives
        moments.Count.Should().Be(8);
        moments.Estimate.Value.Should().Be(5);
        moments.Std.Should().BeApproximately(Math.Sqrt(32.0 / 7), 1e-15);
        moments.Estimate.StandardError.Should().BeApproximately(Math.Sqrt(32.0 / 7) / Math.Sqrt(8), 1e-15);
        Statistics.MeanAndStd([2, 4, 4, 4, 5, 5, 7, 9, double.NaN]).Should().Be((moments.Estimate, moments.Std));
    }

    [Fact]
    public void MomentsEstimate_NoneOrOneValue_IsMissingOrHasNoError()
    {
        Moments.Of([]).Estimate.Should().Be(Estimate.Missing);
        Moments.Of([double.NaN, double.PositiveInfinity]).Estimate.Should().Be(Estimate.Missing);
        Moments.Empty.Then(Moments.Empty).Estimate.Should().Be(Estimate.Missing);
        var one = Moments.Empty.Then(Moments.Of([3.0]));
        one.Estimate.Value.Should().Be(3.0);
        one.Estimate.StandardError.Should().Be(double.NaN);
        one.Std.Should().Be(double.NaN);
    }

    [Fact]
    public void MomentsPooled_GroupsGivenByMeanAndM2_MatchTheExpandedSample()
    {
        // Given three groups of 4 values, each summarised by its mean and M2, and a group with a NaN mean left out
        double[][] groups = [[1, 2, 3, 4], [10, 10, 11, 13], [-2, 0, 0, 6]];
        var means = groups.Select(g => Moments.Of(g).Mean).Append(double.NaN).ToArray();
        var m2s = groups.Select(g => Moments.Of(g).M2).Append(5.0).ToArray();

        // When pooled
        var pooled = Moments.Pooled(4, means, m2s);

        // Then it equals the moments of all twelve values
        var all = Moments.Of(groups.SelectMany(g => g).ToArray());
        pooled.Count.Should().Be(12);
        pooled.Mean.Should().BeApproximately(all.Mean, 1e-14);
        pooled.M2.Should().BeApproximately(all.M2, 1e-12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void MomentsPooled_GroupSizeNotPositive_Throws(double groupSize)
    {
        var act = () => Moments.Pooled(groupSize, [1.0], [0.0]);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void MomentsPooled_MissingM2s_Throws()
    {
        var act = () => Moments.Pooled(2, [1.0, 2.0], [0.0]);

        act.Should().Throw<ArgumentException>();
    }
}
