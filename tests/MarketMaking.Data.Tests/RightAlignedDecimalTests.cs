using System.Globalization;
using System.Text;
using MarketMaking.Core.Random;
using MarketMaking.Data.Csv;

namespace MarketMaking.Data.Tests;

/// <summary>The vector parser of right-aligned decimals: double.Parse's bits whenever it takes a text, and it takes the common ones.</summary>
public class RightAlignedDecimalTests
{
    [Fact]
    public void TryParse_RandomTexts_TakenOnlyWithDoubleParseBits()
    {
        if (!RightAlignedDecimal.IsSupported) return;
        // Given texts of up to 18 bytes from the bytes a number line holds (and some that end one), after 16 bytes of
        // other text, parsed one after another so that the point's guess is right, wrong, and right again
        var rng = new Xoshiro256StarStar(21);
        const string alphabet = "0123456789000000.-+eE, \r\"x";
        var shape = RightAlignedDecimal.Shape.None;
        var taken = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var length = 1 + (int)(rng.NextDouble() * 18);
            var text = new string(Enumerable.Range(0, length).Select(_ => alphabet[(int)(rng.NextDouble() * alphabet.Length)]).ToArray());
            var bytes = Encoding.ASCII.GetBytes("9.9,-1.5\n12345678" + text + "\n");
            var end = bytes.Length - 1;

            // When the vector parser reads it
            if (!RightAlignedDecimal.TryParse(ref bytes[0], end, length, ref shape, out var value)) continue;

            // Then double.Parse and the scalar parser take it too, with the same bits
            taken++;
            double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var expected).Should().BeTrue(text);
            BitConverter.DoubleToInt64Bits(value).Should().Be(BitConverter.DoubleToInt64Bits(expected), text);
            CsvNumberStream.TryParsePlain(Encoding.ASCII.GetBytes(text), out var scalar).Should().BeTrue(text);
            BitConverter.DoubleToInt64Bits(scalar).Should().Be(BitConverter.DoubleToInt64Bits(value), text);
        }
        taken.Should().BeGreaterThan(1000);
    }

    [Fact]
    public void TryParse_PlainDecimals_TakenWithDoubleParseBits()
    {
        if (!RightAlignedDecimal.IsSupported) return;
        // Given decimals of every shape the fast path is for: signs, 0 to 15 digits either side of the point (15 in all
        // at most, 16 bytes at most), leading and trailing zeros, no point, a point first or last
        var rng = new Xoshiro256StarStar(22);
        var shape = RightAlignedDecimal.Shape.None;
        for (var i = 0; i < 200_000; i++)
        {
            var sign = (rng.NextDouble() * 4) switch { < 1 => "-", < 1.5 => "+", _ => "" };
            var integer = Digits(ref rng, (int)(rng.NextDouble() * 16));
            var fraction = Digits(ref rng, (int)(rng.NextDouble() * (16 - integer.Length)));
            var point = fraction.Length > 0 || rng.NextDouble() < 0.2 ? "." : "";
            if (integer.Length + fraction.Length == 0) integer = "0";
            var text = sign + integer + point + fraction;
            if (text.Length > 16 || integer.Length + fraction.Length > 15) continue;
            var bytes = Encoding.ASCII.GetBytes("0123456789012345" + text);

            // When the vector parser reads it
            var taken = RightAlignedDecimal.TryParse(ref bytes[0], bytes.Length, text.Length, ref shape, out var value);

            // Then it takes it, with double.Parse's bits (the sign of −0 too)
            taken.Should().BeTrue(text);
            BitConverter.DoubleToInt64Bits(value).Should().Be(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), text);
        }
    }

    [Fact]
    public void TryParseFour_RandomGroups_TakenOnlyWithDoubleParseBits()
    {
        if (!RightAlignedDecimal.IsFourSupported) return;
        // Given groups of four texts of two shapes (a, b, a, b: 0 to 6 decimals each), mostly plain decimals with
        // signs and 0 to 9 integer digits, sometimes something else (an exponent, a second point, a sign inside, a
        // space, 16 or more bytes), each on its own line after other text
        var rng = new Xoshiro256StarStar(23);
        var taken = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var decimals = new[] { (int)(rng.NextDouble() * 7), (int)(rng.NextDouble() * 7) };
            var texts = Enumerable.Range(0, 4).Select(k => ShapedText(ref rng, decimals[k % 2])).ToArray();
            var line = new StringBuilder("123456789012345678,");
            var ends = new int[4];
            for (var k = 0; k < 4; k++)
            {
                line.Append('\n').Append(texts[k]);
                ends[k] = line.Length;
            }
            var bytes = Encoding.ASCII.GetBytes(line.Append('\n').ToString());
            var shapes = new[] { ShapeOf(decimals[0]), ShapeOf(decimals[1]) };

            // When the four are read at once
            if (!RightAlignedDecimal.TryParseFour(ref bytes[0], ends[0], ends[1], ends[2], ends[3], texts[0].Length, texts[1].Length, texts[2].Length, texts[3].Length,
                new RightAlignedDecimal.FourShape(shapes[0], shapes[1]), out var values))
            {
                continue;
            }

            // Then each was a plain decimal with double.Parse's bits
            taken++;
            for (var k = 0; k < 4; k++)
            {
                CsvNumberStream.TryParsePlain(Encoding.ASCII.GetBytes(texts[k]), out _).Should().BeTrue(texts[k]);
                BitConverter.DoubleToInt64Bits(values[k]).Should().Be(BitConverter.DoubleToInt64Bits(double.Parse(texts[k], CultureInfo.InvariantCulture)), texts[k]);
            }
        }
        taken.Should().BeGreaterThan(10_000);
    }

    /// <summary>The shape of numbers with <paramref name="decimals"/> decimals (0: no point), as the first such number sets it.</summary>
    private static RightAlignedDecimal.Shape ShapeOf(int decimals)
    {
        var shape = RightAlignedDecimal.Shape.None;
        var text = decimals == 0 ? "1234567890123456" + "7" : "1234567890123456" + "7." + new string('5', decimals);
        var bytes = Encoding.ASCII.GetBytes(text);
        RightAlignedDecimal.TryParse(ref bytes[0], bytes.Length, decimals == 0 ? 1 : decimals + 2, ref shape, out _).Should().BeTrue();
        return shape;
    }

    private static string ShapedText(ref Xoshiro256StarStar rng, int decimals)
    {
        var sign = (rng.NextDouble() * 8) switch { < 1 => "-", < 1.5 => "+", _ => "" };
        var integer = Digits(ref rng, (int)(rng.NextDouble() * 10));
        if (integer.Length + decimals == 0) integer = "0";
        var text = sign + integer + (decimals > 0 ? "." + Digits(ref rng, decimals) : "");
        return (rng.NextDouble() * 100) switch
        {
            < 1 => text + "e1",
            < 2 => text + ".5",
            < 3 => "1-" + text,
            < 4 => text + " ",
            < 5 => text + "123456789",
            < 6 => "-" + text,
            _ => text,
        };
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("+.")]
    [InlineData("1.2.3")]
    [InlineData("--1")]
    [InlineData("1-")]
    [InlineData("1e5")]
    [InlineData("1,5")]
    [InlineData("1 ")]
    [InlineData(" 1")]
    [InlineData("1\r")]
    [InlineData("1234567890123456")]
    [InlineData("0.12345678901234567")]
    [InlineData("12345678.12345678")]
    public void TryParse_NotPlainOrTooLong_LeftToTheScalarPath(string text)
    {
        if (!RightAlignedDecimal.IsSupported) return;
        // Given a text that is not a plain decimal of 1 to 15 digits in 16 bytes
        var bytes = Encoding.ASCII.GetBytes("01234567890123456789" + text);
        var shape = RightAlignedDecimal.Shape.None;

        // When the vector parser reads it, Then it declines
        RightAlignedDecimal.TryParse(ref bytes[0], bytes.Length, text.Length, ref shape, out _).Should().BeFalse();
    }

    private static string Digits(ref Xoshiro256StarStar rng, int count)
    {
        var digits = new char[count];
        for (var d = 0; d < count; d++) digits[d] = (char)('0' + (int)(rng.NextDouble() * 10));
        return new string(digits);
    }
}
