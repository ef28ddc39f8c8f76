using MarketMaking.Core.Quoting;

namespace MarketMaking.Core.Tests.Backtest;

public class QuotingTests
{
    [Fact]
    public void ReservationPrice_LongInventory_ShiftsBelowMid()
    {
        // Given S = 100, q = 3, γ = 0.1, σ = 2, τ = 0.5
        // When / Then r = S − qγσ²τ = 100 − 3·0.1·4·0.5 = 99.4 (by hand)
        AvellanedaStoikov.ReservationPrice(100, 3, 0.1, 2, 0.5).Should().BeApproximately(99.4, 1e-12);
        AvellanedaStoikov.ReservationPrice(100, -3, 0.1, 2, 0.5).Should().BeApproximately(100.6, 1e-12);
        AvellanedaStoikov.ReservationPrice(100, 0, 0.1, 2, 0.5).Should().Be(100);
    }

    [Theory]
    // δ* = ln(1 + γ/k)/γ + ½γσ²τ; values by /usr/bin/python3: math.log1p(g/k)/g + 0.5*g*s*s*tau
    [InlineData(0.1, 1.5, 2.0, 0.5, 0.7453852113757116)]
    [InlineData(1.0, 1.5, 2.0, 0.25, 1.0108256237659905)]
    public void OptimalHalfSpread_PaperParameters_MatchesHandComputed(double gamma, double k, double sigma, double tau, double expected)
    {
        AvellanedaStoikov.OptimalHalfSpread(gamma, k, sigma, tau).Should().BeApproximately(expected, 1e-13);
    }

    [Fact]
    public void OptimalHalfSpread_SmallGamma_TendsToOneOverK()
    {
        // As γ → 0, ln(1+γ/k)/γ → 1/k and the τ term vanishes.
        AvellanedaStoikov.OptimalHalfSpread(1e-9, 1.5, 2, 1).Should().BeApproximately(1 / 1.5, 1e-8);
    }

    [Fact]
    public void AvellanedaStoikovQuoter_Lanes_QuoteAroundReservationPrice()
    {
        // Given four lanes with different mids and inventories
        var strategy = new AvellanedaStoikovStrategy(0.1, 1.5, 2.0);
        var quoter = strategy.CreateQuoter(new QuoterSetup(4, 0, 200, 1.0, 0.005, 1));
        double[] mid = [100, 101, 99, 100], q = [0, 3, -2, 10], zeros = new double[4];
        var bid = new double[4];
        var ask = new double[4];

        // When quoting at τ = 0.5
        quoter.Quote(new QuoteRequest(100, 0.5, 0.5, 0.005, mid, q, zeros, zeros, zeros), new QuoteResponse(bid, ask, new double[4], new double[4]));

        // Then each lane is r ± δ* from the paper's formulas
        var half = AvellanedaStoikov.OptimalHalfSpread(0.1, 1.5, 2.0, 0.5);
        for (var i = 0; i < 4; i++)
        {
            var r = AvellanedaStoikov.ReservationPrice(mid[i], q[i], 0.1, 2.0, 0.5);
            bid[i].Should().BeApproximately(r - half, 1e-12);
            ask[i].Should().BeApproximately(r + half, 1e-12);
        }
    }

    [Theory]
    // numpy_baseline.py's avg_half: sum(0.5*g*s**2*(T-i*dt) + math.log1p(g/k)/g for i in range(200))/200
    [InlineData(0.1, 0.7458852113757115)]
    [InlineData(0.01, 0.6745042718668579)]
    [InlineData(1.0, 1.5158256237659904)]
    public void SymmetricStrategy_AverageHalfSpread_MatchesPaperSimulation(double gamma, double expected)
    {
        new SymmetricStrategy(gamma, 1.5, 2.0).AverageHalfSpread(200, 1.0).Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void SymmetricQuoter_AnyInventory_CentresOnMid()
    {
        var strategy = new SymmetricStrategy(0.1, 1.5, 2.0);
        var quoter = strategy.CreateQuoter(new QuoterSetup(4, 0, 200, 1.0, 0.005, 1));
        double[] mid = [100, 101, 99, 100], q = [0, 3, -2, 10], zeros = new double[4];
        var bid = new double[4];
        var ask = new double[4];

        quoter.Quote(new QuoteRequest(0, 0, 1, 0.005, mid, q, zeros, zeros, zeros), new QuoteResponse(bid, ask, new double[4], new double[4]));

        for (var i = 0; i < 4; i++)
        {
            bid[i].Should().BeApproximately(mid[i] - 0.7458852113757115, 1e-12);
            ask[i].Should().BeApproximately(mid[i] + 0.7458852113757115, 1e-12);
        }
    }

    [Theory]
    [InlineData(0, 1.5, 2, "gamma")]
    [InlineData(-0.1, 1.5, 2, "gamma")]
    [InlineData(double.NaN, 1.5, 2, "gamma")]
    [InlineData(0.1, 0, 2, "k")]
    [InlineData(0.1, -1, 2, "k")]
    [InlineData(0.1, double.NaN, 2, "k")]
    [InlineData(0.1, 1.5, -1, "sigma")]
    [InlineData(0.1, 1.5, double.NaN, "sigma")]
    public void Strategies_InvalidParameters_ThrowNamingField(double gamma, double k, double sigma, string field)
    {
        ((Action)(() => _ = new AvellanedaStoikovStrategy(gamma, k, sigma))).Should().Throw<InputException>().Which.Field.Should().Be(field);
        ((Action)(() => _ = new SymmetricStrategy(gamma, k, sigma))).Should().Throw<InputException>().Which.Field.Should().Be(field);
    }
}
