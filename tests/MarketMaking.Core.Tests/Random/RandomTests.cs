using MarketMaking.Core.Random;

namespace MarketMaking.Core.Tests.Random;

public class RandomTests
{
    [Fact]
    public void Xoshiro256StarStar_Seed42_MatchesReferenceImplementation()
    {
        // Reference: the authors' C code transcribed to Python, state seeded by four SplitMix64 outputs from 42.
        var rng = new Xoshiro256StarStar(42);

        rng.NextUInt64().Should().Be(0x15780b2e0c2ec716UL);
        rng.NextUInt64().Should().Be(0x6104d9866d113a7eUL);
        rng.NextUInt64().Should().Be(0xae17533239e499a1UL);
    }

    [Fact]
    public void ForStream_DifferentStreams_GiveDifferentSequences()
    {
        var a = Xoshiro256StarStar.ForStream(1, 0);
        var b = Xoshiro256StarStar.ForStream(1, 1);
        a.NextUInt64().Should().NotBe(b.NextUInt64());
    }

    [Fact]
    public void NextDouble_ManyDraws_StayInUnitIntervalWithMeanOneHalf()
    {
        var rng = new Xoshiro256StarStar(3);
        var sum = 0.0;
        const int n = 200_000;
        for (var i = 0; i < n; i++)
        {
            var u = rng.NextDouble();
            u.Should().BeGreaterThanOrEqualTo(0).And.BeLessThan(1);
            sum += u;
        }
        // Standard error of the mean is sqrt(1/12/n) ≈ 6.5e-4; allow 5 of them.
        (sum / n).Should().BeApproximately(0.5, 5 * Math.Sqrt(1.0 / 12 / n));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.0)]
    [InlineData(50.0)]
    [InlineData(2000.0)]
    public void Poisson_ManyDraws_MeanAndVarianceEqualTheMean(double mean)
    {
        var rng = new Xoshiro256StarStar(11);
        const int n = 100_000;
        double sum = 0, sumSq = 0;
        for (var i = 0; i < n; i++)
        {
            double x = Sampling.Poisson(ref rng, mean);
            sum += x;
            sumSq += x * x;
        }
        var m = sum / n;
        var v = sumSq / n - m * m;
        // SE of the mean is sqrt(mean/n); of the variance about mean·sqrt(2/n).
        m.Should().BeApproximately(mean, 5 * Math.Sqrt(mean / n));
        v.Should().BeApproximately(mean, 6 * mean * Math.Sqrt(2.0 / n) + 5 * Math.Sqrt(mean / n));
    }

    [Fact]
    public void NextGaussian_ManyDraws_HaveUnitVariance()
    {
        var rng = new Xoshiro256StarStar(5);
        const int n = 100_000;
        double sum = 0, sumSq = 0;
        for (var i = 0; i < n; i++)
        {
            var z = rng.NextGaussian();
            sum += z;
            sumSq += z * z;
        }
        (sum / n).Should().BeApproximately(0, 5 / Math.Sqrt(n));
        (sumSq / n).Should().BeApproximately(1, 5 * Math.Sqrt(2.0 / n));
    }
}
