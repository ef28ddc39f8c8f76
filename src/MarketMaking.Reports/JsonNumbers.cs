using System.Text.Encodings.Web;
using System.Text.Json;

namespace MarketMaking.Reports;

/// <summary>Numbers in JSON reports: JSON has no NaN or infinity, so a value that is missing or not finite is written as null.</summary>
internal static class JsonNumbers
{
    /// <summary>How every JSON report is written: the default escaping, without its start-up cost (see <see cref="PlainJsonEncoder"/>).</summary>
    public static JsonWriterOptions Options(bool indented) => new() { Indented = indented, Encoder = PlainJsonEncoder.Instance };

    public static void Write(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}

/// <summary>
/// <see cref="JavaScriptEncoder.Default"/>'s escaping, bytes for bytes, without building it for text that needs none: printable
/// ASCII that the default leaves alone (every key and number, and names like "as2008") is recognised by a plain scan, and
/// anything else is handed to the default encoder. Building that encoder (its Unicode tables and vectorised searches, compiled
/// at run time) cost several milliseconds of a one-shot report run, most of the JSON summary's cost.
/// </summary>
internal sealed class PlainJsonEncoder : JavaScriptEncoder
{
    public static PlainJsonEncoder Instance { get; } = new();

    private PlainJsonEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => Default.MaxOutputCharactersPerInputCharacter;

    /// <summary>Printable ASCII except what the default escapes: HTML-sensitive characters, quotes and the backslash.</summary>
    internal static bool IsPlain(int c) =>
        c is >= 0x20 and <= 0x7E and not ('"' or '&' or '\'' or '+' or '<' or '>' or '\\' or '`');

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
        {
            if (!IsPlain(text[i]))
            {
                var rest = Default.FindFirstCharacterToEncode(text + i, textLength - i);
                return rest < 0 ? -1 : i + rest;
            }
        }

        return -1;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        for (var i = 0; i < utf8Text.Length; i++)
        {
            if (!IsPlain(utf8Text[i]))
            {
                var rest = Default.FindFirstCharacterToEncodeUtf8(utf8Text[i..]);
                return rest < 0 ? -1 : i + rest;
            }
        }

        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten) =>
        Default.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);

    public override bool WillEncode(int unicodeScalar) => !IsPlain(unicodeScalar) && Default.WillEncode(unicodeScalar);

    public override System.Buffers.OperationStatus Encode(ReadOnlySpan<char> source, Span<char> destination, out int charsConsumed, out int charsWritten, bool isFinalBlock = true) =>
        Default.Encode(source, destination, out charsConsumed, out charsWritten, isFinalBlock);

    public override System.Buffers.OperationStatus EncodeUtf8(ReadOnlySpan<byte> utf8Source, Span<byte> utf8Destination, out int bytesConsumed, out int bytesWritten, bool isFinalBlock = true) =>
        Default.EncodeUtf8(utf8Source, utf8Destination, out bytesConsumed, out bytesWritten, isFinalBlock);
}
