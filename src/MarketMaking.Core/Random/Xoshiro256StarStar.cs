using System.Numerics;
using System.Runtime.CompilerServices;

namespace MarketMaking.Core.Random;

/// <summary>
/// xoshiro256** (Blackman and Vigna, 2018): fast, small state, seedable. Each Monte Carlo path gets its own
/// stream from <see cref="ForStream"/>, so results never depend on how paths are spread over threads.
/// A mutable struct: pass it by ref.
/// </summary>
public struct Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;

    public Xoshiro256StarStar(ulong seed)
    {
        // SplitMix64 expands the seed, as the authors recommend; it never yields the all-zero state.
        var x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>An independent stream for (seed, stream): the two are hashed together before seeding.</summary>
    public static Xoshiro256StarStar ForStream(ulong seed, ulong stream)
    {
        var x = seed ^ StreamSeedMix;
        var a = SplitMix64(ref x);
        var y = stream + StreamIndexMix;
        var b = SplitMix64(ref y);
        return new Xoshiro256StarStar(a ^ BitOperations.RotateLeft(b, 17));
    }

    /// <summary>Stream for a multi-level key such as (cell, path).</summary>
    public static Xoshiro256StarStar ForStream(ulong seed, ulong stream, ulong substream)
    {
        var inner = ForStream(seed, stream);
        return ForStream(inner.NextUInt64(), substream);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>Uniform on (0, 1): safe to take the logarithm of.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / 9007199254740992.0);

    /// <summary>Standard normal by the Marsaglia polar method (no cached second value: the struct stays small and copy-safe).</summary>
    public double NextGaussian()
    {
        while (true)
        {
            var u = 2.0 * NextDouble() - 1.0;
            var v = 2.0 * NextDouble() - 1.0;
            var s = u * u + v * v;
            if (s > 0 && s < 1)
            {
                return u * Math.Sqrt(-2.0 * Math.Log(s) / s);
            }
        }
    }

    /// <summary>The four state words, for generators that run many streams side by side (the backtest's vector kernel).</summary>
    internal readonly void ExportState(out ulong s0, out ulong s1, out ulong s2, out ulong s3)
    {
        s0 = _s0;
        s1 = _s1;
        s2 = _s2;
        s3 = _s3;
    }

    /// <summary>A generator continuing from state words <see cref="ExportState"/> gave (a vector lane run alone).</summary>
    internal static Xoshiro256StarStar FromState(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        var rng = default(Xoshiro256StarStar);
        rng._s0 = s0;
        rng._s1 = s1;
        rng._s2 = s2;
        rng._s3 = s3;
        return rng;
    }

    // ForStream's constants for the seed's and the stream index's halves of the hash (VectorXoshiro.ForStreams too).
    internal const ulong StreamSeedMix = 0x9E3779B97F4A7C15UL, StreamIndexMix = 0xD1B54A32D192ED03UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
