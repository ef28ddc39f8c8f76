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

    /// <summary>16 bytes of 0xFF from offset k on: read 16 at offset k, the last k are kept.</summary>
    private static ReadOnlySpan<byte> ZerosThenOnes =>
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255];

    /// <summary>16 ones then 16 zeros: read 16 at offset 15 − k, the first k + 1 are one.</summary>
    private static ReadOnlySpan<byte> OnesThenZeros =>
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
}
