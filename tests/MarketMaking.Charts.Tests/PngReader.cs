using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace MarketMaking.Charts.Tests;

/// <summary>
/// An independent, test-side PNG decoder: checks the signature, every chunk's CRC-32 (bitwise, not table-driven,
/// so it does not share the encoder's code), IHDR fields, inflates IDAT and undoes all five filter types.
/// </summary>
internal sealed class DecodedPng
{
    public required int Width { get; init; }

    public required int Height { get; init; }

    public required int ColourType { get; init; }

    public required List<string> ChunkTypes { get; init; }

    /// <summary>RGBA, row-major.</summary>
    public required byte[] Rgba { get; init; }

    public (byte R, byte G, byte B, byte A) Pixel(int x, int y)
    {
        var i = ((y * Width) + x) * 4;
        return (Rgba[i], Rgba[i + 1], Rgba[i + 2], Rgba[i + 3]);
    }

    public string PixelHash() => Convert.ToHexString(SHA256.HashData(Rgba));
}

internal static class PngReader
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static uint Crc32Bitwise(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    public static DecodedPng Decode(byte[] png)
    {
        png.AsSpan(0, 8).SequenceEqual(Signature).Should().BeTrue("a PNG starts with the 8-byte signature");
        var offset = 8;
        var types = new List<string>();
        var idat = new MemoryStream();
        int width = 0, height = 0, colourType = -1;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var body = png.AsSpan(offset + 8, length);
            var stored = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Crc32Bitwise(png.AsSpan(offset + 4, length + 4)).Should().Be(stored, $"chunk {type} must carry a correct CRC-32");
            types.Add(type);
            switch (type)
            {
                case "IHDR":
                    length.Should().Be(13);
                    width = BinaryPrimitives.ReadInt32BigEndian(body);
                    height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                    body[8].Should().Be(8, "bit depth");
                    colourType = body[9];
                    colourType.Should().BeOneOf(2, 6);
                    body[10].Should().Be(0, "compression method");
                    body[11].Should().Be(0, "filter method");
                    body[12].Should().Be(0, "interlace");
                    break;
                case "IDAT":
                    idat.Write(body);
                    break;
            }

            offset += 12 + length;
        }

        types[0].Should().Be("IHDR");
        types[^1].Should().Be("IEND");
        offset.Should().Be(png.Length, "nothing may follow IEND");

        var bpp = colourType == 6 ? 4 : 3;
        var stride = width * bpp;
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        var data = raw.ToArray();
        data.Length.Should().Be(height * (stride + 1), "one filter byte plus one row of samples per scanline");

        var rgba = new byte[width * height * 4];
        var previous = new byte[stride];
        var row = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var filter = data[y * (stride + 1)];
            var line = data.AsSpan((y * (stride + 1)) + 1, stride);
            for (var i = 0; i < stride; i++)
            {
                var a = i >= bpp ? row[i - bpp] : 0;
                var b = previous[i];
                var c = i >= bpp ? previous[i - bpp] : 0;
                var predicted = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => PaethPredictor(a, b, c),
                    _ => throw new InvalidDataException($"unknown filter {filter} on row {y}"),
                };
                row[i] = (byte)(line[i] + predicted);
            }

            for (var x = 0; x < width; x++)
            {
                var o = ((y * width) + x) * 4;
                rgba[o] = row[x * bpp];
                rgba[o + 1] = row[(x * bpp) + 1];
                rgba[o + 2] = row[(x * bpp) + 2];
                rgba[o + 3] = bpp == 4 ? row[(x * bpp) + 3] : (byte)255;
            }

            (previous, row) = (row, previous);
        }

        return new DecodedPng { Width = width, Height = height, ColourType = colourType, ChunkTypes = types, Rgba = rgba };
    }

    private static int PaethPredictor(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
