using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
        var rotated = (times5 << 7) | (times5 >>> 57);
        var result = (rotated << 3) + rotated;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 45) | (s3 >>> 19);
        return result;
    }

    /// <summary>
    /// Uniform on [0, 1) from the top 52 bits: they become the mantissa of a double in [1, 2), minus 1. Exact, and
    /// two instructions, cheaper than a 64-bit integer conversion.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Uniform(Vector512<ulong> bits) =>
        ((bits >>> 12) | Vector512.Create(0x3FF0000000000000UL)).AsDouble() - Vector512.Create(1.0);
}
