using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;

namespace MarketMaking.Charts.Png;

/// <summary>
/// Deterministic PNG writer: IHDR, one IDAT, IEND and nothing else (no time or text chunks), so the same pixels
/// always give the same bytes on a given runtime. Opaque images are written as 8-bit RGB, others as 8-bit RGBA.
/// </summary>
internal static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Fixed level: part of the determinism contract (changing it changes every file).</summary>
    internal const CompressionLevel Level = CompressionLevel.Fastest;

    public static byte[] Encode(ReadOnlySpan<byte> rgba, int width, int height)
    {
        if (rgba.Length != checked(width * height * 4))
        {
            throw new ArgumentException("pixel buffer does not match width x height x 4", nameof(rgba));
        }

        var opaque = IsOpaque(rgba);
        var bpp = opaque ? 3 : 4;
        var stride = width * bpp;
        var filtered = Filter(rgba, width, height, bpp, stride);

        using var idat = new MemoryStream(filtered.Length / 8 + 1024);
        using (var z = new ZLibStream(idat, Level, leaveOpen: true))
        {
            z.Write(filtered);
        }

        using var png = new MemoryStream((int)idat.Length + 64);
        png.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = (byte)(opaque ? 2 : 6); // colour type: truecolour / truecolour with alpha
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering
        ihdr[12] = 0; // no interlace
        WriteChunk(png, "IHDR"u8, ihdr);
        WriteChunk(png, "IDAT"u8, idat.GetBuffer().AsSpan(0, (int)idat.Length));
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static bool IsOpaque(ReadOnlySpan<byte> rgba)
    {
        for (var i = 3; i < rgba.Length; i += 4)
        {
            if (rgba[i] != 255)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Per row, picks the filter (None/Sub/Up/Paeth) whose output has the smallest sum of |signed byte|.</summary>
    private static byte[] Filter(ReadOnlySpan<byte> rgba, int width, int height, int bpp, int stride)
    {
        var output = new byte[height * (stride + 1)];
        var previous = new byte[stride];
        var current = new byte[stride];
        var candidate = new byte[stride];
        var best = new byte[stride];

        for (var y = 0; y < height; y++)
        {
            var src = rgba.Slice(y * width * 4, width * 4);
            if (bpp == 4)
            {
                src.CopyTo(current);
            }
            else
            {
                for (int i = 0, j = 0; i < src.Length; i += 4, j += 3)
                {
                    current[j] = src[i];
                    current[j + 1] = src[i + 1];
                    current[j + 2] = src[i + 2];
                }
            }

            var dest = output.AsSpan(y * (stride + 1) + 1, stride);
            byte bestType;
            if (y > 0 && current.AsSpan().SequenceEqual(previous))
            {
                // Identical rows (common: margins, flat backgrounds) filter to all zeros with Up.
                bestType = 2;
                dest.Clear();
            }
            else
            {
                bestType = 0;
                current.CopyTo(best, 0);
                var bestScore = Score(best);
                for (byte type = 1; type <= 4; type++)
                {
                    if (type == 3 || (y == 0 && type != 1))
                    {
                        continue; // Average rarely wins; Up/Paeth equal Sub/None on the first row.
                    }

                    Apply(type, current, previous, candidate, bpp);
                    var score = Score(candidate);
                    if (score < bestScore)
                    {
                        bestScore = score;
                        bestType = type;
                        (best, candidate) = (candidate, best);
                    }
                }

                best.AsSpan().CopyTo(dest);
            }

            output[y * (stride + 1)] = bestType;
            (previous, current) = (current, previous);
        }

        return output;
    }

    private static void Apply(byte type, byte[] row, byte[] prior, byte[] into, int bpp)
    {
        var n = row.Length;
        var width = Vector<byte>.Count;
        switch (type)
        {
            case 1:
                for (var i = 0; i < bpp; i++)
                {
                    into[i] = row[i];
                }

                var s = bpp;
                for (; s + width <= n; s += width)
                {
                    (new Vector<byte>(row, s) - new Vector<byte>(row, s - bpp)).CopyTo(into, s);
                }

                for (; s < n; s++)
                {
                    into[s] = (byte)(row[s] - row[s - bpp]);
                }

                break;
            case 2:
                var u = 0;
                for (; u + width <= n; u += width)
                {
                    (new Vector<byte>(row, u) - new Vector<byte>(prior, u)).CopyTo(into, u);
                }

                for (; u < n; u++)
                {
                    into[u] = (byte)(row[u] - prior[u]);
                }

                break;
            default:
                for (var i = 0; i < bpp; i++)
                {
                    into[i] = (byte)(row[i] - prior[i]);
                }

                PaethVector(row, prior, into, bpp);
                break;
        }
    }

    /// <summary>
    /// Paeth predicts from raw neighbours (left a, up b, up-left c), not from filtered output, so whole vectors of
    /// pixels can be predicted at once in 16-bit lanes.
    /// </summary>
    private static void PaethVector(byte[] row, byte[] prior, byte[] into, int bpp)
    {
        var n = row.Length;
        var width = Vector<byte>.Count;
        var i = bpp;
        for (; i + width <= n; i += width)
        {
            Vector.Widen(new Vector<byte>(row, i - bpp), out var aLo, out var aHi);
            Vector.Widen(new Vector<byte>(prior, i), out var bLo, out var bHi);
            Vector.Widen(new Vector<byte>(prior, i - bpp), out var cLo, out var cHi);
            var predicted = Vector.Narrow(
                Predict(Vector.AsVectorInt16(aLo), Vector.AsVectorInt16(bLo), Vector.AsVectorInt16(cLo)),
                Predict(Vector.AsVectorInt16(aHi), Vector.AsVectorInt16(bHi), Vector.AsVectorInt16(cHi)));
            (new Vector<byte>(row, i) - Vector.AsVectorByte(predicted)).CopyTo(into, i);
        }

        for (; i < n; i++)
        {
            into[i] = (byte)(row[i] - Paeth(row[i - bpp], prior[i], prior[i - bpp]));
        }

        static Vector<short> Predict(Vector<short> a, Vector<short> b, Vector<short> c)
        {
            var pa = Vector.Abs(b - c);
            var pb = Vector.Abs(a - c);
            var pc = Vector.Abs(a + b - c - c);
            var useA = Vector.BitwiseAnd(Vector.LessThanOrEqual(pa, pb), Vector.LessThanOrEqual(pa, pc));
            var useB = Vector.LessThanOrEqual(pb, pc);
            return Vector.ConditionalSelect(useA, a, Vector.ConditionalSelect(useB, b, c));
        }
    }

    private static byte Paeth(byte a, byte b, byte c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Sum of |filtered byte as signed|; min(b, -b) as bytes is exactly that magnitude.</summary>
    private static long Score(byte[] filtered)
    {
        var width = Vector<byte>.Count;
        long sum = 0;
        var i = 0;
        var accumulator = Vector<ushort>.Zero;
        var blocks = 0;
        for (; i + width <= filtered.Length; i += width)
        {
            var v = new Vector<byte>(filtered, i);
            Vector.Widen(Vector.Min(v, Vector<byte>.Zero - v), out var lo, out var hi);
            accumulator += lo + hi;
            if (++blocks == 100)
            {
                sum += SumLanes(accumulator);
                accumulator = Vector<ushort>.Zero;
                blocks = 0;
            }
        }

        sum += SumLanes(accumulator);
        for (; i < filtered.Length; i++)
        {
            var b = filtered[i];
            sum += b < 128 ? b : 256 - b;
        }

        return sum;

        static long SumLanes(Vector<ushort> v)
        {
            Vector.Widen(v, out var lo, out var hi);
            return Vector.Sum(lo + hi);
        }
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        var crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}
