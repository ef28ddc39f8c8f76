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
            var v = VectorExp.Exp(Vector512.Create(x, -x, x * 1e-3, -x * 1e-3, x * 1e-6, -x * 1e-6, x * 0.5, -x * 0.5));
            // Then each lane agrees with Math.Exp within 3 ulp (relative 6·10⁻¹⁶)
            foreach (var (lane, arg) in new[] { (0, x), (1, -x), (2, x * 1e-3), (3, -x * 1e-3), (4, x * 1e-6), (5, -x * 1e-6), (6, x * 0.5), (7, -x * 0.5) })
            {
                Relative(v[lane], Math.Exp(arg)).Should().BeLessThan(6e-16, $"x = {arg}");
            }
        }
    }

    [Fact]
    public void Exp_ExactPoints_AreExact()
    {
        var v = VectorExp.Exp(Vector512.Create(0.0, 1.0, -1000.0, double.PositiveInfinity, 0.0, 0.0, 0.0, 0.0));
        v[0].Should().Be(1.0);
        v[1].Should().BeApproximately(Math.E, 4e-16 * Math.E);
        v[2].Should().BeLessThan(1e-300).And.BeGreaterThanOrEqualTo(0);
        v[3].Should().BeGreaterThan(1e307);
    }

    [Fact]
    public void ExpPair_AcrossTheRange_MatchesMathExpOfBothSigns()
    {
        // Given arguments from −700 to 700 (the kernel's are k·slope·q, typically within ±20)
        for (var i = -70000; i <= 70000; i += 7)
        {
            var x = i * 0.01 + 0.00123;
            var arguments = new[] { x, -x, x * 1e-3, -x * 1e-3, x * 1e-6, 0.0, x * 0.5, -x * 0.5 };
            VectorExp.ExpPair(Vector512.Create(arguments), out var exp, out var inverse);
            // Then e^x and e^−x agree with Math.Exp to 10⁻¹⁴ relative (the degree-11 polynomial's truncation is 6·10⁻¹⁵)
            for (var lane = 0; lane < 8; lane++)
            {
                Relative(exp[lane], Math.Exp(arguments[lane])).Should().BeLessThan(1e-14, $"x = {arguments[lane]}");
                Relative(inverse[lane], Math.Exp(-arguments[lane])).Should().BeLessThan(1e-14, $"x = {-arguments[lane]}");
            }
        }
    }

    [Fact]
    public void ExpPair_ZeroAndBeyondTheRange_ExactOneAndClamped()
    {
        // Given 0 (a strategy that does not lean on inventory) and arguments beyond the normal range
        VectorExp.ExpPair(Vector512.Create(0.0, 1000.0, -1000.0, double.PositiveInfinity, double.NegativeInfinity, 1.0, -1.0, 708.0), out var exp, out var inverse);

        // Then e^0 is exactly 1 both ways, and the clamped ends stay finite, positive and mutually inverse
        exp[0].Should().Be(1.0);
        inverse[0].Should().Be(1.0);
        for (var lane = 1; lane < 5; lane++)
        {
            double.IsFinite(exp[lane]).Should().BeTrue();
            exp[lane].Should().BePositive();
            inverse[lane].Should().BePositive();
            (exp[lane] * inverse[lane]).Should().BeApproximately(1.0, 1e-14);
        }
        exp[1].Should().BeGreaterThan(1e307);
        inverse[1].Should().BeLessThan(1e-307);
    }

    private static double Relative(double a, double b) => Math.Abs(a - b) / Math.Abs(b);
}
