using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MarketMaking.Core.Random;

/// <summary>
/// xoshiro256** on eight independent streams at once, one per vector lane, state split by word (structure of arrays).
/// Lane i produces exactly the sequence of the scalar <see cref="Xoshiro256StarStar"/> it was exported from.
/// </summary>
internal static class VectorXoshiro
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Next(ref Vector512<ulong> s0, ref Vector512<ulong> s1, ref Vector512<ulong> s2, ref Vector512<ulong> s3)
    {
        // rotl(s1·5, 7)·9, with the products as shifts and adds (cheaper than a 64-bit vector multiply).
        var times5 = (s1 << 2) + s1;
        var rotated = RotateLeft(times5, 7);
        var result = (rotated << 3) + rotated;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    /// <summary>One instruction with AVX-512 (the JIT does not fuse the shift pair), two shifts and an or elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> RotateLeft(Vector512<ulong> x, [ConstantExpected] byte count) =>
        Avx512F.IsSupported ? Avx512F.RotateLeft(x, count) : (x << count) | (x >>> (64 - count));

    /// <summary>
    /// Two uniforms on [0, 1) from one draw, 32 bits each (the high word, then the low word), placed in the mantissa
    /// of a double in [1, 2) and shifted down: exact, and half the generator work of two draws. A fill is decided by
    /// u &lt; p, so 32 bits resolve probabilities to 2⁻³² ≈ 2.3·10⁻¹⁰, far below any Monte Carlo error.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UniformPair(Vector512<ulong> bits, out Vector512<double> high, out Vector512<double> low)
    {
        var one = Vector512.Create(0x3FF0000000000000UL);
        high = (((bits >>> 32) << 20) | one).AsDouble() - Vector512.Create(1.0);
        low = (((bits & Vector512.Create(0xFFFFFFFFUL)) << 20) | one).AsDouble() - Vector512.Create(1.0);
    }
}
