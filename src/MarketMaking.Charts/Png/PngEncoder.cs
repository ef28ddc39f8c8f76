using System.Buffers.Binary;
using System.IO.Compression;

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
        switch (type)
        {
            case 1:
                for (var i = 0; i < bpp; i++)
                {
                    into[i] = row[i];
                }

                for (var i = bpp; i < n; i++)
                {
                    into[i] = (byte)(row[i] - row[i - bpp]);
                }

                break;
            case 2:
                for (var i = 0; i < n; i++)
                {
                    into[i] = (byte)(row[i] - prior[i]);
                }

                break;
            default:
                for (var i = 0; i < bpp; i++)
                {
                    into[i] = (byte)(row[i] - prior[i]);
                }

                for (var i = bpp; i < n; i++)
                {
                    into[i] = (byte)(row[i] - Paeth(row[i - bpp], prior[i], prior[i - bpp]));
                }

                break;
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

    private static long Score(byte[] filtered)
    {
        long sum = 0;
        foreach (var b in filtered)
        {
            sum += b < 128 ? b : 256 - b;
        }

        return sum;
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
