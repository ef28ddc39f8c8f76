using MarketMaking.Core.Quoting;

namespace MarketMaking.Core.Tests.Quoting;

public class AvellanedaStoikovTests
{
    [Fact]
    public void ReservationPrice_HandValue()
    {
        // Given S = 100, q = 3, γ = 0.1, σ = 2, τ = 0.5
        // Then r = 100 − 3·0.1·4·0.5 = 99.4
        AvellanedaStoikov.ReservationPrice(100, 3, 0.1, 2, 0.5).Should().BeApproximately(99.4, 1e-12);
        AvellanedaStoikov.ReservationPrice(100, -3, 0.1, 2, 0.5).Should().BeApproximately(100.6, 1e-12);
        AvellanedaStoikov.ReservationPrice(100, 3, 0.1, 2, 0).Should().Be(100);
    }

    [Fact]
    public void OptimalHalfSpread_HandValue()
    {
        // Given γ = 0.1, k = 1.5, σ = 2, τ = 0.5
        // Then (1/0.1)·ln(16/15) + ½·0.1·4·0.5 = 0.6453852113757118 + 0.1
        AvellanedaStoikov.OptimalHalfSpread(0.1, 1.5, 2, 0.5).Should().BeApproximately(0.7453852113757118, 1e-13);
        AvellanedaStoikov.OptimalSpread(0.1, 1.5, 2, 0.5).Should().BeApproximately(2 * 0.7453852113757118, 1e-13);
    }

    [Fact]
    public void ArrivalHalfSpread_HandValue_AndTheTwoPartFormIsTheWholeFormula()
    {
        // Given γ = 0.1, k = 1.5: (1/0.1)·ln(16/15) = 0.6453852113757118
        var arrival = AvellanedaStoikov.ArrivalHalfSpread(0.1, 1.5);
        arrival.Should().BeApproximately(0.6453852113757118, 1e-14);

        // Then the half-spread from the precomputed part equals the whole formula bit for bit at every τ
        foreach (var tau in new[] { 0.0, 0.005, 0.5, 1.0, 37.25 })
        {
            AvellanedaStoikov.OptimalHalfSpreadFromArrival(arrival, 0.1, 2, tau).Should().Be(AvellanedaStoikov.OptimalHalfSpread(0.1, 1.5, 2, tau));
        }
    }

    [Fact]
    public void Quote_LongInventory_ShiftsBothQuotesDown()
    {
        // Given the model at q = 3
        var model = new AvellanedaStoikovModel(0.1, 2, 1.5);

        // When quoted
        var quote = model.Quote(100, 3, 0.5);

        // Then bid/ask are r ∓ half-spread and the quote's centre is the reservation price
        quote.Bid.Should().BeApproximately(99.4 - 0.7453852113757118, 1e-12);
        quote.Ask.Should().BeApproximately(99.4 + 0.7453852113757118, 1e-12);
        quote.ReservationPrice.Should().BeApproximately(99.4, 1e-12);
        quote.HalfSpread.Should().BeApproximately(0.7453852113757118, 1e-12);
        quote.AskDepth.Should().BeLessThan(quote.BidDepth!.Value, "a long book sells more eagerly than it buys");
    }

    [Fact]
    public void Quote_AtInventoryLimit_PostsNoBid()
    {
        // Given a limit of 3 and unit size
        var model = new AvellanedaStoikovModel(0.1, 2, 1.5, maxInventory: 3);

        // Then at +3 there is no bid, at −3 no ask, inside both sides
        model.Quote(100, 3, 0.5).Bid.Should().BeNull();
        model.Quote(100, 3, 0.5).Ask.Should().NotBeNull();
        model.Quote(100, -3, 0.5).Ask.Should().BeNull();
        model.Quote(100, 2, 0.5).Bid.Should().NotBeNull();
        model.Quote(100, 3, 0.5).ReservationPrice.Should().BeNull();
    }

    [Theory]
    [InlineData(double.NaN, 2, 1.5, "gamma")]
    [InlineData(0, 2, 1.5, "gamma")]
    [InlineData(-0.1, 2, 1.5, "gamma")]
    [InlineData(0.1, double.NaN, 1.5, "sigma")]
    [InlineData(0.1, -2, 1.5, "sigma")]
    [InlineData(0.1, 2, double.NaN, "k")]
    [InlineData(0.1, 2, 0, "k")]
    [InlineData(0.1, 2, -1, "k")]
    public void Model_InvalidParameters_Throw(double gamma, double sigma, double k, string field)
    {
        var act = () => new AvellanedaStoikovModel(gamma, sigma, k);
        act.Should().Throw<InputException>().Which.Field.Should().Be(field);
    }

    [Theory]
    [InlineData(double.NaN, 0, 1, "mid")]
    [InlineData(100, double.NaN, 1, "q")]
    [InlineData(100, 0, double.NaN, "tau")]
    [InlineData(100, 0, -1, "tau")]
    public void Quote_InvalidInputs_Throw(double mid, double q, double tau, string field)
    {
        var act = () => new AvellanedaStoikovModel(0.1, 2, 1.5).Quote(mid, q, tau);
        act.Should().Throw<InputException>().Which.Field.Should().Be(field);
    }

    [Fact]
    public void Model_NegativeMaxInventory_Throws()
    {
        var act = () => new AvellanedaStoikovModel(0.1, 2, 1.5, maxInventory: -1);
        act.Should().Throw<InputException>().Which.Field.Should().Be("max_inventory");
    }
}
