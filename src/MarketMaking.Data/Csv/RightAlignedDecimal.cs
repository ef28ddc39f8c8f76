using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MarketMaking.Data.Csv;

/// <summary>
/// A plain decimal [-+]d*[.d*] of 1 to 15 digits in at most 16 bytes, parsed from the 16 bytes that END where it ends
/// (so it lies right-aligned in one vector, whatever its length): digits checked, the point taken out and the digits
/// summed with three multiply-adds, without a branch per byte. The mantissa (below 10^15) and the power of ten (at most
/// 10^15) are exact doubles and one division rounds correctly, so the value has double.Parse's bits, as
/// <see cref="CsvNumberStream"/>'s scalar parsers. Anything else returns false and the caller's scalar path decides.
/// </summary>
internal static class RightAlignedDecimal
{
    /// <summary>SSSE3 and SSE4.1 (every x64 the runtime supports in practice); elsewhere the scalar path reads every number.</summary>
    public static bool IsSupported => Ssse3.IsSupported && Sse41.IsSupported;

    /// <summary>
    /// Where the point of the numbers of one column is expected (prices are printed with a fixed count of decimals), and
    /// what follows from it: the shuffle that closes the gap it leaves and the power of ten to divide by. A number with
    /// the point elsewhere replaces the guess, so the guess only saves work, never changes a value.
    /// </summary>
    public struct Shape
    {
        /// <summary>The point's bit in the 16-byte window (bit 15: the last byte), 0 for no point.</summary>
        internal uint Point;
        internal int Points;
        internal Vector128<byte> CloseGap;
        internal double Divisor;


        /// <summary>A shape with the point at byte <paramref name="lane"/> of the window; −1: none.</summary>
        internal Shape(int lane)
        {
            Point = lane < 0 ? 0 : 1u << lane;
            Points = lane < 0 ? 0 : 1;
            // Bytes up to the point take the byte before them (the digits left of the point move right by one over it);
            // byte 0 takes index 255, which the shuffle reads as zero.
            CloseGap = Vector128<byte>.Indices - Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(OnesThenZeros), (nuint)(15 - lane));
            Divisor = CsvNumberStream.PowerOfTen((15 - lane) & 15);
        }

        /// <summary>No guess yet: the first number sets it.</summary>
        public static Shape None => new() { Point = uint.MaxValue };
    }

    /// <summary>
    /// The number in bytes [<paramref name="end"/> − <paramref name="length"/>, <paramref name="end"/>) of
    /// <paramref name="bytes"/>, when it is a plain decimal of the shape above; <paramref name="end"/> must be 16 or more.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParse(ref byte bytes, int end, int length, ref Shape shape, out double value)
    {
        value = 0;
        if ((uint)(length - 1) >= 16) return false;
        var raw = Vector128.LoadUnsafe(ref bytes, (nuint)(end - 16));
        var digits = raw - Vector128.Create((byte)'0');
        var digitBits = Vector128.LessThanOrEqual(digits, Vector128.Create((byte)9)).ExtractMostSignificantBits();
        var inNumber = (0xFFFFu << (16 - length)) & 0xFFFF;
        var point = Vector128.Equals(raw, Vector128.Create((byte)'.')).ExtractMostSignificantBits() & inNumber;
        if (point != shape.Point)
        {
            // A new shape (at most one point, else it is not a number and the scalar path says so).
            if ((point & (point - 1)) != 0) return false;
            shape = new Shape(31 - BitOperations.LeadingZeroCount(point));
        }
        var first = Unsafe.Add(ref bytes, end - length);
        var signed = first == (byte)'-' || first == (byte)'+' ? 1 : 0;
        // Every byte a digit except the point and a leading sign; 1 to 15 digits.
        var count = length - signed - shape.Points;
        if ((~digitBits & inNumber) != (point | ((uint)signed << (16 - length))) || (uint)(count - 1) >= 15) return false;
        // Zero what precedes the number (the previous line's bytes, the sign), close the point's gap, sum.
        var kept = digits & Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(ZerosThenOnes), (nuint)(length - signed));
        var packed = Ssse3.Shuffle(kept, shape.CloseGap);
        var pairs = Ssse3.MultiplyAddAdjacent(packed, Vector128.Create((sbyte)10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1));
        var fours = Sse2.MultiplyAddAdjacent(pairs, Vector128.Create((short)100, 1, 100, 1, 100, 1, 100, 1));
        var eights = Sse2.MultiplyAddAdjacent(Sse41.PackUnsignedSaturate(fours, fours).AsInt16(), Vector128.Create((short)10000, 1, 10000, 1, 10000, 1, 10000, 1));
        // Lane 0: the first eight digits, lane 1: the last eight.
        var halves = eights.AsUInt64().ToScalar();
        var mantissa = (long)((halves & 0xFFFF_FFFF) * 100_000_000 + (halves >> 32));
        var magnitude = mantissa / shape.Divisor;
        value = first == (byte)'-' ? -magnitude : magnitude;
        return true;
    }

    /// <summary>AVX-512 (byte and quadword instructions): four numbers at once with <see cref="TryParseFour"/>.</summary>
    public static bool IsFourSupported => IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported;

    /// <summary>The shapes of four numbers in a row (a, b, a, b: one column twice over, or two columns of two lines), for <see cref="TryParseFour"/>.</summary>
    public readonly struct FourShape
    {
        /// <summary>The points' bits, 16 per number.</summary>
        internal readonly ulong Points;
        internal readonly Vector512<byte> CloseGap;
        internal readonly Vector256<double> Divisors;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public FourShape(Shape a, Shape b)
        {
            Points = a.Point | ((ulong)b.Point << 16) | ((ulong)a.Point << 32) | ((ulong)b.Point << 48);
            CloseGap = Vector512.Create(Vector256.Create(a.CloseGap, b.CloseGap), Vector256.Create(a.CloseGap, b.CloseGap));
            Divisors = Vector256.Create(a.Divisor, b.Divisor, a.Divisor, b.Divisor);
        }
    }

    /// <summary>
    /// Four numbers ending at <paramref name="e0"/> to <paramref name="e3"/>, of <paramref name="l0"/> to
    /// <paramref name="l3"/> bytes (ends 16 or more), as <see cref="TryParse"/> reads each, when all four are of their
    /// <paramref name="shape"/>: one vector of 64 bytes, the per-number checks on 64-bit masks, one division of four.
    /// False (nothing read) when any is not; <see cref="TryParse"/> then reads them one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseFour(ref byte bytes, int e0, int e1, int e2, int e3, int l0, int l1, int l2, int l3, in FourShape shape, out Vector256<double> values)
    {
        values = default;
        if (((uint)(l0 - 1) | (uint)(l1 - 1) | (uint)(l2 - 1) | (uint)(l3 - 1)) >= 16) return false;
        var raw = Vector512.Create(
            Vector256.Create(Vector128.LoadUnsafe(ref bytes, (nuint)(e0 - 16)), Vector128.LoadUnsafe(ref bytes, (nuint)(e1 - 16))),
            Vector256.Create(Vector128.LoadUnsafe(ref bytes, (nuint)(e2 - 16)), Vector128.LoadUnsafe(ref bytes, (nuint)(e3 - 16))));
        var digits = raw - Vector512.Create((byte)'0');
        var digitBits = Vector512.LessThanOrEqual(digits, Vector512.Create((byte)9)).ExtractMostSignificantBits();
        var inNumber = (0xFFFFUL << (16 - l0) & 0xFFFF) | ((0xFFFFUL << (16 - l1) & 0xFFFF) << 16)
            | ((0xFFFFUL << (16 - l2) & 0xFFFF) << 32) | (0xFFFFUL << (16 - l3) << 48);
        var points = Vector512.Equals(raw, Vector512.Create((byte)'.')).ExtractMostSignificantBits() & inNumber;
        var minus = Vector512.Equals(raw, Vector512.Create((byte)'-'));
        var signLanes = (minus | Vector512.Equals(raw, Vector512.Create((byte)'+'))).ExtractMostSignificantBits() & inNumber;
        var signBits = 0UL;
        var negative = 0;
        if (signLanes != 0)
        {
            // A sign counts on the first byte of a number only (a number's first byte: in it, the byte before not).
            var firstBytes = inNumber & ~((inNumber << 1) & 0xFFFE_FFFE_FFFE_FFFEUL);
            signBits = signLanes & firstBytes;
            // Which numbers have a minus: each 16-bit group folded to its bit 0, the four bits gathered by one multiplication.
            var group = minus.ExtractMostSignificantBits() & firstBytes;
            group |= (group >> 8) & 0x00FF_00FF_00FF_00FFUL;
            group |= (group >> 4) & 0x0F0F_0F0F_0F0F_0F0FUL;
            group |= (group >> 2) & 0x3333_3333_3333_3333UL;
            group |= (group >> 1) & 0x5555_5555_5555_5555UL;
            negative = (int)(((group & 0x0001_0001_0001_0001UL) * ((1UL << 45) | (1UL << 30) | (1UL << 15) | 1)) >> 45) & 0xF;
        }
        // Each number: its point where its shape has it, every other byte a digit but a leading sign, 1 to 15 digits
        // (no 16-bit group of its digits' bits 0 or all ones: the "has a zero lane" test on the bits and their complement).
        const ulong Ones = 0x0001_0001_0001_0001UL, Highs = 0x8000_8000_8000_8000UL;
        var digitsIn = digitBits & inNumber;
        if (points != shape.Points || (~digitBits & inNumber) != (points | signBits)
            || (((digitsIn - Ones) & ~digitsIn & Highs) | ((~digitsIn - Ones) & digitsIn & Highs)) != 0)
        {
            return false;
        }
        // As TryParse, four numbers to a vector: keep the numbers' bytes but signs (the 64 mask bits spread to bytes), close the gaps, sum.
        var keep = Avx512BW.Shuffle(Vector512.Create(inNumber & ~signBits).AsByte(), Vector512.Create(
            (byte)0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
            4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7));
        var bit = Vector512.Create(0x8040_2010_0804_0201UL).AsByte();
        var kept = digits & Vector512.Equals(keep & bit, bit);
        var pairs = Avx512BW.MultiplyAddAdjacent(Avx512BW.Shuffle(kept, shape.CloseGap), Vector512.Create((short)0x010A).AsSByte());
        var fours = Avx512BW.MultiplyAddAdjacent(pairs, Vector512.Create(0x0001_0064).AsInt16());
        var eights = Avx512BW.MultiplyAddAdjacent(Avx512BW.PackUnsignedSaturate(fours, fours).AsInt16(), Vector512.Create(0x0001_2710).AsInt16()).AsUInt64();
        var mantissas = Avx512F.Multiply(eights.AsUInt32(), Vector512.Create(100_000_000UL).AsUInt32()) + (eights >> 32);
        var magnitudes = Vector256.ConvertToDouble(Vector512.Shuffle(mantissas.AsInt64(), Vector512.Create(0L, 2, 4, 6, 0, 0, 0, 0)).GetLower()) / shape.Divisors;
        values = (magnitudes.AsUInt64() ^ Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(SignBits), (nuint)(4 * negative))).AsDouble();
        return true;
    }

    /// <summary>Row k: the sign bits of four doubles, bit j of k setting double j's.</summary>
    private static ReadOnlySpan<ulong> SignBits =>
    [
        0, 0, 0, 0, S, 0, 0, 0, 0, S, 0, 0, S, S, 0, 0,
        0, 0, S, 0, S, 0, S, 0, 0, S, S, 0, S, S, S, 0,
        0, 0, 0, S, S, 0, 0, S, 0, S, 0, S, S, S, 0, S,
        0, 0, S, S, S, 0, S, S, 0, S, S, S, S, S, S, S,
    ];

    private const ulong S = 1UL << 63;

    /// <summary>16 bytes of 0xFF from offset k on: read 16 at offset k, the last k are kept.</summary>
    private static ReadOnlySpan<byte> ZerosThenOnes =>
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255];

    /// <summary>16 ones then 16 zeros: read 16 at offset 15 − k, the first k + 1 are one.</summary>
    private static ReadOnlySpan<byte> OnesThenZeros =>
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
}
