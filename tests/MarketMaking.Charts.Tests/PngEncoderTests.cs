using MarketMaking.Charts.Png;

namespace MarketMaking.Charts.Tests;

public class PngEncoderTests
{
    [Fact]
    public void Crc32_StandardCheckString_MatchesPublishedValue()
    {
        // Given the CRC catalogue's check input "123456789"
        var input = "123456789"u8.ToArray();

        // When both the encoder's table CRC and the test's bitwise CRC digest it
        // Then both give the published CRC-32/ISO-HDLC check value 0xCBF43926
        Crc32.Compute(input).Should().Be(0xCBF43926u);
        PngReader.Crc32Bitwise(input).Should().Be(0xCBF43926u);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(1001)]
    public void Crc32_RandomBytes_MatchesTheBitwiseReference(int length)
    {
        // Given random bytes of lengths around the 8-byte step (seeded)
        var data = new byte[length];
        new Random(length + 3).NextBytes(data);

        // When the table-driven CRC digests them, whole and in two uneven parts
        // Then it equals the test's independent bitwise CRC
        var expected = PngReader.Crc32Bitwise(data);
        Crc32.Compute(data).Should().Be(expected);
        var split = length / 3;
        (Crc32.Update(Crc32.Update(0xFFFFFFFFu, data.AsSpan(0, split)), data.AsSpan(split)) ^ 0xFFFFFFFFu).Should().Be(expected);
    }

    [Fact]
    public void Encode_OpaqueVariedPixels_DecodesToTheSamePixels()
    {
        // Given an opaque canvas with gradients, noise-like texture and shapes (every byte difference between rows occurs)
        var canvas = new Canvas(173, 61);
        for (var y = 0; y < 61; y++)
        {
            for (var x = 0; x < 173; x++)
            {
                var v = (byte)((x * 7) ^ (y * 13));
                canvas.FillRectangle(new PixelRect(x, y, x + 1, y + 1), new Color(v, (byte)(x + y), (byte)(255 - x)));
            }
        }

        canvas.DrawLine(3, 3, 160, 50, Color.Black, 3);

        // When it is encoded and decoded by the independent reader
        var decoded = PngReader.Decode(canvas.ToPng());

        // Then it is RGB (opaque), sized right, and every pixel survives
        decoded.ColourType.Should().Be(2);
        decoded.Width.Should().Be(173);
        decoded.Height.Should().Be(61);
        decoded.Rgba.Should().Equal(canvas.Pixels.ToArray());
    }

    [Fact]
    public void Encode_TranslucentPixels_WritesRgbaThatRoundTrips()
    {
        // Given a transparent canvas with a half-transparent square
        var canvas = new Canvas(40, 30, Color.Transparent);
        canvas.FillRectangle(new PixelRect(5, 5, 25, 20), Palette.Get(1).WithAlpha(0.5));

        // When encoded and decoded
        var decoded = PngReader.Decode(canvas.ToPng());

        // Then colour type 6 carries the alpha channel exactly
        decoded.ColourType.Should().Be(6);
        decoded.Rgba.Should().Equal(canvas.Pixels.ToArray());
        decoded.Pixel(0, 0).A.Should().Be(0);
        decoded.Pixel(10, 10).A.Should().Be(128);
    }

    [Fact]
    public void Encode_AnyCanvas_WritesOnlyHeaderDataAndEnd()
    {
        // Given any canvas
        var canvas = new Canvas(10, 10);

        // When encoded
        var decoded = PngReader.Decode(canvas.ToPng());

        // Then there are no time or text chunks that could vary between runs
        decoded.ChunkTypes.Should().Equal("IHDR", "IDAT", "IEND");
    }

    [Fact]
    public void Encode_SameCanvasTwice_GivesIdenticalBytes()
    {
        // Given one drawing
        var canvas = new Canvas(64, 48);
        canvas.DrawText("Same", 2, 2, 14, Color.Black);

        // When encoded twice
        // Then the bytes are identical
        canvas.ToPng().Should().Equal(canvas.ToPng());
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(5, 2)]
    [InlineData(6, 4)]
    [InlineData(7, 3)]
    [InlineData(37, 5)]
    public void Encode_NarrowOrOddWidths_RoundTripThroughTheWordAndTailPaths(int width, int height)
    {
        // Given opaque and translucent canvases whose rows end in the byte-by-byte tail after the 8-byte steps
        foreach (var background in new[] { Color.White, Color.Transparent })
        {
            var canvas = new Canvas(width, height, background);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    canvas.FillRectangle(new PixelRect(x, y, x + 1, y + 1), new Color((byte)(x * 41 + y), (byte)(y * 67 + x * 3), (byte)(x ^ (y * 5)), (byte)(background.A == 255 ? 255 : 60 + x)));
                }
            }

            // When encoded and decoded by the independent reader
            var decoded = PngReader.Decode(canvas.ToPng());

            // Then every pixel survives, in the colour type the alpha calls for
            decoded.ColourType.Should().Be(background.A == 255 ? 2 : 6);
            decoded.Rgba.Should().Equal(canvas.Pixels.ToArray());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(10)]
    public void IsOpaque_OneTranslucentPixelAnywhere_IsFound(int index)
    {
        // Given 11 opaque pixels (five 2-pixel words and a tail of 1) with one made translucent
        var rgba = Enumerable.Repeat((byte)255, 11 * 4).ToArray();
        PngEncoder.IsOpaque(rgba).Should().BeTrue();
        rgba[(index * 4) + 3] = 254;

        // When checked / Then the image is not opaque
        PngEncoder.IsOpaque(rgba).Should().BeFalse();
    }

    [Fact]
    public void SubtractBytes_RandomWords_EqualsEightSeparateByteSubtractions()
    {
        // Given random 64-bit words, including every byte pair that borrows (seeded, so the test is repeatable)
        var random = new Random(7);
        for (var k = 0; k < 10_000; k++)
        {
            var a = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
            var b = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);

            // When subtracted as packed bytes
            var packed = PngEncoder.SubtractBytes(a, b);

            // Then each byte is that byte of a minus that byte of b, mod 256, with no borrow into its neighbour
            for (var lane = 0; lane < 8; lane++)
            {
                var expected = (byte)((byte)(a >> (8 * lane)) - (byte)(b >> (8 * lane)));
                ((byte)(packed >> (8 * lane))).Should().Be(expected);
            }
        }
    }

    [Theory]
    [InlineData(1, 40)]
    [InlineData(3, 9)]
    [InlineData(8, 30)]
    [InlineData(17, 12)]
    [InlineData(300, 50)]
    public void EncodeOpaqueInPlace_AnyShape_GivesTheBytesOfTheCopyingEncoder(int width, int height)
    {
        // Given opaque pixels that differ from row to row, including the first rows the in-place filter reads from a copy
        var rgba = new byte[width * height * 4];
        var random = new Random(width * 31 + height);
        random.NextBytes(rgba);
        for (var i = 3; i < rgba.Length; i += 4)
        {
            rgba[i] = 255;
        }

        // When encoded by the copying encoder and then in place
        var expected = PngEncoder.Encode(rgba, width, height, opaque: true);
        var actual = PngEncoder.EncodeOpaqueInPlace(rgba, width, height);

        // Then the PNG bytes are identical
        actual.Should().Equal(expected);
    }
}
