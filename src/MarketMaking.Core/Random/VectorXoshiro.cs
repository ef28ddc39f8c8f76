using System.Numerics;
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

    /// <summary>
    /// The state words of <see cref="Xoshiro256StarStar.ForStream(ulong, ulong, ulong)"/>(seed, firstPath + i, substream)
    /// for every i below the spans' length, word by word: eight streams at a time (a batch seeds 256 fill streams
    /// and 256 market streams, a dozen SplitMix64 rounds each), the last few one by one. The same words (tested).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForStreams(ulong seed, long firstPath, ulong substream, Span<ulong> w0, Span<ulong> w1, Span<ulong> w2, Span<ulong> w3)
    {
        var count = w0.Length;
        if (w1.Length != count || w2.Length != count || w3.Length != count) throw new ArgumentException("four words per stream");
        // The substream's half of the outer hash is the same for every path.
        var y = substream + Xoshiro256StarStar.StreamIndexMix;
        var outerIndex = Vector512.Create(BitOperations.RotateLeft(Xoshiro256StarStar.SplitMix64(ref y), 17));
        var lane = 0;
        for (; lane + 8 <= count; lane += 8)
        {
            var paths = Vector512.Create((ulong)(firstPath + lane)) + Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
            // inner = ForStream(seed, path): hash, then the seeding constructor's four SplitMix64 words.
            var x = Vector512.Create(seed ^ Xoshiro256StarStar.StreamSeedMix);
            var a = SplitMix64(ref x);
            var p = paths + Vector512.Create(Xoshiro256StarStar.StreamIndexMix);
            var b = SplitMix64(ref p);
            var inner = a ^ RotateLeft(b, 17);
            var s0 = SplitMix64(ref inner);
            var s1 = SplitMix64(ref inner);
            var s2 = SplitMix64(ref inner);
            var s3 = SplitMix64(ref inner);
            // outer = ForStream(inner.NextUInt64(), substream).
            var outer = Next(ref s0, ref s1, ref s2, ref s3) ^ Vector512.Create(Xoshiro256StarStar.StreamSeedMix);
            var state = SplitMix64(ref outer) ^ outerIndex;
            SplitMix64(ref state).CopyTo(w0[lane..]);
            SplitMix64(ref state).CopyTo(w1[lane..]);
            SplitMix64(ref state).CopyTo(w2[lane..]);
            SplitMix64(ref state).CopyTo(w3[lane..]);
        }
        for (; lane < count; lane++)
        {
            Xoshiro256StarStar.ForStream(seed, (ulong)(firstPath + lane), substream).ExportState(out w0[lane], out w1[lane], out w2[lane], out w3[lane]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> SplitMix64(ref Vector512<ulong> x)
    {
        x += Vector512.Create(0x9E3779B97F4A7C15UL);
        var z = x;
        z = (z ^ (z >>> 30)) * Vector512.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >>> 27)) * Vector512.Create(0x94D049BB133111EBUL);
        return z ^ (z >>> 31);
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
