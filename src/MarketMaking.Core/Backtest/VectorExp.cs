using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MarketMaking.Core.Backtest;

/// <summary>
/// e^x on eight lanes, inlined into the kernel (the runtime's Vector512.Exp is an out-of-line call there): Cody–Waite
/// reduction x = n·ln2 + r with |r| ≤ ln2/2, a degree-12 Taylor polynomial for e^r (truncation below 2·10⁻¹⁶, Estrin's scheme), and
/// 2ⁿ built in the exponent bits. Within 3 ulp of the correctly rounded result; inputs clamped to [−708, 709] (the
/// normal range; NaN not propagated: the kernel masks unposted quotes). Fused multiply-adds are correctly rounded by
/// IEEE 754 (in hardware or in the runtime's fallback), so every machine computes the same bits.
/// </summary>
internal static class VectorExp
{
    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 0.6931471803691238; // ln 2 to 32 bits: n·Ln2Hi is exact for |n| < 2²¹
    private const double Ln2Lo = 1.9082149292705877e-10; // ln 2 − Ln2Hi

    /// <summary>1.5·2⁵²: adding it rounds to an integer held in the low mantissa bits.</summary>
    private const double Shifter = 6755399441055744.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        x = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(-708.0)), Vector512.Create(709.0));
        var shifted = Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), Vector512.Create(Shifter));
        var n = shifted - Vector512.Create(Shifter);
        var r = Vector512.FusedMultiplyAdd(-n, Vector512.Create(Ln2Lo), Vector512.FusedMultiplyAdd(-n, Vector512.Create(Ln2Hi), x));
        // Estrin's scheme for Σ r^i/i!, i = 0 … 12: depth 4 instead of Horner's 12, which matters when the kernel
        // runs a path's steps back to back (each step waits on the previous step's fills).
        var r2 = r * r;
        var r4 = r2 * r2;
        var r8 = r4 * r4;
        var p01 = Vector512.FusedMultiplyAdd(r, Vector512.Create(1.0), Vector512.Create(1.0));
        var p23 = Vector512.FusedMultiplyAdd(r, Vector512.Create(1.0 / 6.0), Vector512.Create(0.5));
        var p45 = Vector512.FusedMultiplyAdd(r, Vector512.Create(1.0 / 120.0), Vector512.Create(1.0 / 24.0));
        var p67 = Vector512.FusedMultiplyAdd(r, Vector512.Create(1.0 / 5040.0), Vector512.Create(1.0 / 720.0));
        var p89 = Vector512.FusedMultiplyAdd(r, Vector512.Create(1.0 / 362880.0), Vector512.Create(1.0 / 40320.0));
        var p1011 = Vector512.FusedMultiplyAdd(r, Vector512.Create(1.0 / 39916800.0), Vector512.Create(1.0 / 3628800.0));
        var q0 = Vector512.FusedMultiplyAdd(p23, r2, p01);
        var q1 = Vector512.FusedMultiplyAdd(p67, r2, p45);
        var q2 = Vector512.FusedMultiplyAdd(p1011, r2, p89);
        var s0 = Vector512.FusedMultiplyAdd(q1, r4, q0);
        var s1 = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 479001600.0), r4, q2);
        var p = Vector512.FusedMultiplyAdd(s1, r8, s0);
        // n sits in the low bits of shifted's mantissa (two's complement): add the bias, move it to the exponent.
        var bits = (shifted.AsUInt64() - Vector512.Create(BitConverter.DoubleToUInt64Bits(Shifter)) + Vector512.Create(1023UL)) << 52;
        return p * bits.AsDouble();
    }

    /// <summary>
    /// e^x and e^−x together, for the two sides of a quote that leans on inventory: one reduction x = n·ln2 + r, the
    /// even and odd parts of a degree-11 Taylor polynomial (e^±r = even ± odd; truncation below 10⁻¹⁴ relative, far
    /// under what a fill decision against a uniform can resolve), and 2^±n in the exponent bits. Two multiplications
    /// and no division more than one exponential. Inputs clamped to [−708, 708], where both results are normal.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ExpPair(Vector512<double> x, out Vector512<double> exp, out Vector512<double> inverse)
    {
        x = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(-708.0)), Vector512.Create(708.0));
        var shifted = Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), Vector512.Create(Shifter));
        var n = shifted - Vector512.Create(Shifter);
        var r = Vector512.FusedMultiplyAdd(-n, Vector512.Create(Ln2Lo), Vector512.FusedMultiplyAdd(-n, Vector512.Create(Ln2Hi), x));
        var r2 = r * r;
        var even = Vector512.FusedMultiplyAdd(r2, Vector512.Create(1.0 / 3628800.0), Vector512.Create(1.0 / 40320.0));
        even = Vector512.FusedMultiplyAdd(even, r2, Vector512.Create(1.0 / 720.0));
        even = Vector512.FusedMultiplyAdd(even, r2, Vector512.Create(1.0 / 24.0));
        even = Vector512.FusedMultiplyAdd(even, r2, Vector512.Create(0.5));
        even = Vector512.FusedMultiplyAdd(even, r2, Vector512.Create(1.0));
        var odd = Vector512.FusedMultiplyAdd(r2, Vector512.Create(1.0 / 39916800.0), Vector512.Create(1.0 / 362880.0));
        odd = Vector512.FusedMultiplyAdd(odd, r2, Vector512.Create(1.0 / 5040.0));
        odd = Vector512.FusedMultiplyAdd(odd, r2, Vector512.Create(1.0 / 120.0));
        odd = Vector512.FusedMultiplyAdd(odd, r2, Vector512.Create(1.0 / 6.0));
        odd = Vector512.FusedMultiplyAdd(odd, r2, Vector512.Create(1.0)) * r;
        // n in the low bits of shifted's mantissa (two's complement): 2^n and 2^−n as exponent fields.
        var bits = shifted.AsUInt64() - Vector512.Create(BitConverter.DoubleToUInt64Bits(Shifter));
        exp = (even + odd) * ((bits + Vector512.Create(1023UL)) << 52).AsDouble();
        inverse = (even - odd) * ((Vector512.Create(1023UL) - bits) << 52).AsDouble();
    }
}
