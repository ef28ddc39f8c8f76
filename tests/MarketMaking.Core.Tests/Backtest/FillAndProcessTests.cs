using MarketMaking.Core.Backtest;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Tests.Backtest;

public class FillAndProcessTests
{
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(-1.0, 0.0)]
    [InlineData(0.1, 0.09516258196404048)] // 1 − e^(−0.1), python: -math.expm1(-0.1)
    [InlineData(1.0, 0.6321205588285577)]
    [InlineData(50.0, 1.0)]
    public void PoissonFills_Probability_IsOneMinusExpMinusLambdaDt(double x, double expected)
    {
        PoissonFills.Instance.Probability(x).Should().BeApproximately(expected, 1e-15);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(-1.0, 0.0)]
    [InlineData(0.1, 0.1)]
    [InlineData(0.7, 0.7)]
    [InlineData(1.5, 1.0)]
    public void LinearFills_Probability_IsLambdaDtCappedAtOne(double x, double expected)
    {
        LinearFills.Instance.Probability(x).Should().Be(expected);
    }

    [Fact]
    public void BinomialProcess_Step_MovesBySigmaSqrtDtEitherWay()
    {
        var process = new BinomialProcess(2.0);
        var rng = new Xoshiro256StarStar(7);
        var ups = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var next = process.Next(100, 0.005, ref rng);
            Math.Abs(Math.Abs(next - 100) - 2.0 * Math.Sqrt(0.005)).Should().BeLessThan(1e-12);
            if (next > 100) ups++;
        }
        // Binomial(10000, ½): sd 50; 4 sd.
        ups.Should().BeInRange(4800, 5200);
    }

    [Fact]
    public void GaussianProcess_ManySteps_HasDriftAndVariance()
    {
        // Given μ = 10, σ = 2, dt = 0.01: increments ~ N(0.1, 0.04)
        var process = new GaussianProcess(10, 2);
        var rng = new Xoshiro256StarStar(3);
        var n = 40_000;
        var increments = new double[n];
        for (var i = 0; i < n; i++) increments[i] = process.Next(0, 0.01, ref rng);
        var (mean, std) = Statistics.MeanAndStd(increments);
        // Then the mean is within 4 SE (0.2/√n = 0.001) and the std within 4·σ/√(2n)
        mean.Value.Should().BeApproximately(0.1, 0.004);
        std.Should().BeApproximately(0.2, 4 * 0.2 / Math.Sqrt(2 * n));
    }

    [Fact]
    public void GbmProcess_ManySteps_HasLogNormalMean()
    {
        // E[S_dt] = S·e^(μ·dt): with μ = 0.5, dt = 0.1, S = 100 → 105.127 (python: 100*math.exp(0.05))
        var process = new GbmProcess(0.5, 0.3);
        var rng = new Xoshiro256StarStar(5);
        var n = 40_000;
        var next = new double[n];
        for (var i = 0; i < n; i++) next[i] = process.Next(100, 0.1, ref rng);
        next.Should().OnlyContain(s => s > 0);
        var (mean, _) = Statistics.MeanAndStd(next);
        mean.Value.Should().BeApproximately(105.12710963760242, 4 * mean.StandardError);
    }

    [Theory]
    [InlineData(0.0, 1.0, "dt")]
    [InlineData(-0.1, 1.0, "dt")]
    [InlineData(double.NaN, 1.0, "dt")]
    [InlineData(0.005, 0.0, "horizon")]
    [InlineData(0.005, -1.0, "horizon")]
    [InlineData(0.3, 1.0, "horizon")]
    public void SyntheticMarket_InvalidGrid_ThrowsNamingField(double dt, double horizon, string field)
    {
        ((Action)(() => _ = new SyntheticMarket(new BinomialProcess(2), 100, dt, horizon))).Should().Throw<InputException>().Which.Field.Should().Be(field);
    }

    [Fact]
    public void Processes_NegativeOrNaNSigma_Throw()
    {
        ((Action)(() => _ = new BinomialProcess(-1))).Should().Throw<InputException>().Which.Field.Should().Be("sigma");
        ((Action)(() => _ = new GaussianProcess(0, double.NaN))).Should().Throw<InputException>().Which.Field.Should().Be("sigma");
        ((Action)(() => _ = new GbmProcess(double.NaN, 1))).Should().Throw<InputException>().Which.Field.Should().Be("drift");
    }

    [Fact]
    public void Quantile_SmallSample_MatchesNumpyLinearInterpolation()
    {
        // numpy.quantile([3,-1,4,1,-5,9,2,6,-2,0.5], p): -3.65, 1.5, 7.65
        double[] x = [3.0, -1.0, 4.0, 1.0, -5.0, 9.0, 2.0, 6.0, -2.0, 0.5];
        Statistics.Quantile((double[])x.Clone(), 0.05).Should().BeApproximately(-3.65, 1e-12);
        Statistics.Quantile((double[])x.Clone(), 0.5).Should().BeApproximately(1.5, 1e-12);
        Statistics.Quantile((double[])x.Clone(), 0.95).Should().BeApproximately(7.649999999999997, 1e-12);
    }

    [Fact]
    public void Quantiles_Several_MatchOneAtATime()
    {
        // Given a sample with ties
        var rng = new Xoshiro256StarStar(5);
        var values = Enumerable.Range(0, 1001).Select(_ => Math.Round(rng.NextGaussian() * 3, 1)).ToArray();
        double[] probabilities = [0.05, 0.25, 0.5, 0.75, 0.95];
        var result = new double[5];

        // When computed together
        Statistics.Quantiles((double[])values.Clone(), probabilities, result);

        // Then each equals the single-quantile computation
        for (var q = 0; q < 5; q++) result[q].Should().Be(Statistics.Quantile((double[])values.Clone(), probabilities[q]));
    }

    [Fact]
    public void Tails_SortedSample_MatchBruteForce()
    {
        // Given 1..1000 shuffled as losses
        var rng = new Xoshiro256StarStar(11);
        var values = Enumerable.Range(1, 1000).Select(i => (double)i - 500).OrderBy(_ => rng.NextDouble()).ToArray();
        var sorted = values.Order().ToArray();

        // When computing VaR/ES at 5% and 1%
        var (var95, es95, var99, es99) = Statistics.Tails(values);

        // Then they match sorting: q = x[k] + frac·(x[k+1] − x[k]), ES = −mean of the k+1 smallest
        var k95 = (int)Math.Floor(0.05 * 999);
        var k99 = (int)Math.Floor(0.01 * 999);
        var95.Should().BeApproximately(-(sorted[k95] + (0.05 * 999 - k95) * (sorted[k95 + 1] - sorted[k95])), 1e-12);
        es95.Should().BeApproximately(-sorted.Take(k95 + 1).Average(), 1e-12);
        var99.Should().BeApproximately(-(sorted[k99] + (0.01 * 999 - k99) * (sorted[k99 + 1] - sorted[k99])), 1e-12);
        es99.Should().BeApproximately(-sorted.Take(k99 + 1).Average(), 1e-12);
    }
    [Theory]
    [InlineData(100_003, 10)]
    [InlineData(15, 10)]
    [InlineData(40, 1)]
    public void WithBatchErrorsInPlace_Tails_SameBitsAsWithCopies(int n, int groups)
    {
        // Given a heavy-tailed sample (many ties at zero, as a one-step P&L with rare fills)
        var rng = new Xoshiro256StarStar(5);
        var sample = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.7 ? 0.0 : rng.NextGaussian() / (0.1 + rng.NextDouble())).ToArray();
        static double[] TailStatistics(Span<double> v)
        {
            var (var95, es95, var99, es99) = Statistics.Tails(v);
            return [var95, es95, var99, es99];
        }

        // When the tails and their batch errors are computed with copies (the definition, written out), and in place
        var copied = WithBatchErrorsByCopies(sample, groups, TailStatistics);
        var inPlace = Statistics.WithBatchErrorsInPlace((double[])sample.Clone(), groups, TailStatistics);

        // Then values and errors are the same bits
        inPlace.Should().Equal(copied);
        copied.Select(e => e.StandardError).Should().Match(errors => groups < 2 || n < 2 * groups ? errors.All(double.IsNaN) : errors.All(double.IsFinite));
    }

    /// <summary>Batch-means errors the plain way: each statistic on a copy of the whole sample and on a copy of each group.</summary>
    private static Estimate[] WithBatchErrorsByCopies(double[] sample, int groups, Func<Span<double>, double[]> statistics)
    {
        var values = statistics((double[])sample.Clone());
        if (groups < 2 || sample.Length < 2 * groups) return values.Select(v => new Estimate(v, double.NaN)).ToArray();
        var perGroup = Enumerable.Range(0, groups)
            .Select(g => statistics(sample[(int)((long)sample.Length * g / groups)..(int)((long)sample.Length * (g + 1) / groups)]))
            .ToArray();
        return values.Select((v, s) => new Estimate(v, Statistics.MeanAndStd(perGroup.Select(group => group[s]).ToArray()).Std / Math.Sqrt(groups))).ToArray();
    }
}
