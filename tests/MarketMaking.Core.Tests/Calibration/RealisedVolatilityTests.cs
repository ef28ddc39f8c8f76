using MarketMaking.Core;
using MarketMaking.Core.Volatility;

namespace MarketMaking.Core.Tests.Calibration;

public class RealisedVolatilityTests
{
    [Fact]
    public void Estimate_HandComputedSeries_MatchesClosedForm()
    {
        // Given increments +1, −1, +1, −1 at dt = 0.25: drift 0, σ² = (1/4)·Σ 1/0.25 = 4, σ = 2
        double[] mid = [100, 101, 100, 101, 100];

        var estimate = RealisedVolatility.Estimate(mid, 0.25);

        estimate.Sigma.Should().BeApproximately(2.0, 1e-12);
        estimate.StandardError.Should().BeApproximately(2.0 / Math.Sqrt(8), 1e-12);
        estimate.Increments.Should().Be(4);
    }

    [Fact]
    public void Estimate_SimulatedBrownianMotion_RecoversSigma()
    {
        var rng = new MarketMaking.Core.Random.Xoshiro256StarStar(9);
        var mid = new double[20_001];
        mid[0] = 100;
        for (var i = 1; i < mid.Length; i++) mid[i] = mid[i - 1] + 0.3 * 0.01 + 2.0 * Math.Sqrt(0.01) * rng.NextGaussian();

        var estimate = RealisedVolatility.Estimate(mid, 0.01);

        estimate.Sigma.Should().BeApproximately(2.0, 4 * estimate.StandardError);
    }

    [Fact]
    public void Estimate_TimeNotIncreasing_Throws()
    {
        var act = () => RealisedVolatility.Estimate([1.0, 2.0, 3.0], [0.0, 1.0, 1.0]);
        act.Should().Throw<InputException>().Which.Field.Should().Be("time");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Estimate_BadDt_Throws(double dt)
    {
        var act = () => RealisedVolatility.Estimate([1.0, 2.0, 3.0], dt);
        act.Should().Throw<InputException>().Which.Field.Should().Be("dt");
    }

    [Fact]
    public void Estimate_TooFewPoints_Throws()
    {
        var act = () => RealisedVolatility.Estimate([1.0, 2.0], 1.0);
        act.Should().Throw<InputException>();
    }
}
