using MarketMaking.Core.Quoting;
using MathNet.Numerics.LinearAlgebra;

namespace MarketMaking.Core.Tests.Quoting;

public class GlftTests
{
    // The example of Guéant, Lehalle & Fernandez-Tapia (2013), section 6: σ = 0.3 tick/√s, A = 0.9 /s, k = 0.3 /tick, γ = 0.01.
    private static GlftParameters Paper(double gamma = 0.01, double drift = 0.0) => new(gamma, 0.3, 0.9, 0.3, 1.0, drift);

    [Fact]
    public void Asymptotic_HandValues_MatchTheClosedForm()
    {
        // Given the paper's parameters; reference values from numpy evaluating
        // c + ((2q+Δ)/2 − μ/(γσ²))·ξ and c + (μ/(γσ²) − (2q−Δ)/2)·ξ, c = ln(1+γΔ/k)/(γΔ), ξ = √(γσ²/(2AkΔ)·(1+γΔ/k)^(1+k/(γΔ)))
        var p = Paper();

        // Then
        Glft.StaticDepth(0.01, 0.3).Should().BeApproximately(3.278982282299097, 1e-13);
        Glft.AsymptoticBidDepth(p, 0).Should().BeApproximately(3.312915198564539, 1e-12);
        Glft.AsymptoticAskDepth(p, 0).Should().BeApproximately(3.312915198564539, 1e-12);
        Glft.AsymptoticBidDepth(p, 3).Should().BeApproximately(3.51651269615719, 1e-12);
        Glft.AsymptoticAskDepth(p, 3).Should().BeApproximately(3.1093177009718875, 1e-12);
        Glft.AsymptoticBidDepth(p, -2).Should().BeApproximately(3.177183533502771, 1e-12);
        Glft.AsymptoticAskDepth(p, -2).Should().BeApproximately(3.4486468636263066, 1e-12);
    }

    [Fact]
    public void Asymptotic_WithDriftAndSize_MatchesTheClosedForm()
    {
        // Given drift and a lot size (numpy values as above)
        var drift = Paper(drift: 0.0003);
        var sized = new GlftParameters(0.1, 2.0, 140, 1.5, size: 2.0, drift: 0.05);

        // Then
        Glft.AsymptoticBidDepth(drift, 0).Should().BeApproximately(3.290293254387578, 1e-12);
        Glft.AsymptoticAskDepth(drift, 0).Should().BeApproximately(3.3355371427415004, 1e-12);
        Glft.AsymptoticBidDepth(drift, 3).Should().BeApproximately(3.493890751980229, 1e-12);
        Glft.AsymptoticAskDepth(drift, 3).Should().BeApproximately(3.131939645148849, 1e-12);
        Glft.AsymptoticBidDepth(sized, 0).Should().BeApproximately(0.6583183422646579, 1e-12);
        Glft.AsymptoticAskDepth(sized, 0).Should().BeApproximately(0.667604807263123, 1e-12);
        Glft.AsymptoticBidDepth(sized, 4).Should().BeApproximately(0.8069017822400999, 1e-12);
        Glft.AsymptoticAskDepth(sized, 4).Should().BeApproximately(0.519021367287681, 1e-12);
    }

    [Fact]
    public void Asymptotic_PositiveDrift_BuysMoreEagerly()
    {
        // Given a rising mid, the maker wants to be long: tighter bid, wider ask at zero inventory
        var quote = new GlftModel(Paper(drift: 0.0003)).Quote(100, 0, 10);
        quote.BidDepth.Should().BeLessThan(quote.AskDepth!.Value);
        quote.ReservationPrice.Should().BeGreaterThan(100);
    }

    [Fact]
    public void Exact_MatchesScipyExpm()
    {
        // Given reference depths from scipy.linalg.expm(−(M − λ_min·I)·τ)·1 (shift for overflow only), with
        // γ = 0.1, σ = 2, A = 140, k = 1.5, Δ = 2, μ = 0.05, Q = 10, τ = 0.5
        var model = new GlftExactModel(new GlftParameters(0.1, 2.0, 140, 1.5, 2.0, 0.05), 10);
        double[] bid = [0.10038650697185703, 0.2995618134779261, 0.40891881260589547, 0.4978577155535687, 0.5808922338600672, 0.6626393795957611,
            0.7458913992155783, 0.8353346673279256, 0.9456485115954327, 1.1465266708030284];
        double[] ask = [1.1512449225682029, 0.9520696160621338, 0.8427126169341643, 0.7537737139864911, 0.6707391956799927, 0.5889920499442987,
            0.5057400303244816, 0.4162967622121343, 0.30598291794462723, 0.10510475873703151];

        // When solved
        var depths = model.Depths(0.5);

        // Then every depth agrees, and the bounds post one side only
        depths.Inventory.Should().Equal(-10, -8, -6, -4, -2, 0, 2, 4, 6, 8, 10);
        for (var i = 0; i < 10; i++)
        {
            depths.Bid[i]!.Value.Should().BeApproximately(bid[i], 1e-11, $"bid at {depths.Inventory[i]}");
            depths.Ask[i + 1]!.Value.Should().BeApproximately(ask[i], 1e-11, $"ask at {depths.Inventory[i + 1]}");
        }
        depths.Bid[10].Should().BeNull();
        depths.Ask[0].Should().BeNull();
    }

    [Fact]
    public void Exact_SmallQ_MatchesScipyExpmWithDrift()
    {
        // Given the paper's parameters with μ = 0.001, Q = 5, τ = 20 (scipy reference as above)
        var depths = new GlftExactModel(Paper(drift: 0.001), 5).Depths(20);
        double[] bid = [1.089551563820761, 2.134440977762994, 2.614211712952123, 2.9199259070602848, 3.1570153118208424, 3.3753180452342937,
            3.6136638253542093, 3.921903774237143, 4.4055485711412965, 5.455883786679779];
        double[] ask = [5.468413000777432, 4.4235235868352, 3.943752851646071, 3.63803865753791, 3.400949252777352, 3.182646519363901,
            2.9443007392439844, 2.6360607903610513, 2.1524159934568976, 1.1020807779184145];
        for (var i = 0; i < 10; i++)
        {
            depths.Bid[i]!.Value.Should().BeApproximately(bid[i], 1e-11);
            depths.Ask[i + 1]!.Value.Should().BeApproximately(ask[i], 1e-11);
        }
    }

    [Fact]
    public void Exact_AgreesWithEigendecomposition()
    {
        // Given M built independently and exponentiated through its symmetric eigendecomposition (MathNet)
        var p = Paper(gamma: 0.05);
        const int n = 8;
        const double tau = 37.5;
        var alpha = 0.5 * p.K * p.Gamma * p.Sigma * p.Sigma;
        var eta = p.A * Math.Pow(1 + p.Gamma / p.K, -(1 + p.K / p.Gamma));
        var m = Matrix<double>.Build.Dense(2 * n + 1, 2 * n + 1);
        for (var j = -n; j <= n; j++)
        {
            m[j + n, j + n] = alpha * j * j;
            if (j > -n) m[j + n, j + n - 1] = -eta;
            if (j < n) m[j + n, j + n + 1] = -eta;
        }
        var evd = m.Evd(Symmetricity.Symmetric);
        var lambda = evd.EigenValues.Select(z => z.Real).ToArray();
        var v = evd.EigenVectors;
        var coefficients = v.TransposeThisAndMultiply(Vector<double>.Build.Dense(2 * n + 1, 1.0));
        for (var i = 0; i < lambda.Length; i++) coefficients[i] *= Math.Exp(-(lambda[i] - lambda.Min()) * tau);
        var w = v * coefficients;

        // When the model solves the same problem
        var depths = new GlftExactModel(p, n).Depths(tau);

        // Then the bid depths agree
        var c = Glft.StaticDepth(p.Gamma, p.K);
        for (var i = 0; i < 2 * n; i++)
        {
            depths.Bid[i]!.Value.Should().BeApproximately(Math.Log(w[i] / w[i + 1]) / p.K + c, 1e-10);
        }
    }

    [Fact]
    public void Exact_AtZeroHorizon_QuotesTheStaticDepth()
    {
        var depths = new GlftExactModel(Paper(), 10).Depths(0);
        depths.Bid[10].Should().Be(Glft.StaticDepth(0.01, 0.3));
        depths.Ask[3].Should().Be(Glft.StaticDepth(0.01, 0.3));
    }

    [Fact]
    public void Exact_WithoutDrift_IsSymmetricInInventory()
    {
        // Given no drift
        var depths = new GlftExactModel(Paper(gamma: 0.05), 12).Depths(150);

        // Then δ_b(q) = δ_a(−q) for every q with both
        for (var i = 0; i < depths.Inventory.Count - 1; i++)
        {
            var mirror = depths.Inventory.Count - 1 - i;
            depths.Bid[i]!.Value.Should().BeApproximately(depths.Ask[mirror]!.Value, 1e-12);
        }
    }

    [Fact]
    public void Exact_InventoryBound_PostsOnlyTheReducingSide()
    {
        // Given Q = 4
        var model = new GlftExactModel(Paper(), 4);

        // Then at +Q: no bid but an ask; at −Q: no ask but a bid
        var top = model.Quote(100, 4, 60);
        top.Bid.Should().BeNull();
        top.Ask.Should().NotBeNull();
        var bottom = model.Quote(100, -4, 60);
        bottom.Ask.Should().BeNull();
        bottom.Bid.Should().NotBeNull();
    }

    [Fact]
    public void Exact_LongHorizonSmallGamma_ApproachesTheClosedForm()
    {
        // Given γ = 0.01 (the approximation's regime), Q = 30 and a horizon long against the spectral gap
        var model = new GlftExactModel(Paper(), 30);

        // When the quotes are compared with the closed form away from the bound (|q| ≤ 10)
        double MaxGap(GlftExactModel m, double tau)
        {
            var d = m.Depths(tau);
            var gap = 0.0;
            for (var i = 0; i < d.Inventory.Count; i++)
            {
                var q = d.Inventory[i];
                if (Math.Abs(q) > 10) continue;
                gap = Math.Max(gap, Math.Abs(d.Bid[i]!.Value - Glft.AsymptoticBidDepth(m.Parameters, q)));
                gap = Math.Max(gap, Math.Abs(d.Ask[i]!.Value - Glft.AsymptoticAskDepth(m.Parameters, q)));
            }
            return gap;
        }

        // Then they agree to 0.002 ticks (numpy: 0.00148), the stationary limit equals τ = 3000,
        // and the approximation worsens as γ grows (numpy at τ = 5000: 0.0052 for γ = 0.05, 0.021 for γ = 0.1)
        MaxGap(model, 3000).Should().BeLessThan(0.002);
        MaxGap(model, double.PositiveInfinity).Should().BeApproximately(MaxGap(model, 3000), 1e-6);
        MaxGap(new GlftExactModel(Paper(gamma: 0.1), 30), 3000).Should().BeGreaterThan(0.01);
    }

    [Fact]
    public void Exact_LongHorizonWithDrift_ApproachesTheClosedForm()
    {
        // Given a small drift, tilted quotes in both solutions
        var model = new GlftExactModel(Paper(drift: 0.0003), 30);
        var d = model.Depths(double.PositiveInfinity);
        for (var i = 20; i <= 40; i++)
        {
            d.Bid[i]!.Value.Should().BeApproximately(Glft.AsymptoticBidDepth(model.Parameters, d.Inventory[i]), 0.002);
            d.Ask[i]!.Value.Should().BeApproximately(Glft.AsymptoticAskDepth(model.Parameters, d.Inventory[i]), 0.002);
        }
    }

    [Fact]
    public void Exact_QuotesWidenOnTheSideThatAddsRisk()
    {
        // Given a long inventory
        var quote = new GlftExactModel(Paper(), 10).Quote(100, 5, 300);

        // Then the ask is the closer side and the centre sits below the mid
        quote.AskDepth.Should().BeLessThan(quote.BidDepth!.Value);
        quote.ReservationPrice.Should().BeLessThan(100);
    }

    [Theory]
    [InlineData(double.NaN, 0.3, 0.9, 0.3, 1.0, 0.0, "gamma")]
    [InlineData(0, 0.3, 0.9, 0.3, 1.0, 0.0, "gamma")]
    [InlineData(0.01, -0.3, 0.9, 0.3, 1.0, 0.0, "sigma")]
    [InlineData(0.01, 0, 0.9, 0.3, 1.0, 0.0, "sigma")]
    [InlineData(0.01, 0.3, 0, 0.3, 1.0, 0.0, "A")]
    [InlineData(0.01, 0.3, double.NaN, 0.3, 1.0, 0.0, "A")]
    [InlineData(0.01, 0.3, 0.9, -0.3, 1.0, 0.0, "k")]
    [InlineData(0.01, 0.3, 0.9, 0.3, 0, 0.0, "size")]
    [InlineData(0.01, 0.3, 0.9, 0.3, 1.0, double.NaN, "drift")]
    public void Parameters_Invalid_Throw(double gamma, double sigma, double a, double k, double size, double drift, string field)
    {
        var act = () => new GlftParameters(gamma, sigma, a, k, size, drift);
        act.Should().Throw<InputException>().Which.Field.Should().Be(field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(2.5)]
    [InlineData(double.NaN)]
    public void Exact_InvalidMaxInventory_Throws(double q)
    {
        var act = () => new GlftExactModel(Paper(), q);
        act.Should().Throw<InputException>().Which.Field.Should().Be("max_inventory");
    }

    [Theory]
    [InlineData(11, 1.0)]
    [InlineData(0.5, 1.0)]
    [InlineData(double.NaN, 1.0)]
    [InlineData(0, double.NaN)]
    [InlineData(0, -1)]
    public void Exact_InvalidInventoryOrTau_Throws(double q, double tau)
    {
        var act = () => new GlftExactModel(Paper(), 10).Quote(100, q, tau);
        act.Should().Throw<InputException>();
    }
}
