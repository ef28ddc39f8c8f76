using MarketMaking.Core.Random;
using MarketMaking.Core.Volatility;

namespace MarketMaking.Core.Tests.Volatility;

public class GarchFilterTests
{
    [Fact]
    public void Update_AfterWarmUp_ContinuesTheFittedRecursionExactly()
    {
        // Given a filter warmed on the first 1,500 dem2gbp returns
        var returns = Garch11Tests.Dem2Gbp();
        var warmUp = returns.Take(1500).ToArray();
        var filter = GarchFilter.Warm(warmUp);
        var p = filter.Parameters;

        // When the remaining returns are fed one by one
        // Then each forecast equals the batch recursion with the same parameters over the whole series, where the
        // presample is the warm-up's mean(e²): so compare against a direct recursion seeded by the fit's h_{n+1}
        var h = filter.LastFit!.NextVariance;
        filter.Variance.Should().Be(h);
        foreach (var r in returns.Skip(1500))
        {
            var e = r - p.Mu;
            h = p.Omega + p.Alpha * e * e + p.Beta * h;
            filter.Update(r).Should().BeApproximately(h, 1e-15);
        }
        filter.Updates.Should().Be(474);
        filter.Refits.Should().Be(0);
        filter.Volatility.Should().BeApproximately(Math.Sqrt(h), 1e-15);
    }

    [Fact]
    public void Update_FullSampleParameters_ReproducesTheConditionalVariances()
    {
        // Given known parameters and the fit's initial variance h_1
        var returns = Garch11Tests.Dem2Gbp();
        var fit = Garch11.Fit(returns);
        var filter = new GarchFilter(fit.Parameters, fit.ConditionalVariances[0]);

        // When every return but the last is fed
        // Then the filter's forecast is h_{t+1} of the batch fit, step by step
        for (var t = 0; t < returns.Length - 1; t++)
        {
            filter.Update(returns[t]).Should().BeApproximately(fit.ConditionalVariances[t + 1], 1e-14);
        }
        filter.Update(returns[^1]).Should().BeApproximately(fit.NextVariance, 1e-14);
    }

    [Fact]
    public void Update_WithRefitEvery_RefitsOnTheLatestWindow()
    {
        // Given a filter with a 400-return window refitting every 100 updates on simulated GARCH data
        var truth = new Garch11Parameters(0.0, 0.05, 0.1, 0.85);
        var rng = new Xoshiro256StarStar(7);
        var returns = Garch11Tests.Simulate(truth, 700, ref rng);
        var filter = GarchFilter.Warm(returns.Take(400).ToArray(), refitEvery: 100);

        // When 300 more returns arrive
        foreach (var r in returns.Skip(400)) filter.Update(r);

        // Then it refitted three times, the last time on exactly the latest 400 returns
        (filter.Refits + filter.FailedRefits).Should().Be(3);
        filter.Refits.Should().Be(3);
        var direct = Garch11.Fit(returns.Skip(300).ToArray());
        filter.LastFit!.LogLikelihood.Should().BeApproximately(direct.LogLikelihood, 1e-6);
        filter.Variance.Should().BeApproximately(direct.NextVariance, 1e-6 * direct.NextVariance);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Update_NonFiniteReturn_Throws(double r)
    {
        var filter = new GarchFilter(new Garch11Parameters(0, 0.02, 0.1, 0.8), 0.2);
        var act = () => filter.Update(r);
        act.Should().Throw<InputException>().Which.Field.Should().Be("return");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Constructor_InvalidVariance_Throws(double variance)
    {
        var act = () => new GarchFilter(new Garch11Parameters(0, 0.02, 0.1, 0.8), variance);
        act.Should().Throw<InputException>().Which.Field.Should().Be("variance");
    }

    [Fact]
    public void Warm_NegativeRefitEvery_Throws()
    {
        var act = () => GarchFilter.Warm(Garch11Tests.Dem2Gbp(), refitEvery: -1);
        act.Should().Throw<InputException>().Which.Field.Should().Be("refit_every");
    }
}
