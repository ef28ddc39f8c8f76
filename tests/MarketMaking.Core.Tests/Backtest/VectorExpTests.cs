using System.Runtime.Intrinsics;
using MarketMaking.Core.Backtest;

namespace MarketMaking.Core.Tests.Backtest;

public class VectorExpTests
{
    [Fact]
    public void Exp_AcrossTheRange_MatchesMathExpToThreeUlps()
    {
        // Given arguments from −700 to 700, including the kernel's typical −5 … 5
        for (var i = -70000; i <= 70000; i += 7)
        {
            var x = i * 0.01 + 0.00123;
            var v = VectorExp.Exp(Vector256.Create(x, -x, x * 1e-3, -x * 1e-3));
            // Then each lane agrees with Math.Exp within 3 ulp (relative 6·10⁻¹⁶)
            Relative(v[0], Math.Exp(x)).Should().BeLessThan(6e-16, $"x = {x}");
            Relative(v[1], Math.Exp(-x)).Should().BeLessThan(6e-16, $"x = {-x}");
            Relative(v[2], Math.Exp(x * 1e-3)).Should().BeLessThan(6e-16);
            Relative(v[3], Math.Exp(-x * 1e-3)).Should().BeLessThan(6e-16);
        }
    }

    [Fact]
    public void Exp_ExactPoints_AreExact()
    {
        var v = VectorExp.Exp(Vector256.Create(0.0, 1.0, -1000.0, double.PositiveInfinity));
        v[0].Should().Be(1.0);
        v[1].Should().BeApproximately(Math.E, 4e-16 * Math.E);
        v[2].Should().BeLessThan(1e-300).And.BeGreaterThanOrEqualTo(0);
        v[3].Should().BeGreaterThan(1e307);
    }

    private static double Relative(double a, double b) => Math.Abs(a - b) / Math.Abs(b);
}
