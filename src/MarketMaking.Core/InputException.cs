using System.Globalization;
using System.Text;

namespace MarketMaking.Core;

/// <summary>
/// Bad data or bad configuration, with where it was found. The CLI prints it as one line:
/// <c>&lt;file&gt;:&lt;line&gt;:&lt;column&gt;: &lt;what is wrong&gt; (&lt;field&gt;)</c>, exit code 1.
/// </summary>
public sealed class InputException : Exception
{
    public InputException(string message, string? file = null, int? line = null, int? column = null, string? field = null, Exception? inner = null)
        : base(message, inner)
    {
        File = file;
        Line = line;
        Column = column;
        Field = field;
    }

    public string? File { get; }
    public int? Line { get; }
    public int? Column { get; }
    public string? Field { get; }

    /// <summary>Same error, located in a file (used when a Core validation error is traced back to its input).</summary>
    public InputException At(string? file, int? line, int? column, string? field = null) =>
        new(Message, file ?? File, line ?? Line, column ?? Column, field ?? Field, this);

    public string Describe()
    {
        var text = new StringBuilder();
        if (File is not null)
        {
            text.Append(File);
            if (Line is int line)
            {
                text.Append(':').Append(line.ToString(CultureInfo.InvariantCulture));
                if (Column is int column)
                {
                    text.Append(':').Append(column.ToString(CultureInfo.InvariantCulture));
                }
            }
            text.Append(": ");
        }
        text.Append(Message);
        if (Field is not null)
        {
            text.Append(" (").Append(Field).Append(')');
        }
        // One printable line, whatever bytes the input held (a file's NUL or tab can reach a message through a key or value).
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsControl(text[i]))
            {
                text[i] = text[i] is '\r' or '\n' or '\t' ? ' ' : '?';
            }
        }
        return text.ToString();
    }
}
