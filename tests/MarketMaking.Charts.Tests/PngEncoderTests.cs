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

    [Fact]
    public void Encode_OpaqueVariedPixels_DecodesToTheSamePixels()
    {
        // Given an opaque canvas with gradients, noise-like texture and shapes (exercises every filter choice)
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
}
