using MarketMaking.Charts.Text;

namespace MarketMaking.Charts.Tests;

public class TextTests
{
    private static readonly string Printable = new([.. Enumerable.Range(32, 95).Select(i => (char)i)]);

    [Fact]
    public void StrokeFont_PrintableAscii_HasAGlyphForEveryCharacter()
    {
        // Given every printable ASCII character
        // When the font is asked
        // Then each one has its own glyph
        Printable.ToCharArray().Should().OnlyContain(c => StrokeFont.Supports(c));
    }

    [Theory]
    [InlineData(10, false)]
    [InlineData(15, false)]
    [InlineData(24, false)]
    [InlineData(22, true)]
    public void DrawText_AllPrintableCharacters_InkStaysInsideTheMeasuredBox(double size, bool rotated)
    {
        // Given the measured box of every printable character in one string, drawn at a fractional position
        foreach (var chunk in Printable.Chunk(32).Select(c => new string(c)))
        {
            var box = Canvas.MeasureText(chunk, size);
            var canvas = new Canvas(rotated ? 80 : 900, rotated ? 900 : 80);
            const double Left = 20.3;
            const double Top = 20.6;

            // When drawn with the box's top-left at (Left, Top)
            canvas.DrawText(chunk, Left, Top, size, Color.Black, rotated: rotated);

            // Then there is ink, all of it inside the box (rotated: the box turned on its side)
            var (w, h) = rotated ? (box.Height, box.Width) : (box.Width, box.Height);
            var inked = 0;
            for (var y = 0; y < canvas.Height; y++)
            {
                for (var x = 0; x < canvas.Width; x++)
                {
                    if (canvas.GetPixel(x, y) == Color.White)
                    {
                        continue;
                    }

                    inked++;
                    var inside = x + 1 > Left && x < Left + w && y + 1 > Top && y < Top + h;
                    inside.Should().BeTrue($"'{chunk}' at {size} px inked ({x}, {y}) outside its box");
                }
            }

            inked.Should().BePositive();
        }
    }

    [Fact]
    public void MeasureText_MoreCharacters_IsWiderAndSameHeight()
    {
        // Given a text and a longer text at the same size
        var shortBox = Canvas.MeasureText("0.2", 15);
        var longBox = Canvas.MeasureText("0.25", 15);

        // When measured
        // Then the longer is wider, heights match, and size scales both dimensions
        longBox.Width.Should().BeGreaterThan(shortBox.Width);
        longBox.Height.Should().Be(shortBox.Height);
        Canvas.MeasureText("0.2", 30).Height.Should().BeGreaterThan(1.8 * shortBox.Height);
    }

    [Fact]
    public void DrawText_UnknownCharacter_DrawsAsQuestionMark()
    {
        // Given a character outside the font
        var unknown = new Canvas(40, 40);
        var question = new Canvas(40, 40);

        // When drawn
        unknown.DrawText("\u4E2D", 2, 2, 20, Color.Black);
        question.DrawText("?", 2, 2, 20, Color.Black);

        // Then it looks exactly like '?'
        unknown.Pixels.ToArray().Should().Equal(question.Pixels.ToArray());
    }
}
