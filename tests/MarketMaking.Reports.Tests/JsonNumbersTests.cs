using System.Text;
using System.Text.Json;

namespace MarketMaking.Reports.Tests;

public class JsonNumbersTests
{
    /// <summary>One object with the text as a key and as a value, written with the given options.</summary>
    private static string Write(string text, JsonWriterOptions options)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, options))
        {
            json.WriteStartObject();
            json.WriteString(text, "a" + text + "b");
            JsonNumbers.Write(json, text + "_n", 0.1);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static TheoryData<string> Texts()
    {
        var data = new TheoryData<string>();
        // Every ASCII character, alone and inside plain text; then non-ASCII text, a surrogate pair and mixed strings.
        for (var c = 0; c < 0x80; c++)
        {
            data.Add(((char)c).ToString());
            data.Add("as2008 " + (char)c + " glft");
        }

        foreach (var text in new[] { "", "café", "Δ profit", "σ=2", "\U0001F600", "a\"b\\c<d>&e'f+g`h\ni\tj", "plain, text: (1-2) [3]; {4} ~_|" })
        {
            data.Add(text);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Options_AnyText_EscapesExactlyAsTheDefaultEncoder(string text)
    {
        // Given the same text written with the runtime's default escaping and with the reports' options
        var expected = Write(text, new JsonWriterOptions { Indented = true });

        // When written with the reports' encoder
        var actual = Write(text, JsonNumbers.Options(indented: true));

        // Then the bytes are identical
        actual.Should().Be(expected);
    }

    [Fact]
    public void IsPlain_MatchesTheDefaultEncoderOnAscii()
    {
        // Given every ASCII character, the plain ones are exactly those the default encoder would not escape
        for (var c = 0; c < 0x80; c++)
        {
            PlainJsonEncoder.IsPlain(c).Should().Be(!System.Text.Encodings.Web.JavaScriptEncoder.Default.WillEncode(c), $"character {c}");
        }
    }
}
