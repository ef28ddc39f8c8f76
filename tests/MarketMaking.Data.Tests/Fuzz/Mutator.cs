using System.Text;

namespace MarketMaking.Data.Tests.Fuzz;

/// <summary>
/// Seeded mutations of a valid input, aimed at what hostile files hold: truncation, random and NUL bytes, a BOM,
/// CRLF, ';' separators, quotes, extra and duplicated columns, and numbers such as 1e400, NaN, inf, 0x10, 1,5.
/// The same seed gives the same sequence of inputs on every machine.
/// </summary>
public sealed class Mutator(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>Cell values no reader may accept silently as something else.</summary>
    public static readonly string[] HostileCells =
    [
        "", " ", "1e400", "-1e400", "1e-400", "NaN", "nan", "inf", "-inf", "Infinity", "∞", "0x10", "1,5", "1.5.2", "+", "-", "e5",
        "\"1.5\"", "\"", "\"\"", "'", "0", "-0", "-1", "1e308", "4.9e-324", "99999999999999999999999999", "1_000", "١٢", "\0", "\t", "true", "null",
        "2024-01-02T09:30:00Z", "0000-01-01T00:00:00Z", "2024-13-40T25:61:61Z", "2024-01-02 09:30:00.1234567891+25:00", "9999-12-31T23:59:59-23:59",
        "bid", "ask", "buy", "sell", "b", "s", "x", "exponential", "power", "both",
    ];

    /// <summary>YAML scalars and fragments of broken syntax.</summary>
    public static readonly string[] HostileYaml =
    [
        "", "~", "null", "[", "]", "{", "}", "[1, 2", "{a: 1", "- x", "-", ":", "::", "? x", "&a", "*a", "*undefined", "!!binary AAAA", "!custom x", "|", ">",
        "'", "\"", "\"\\u0000\"", "\t", "1e400", "-1e400", ".nan", ".inf", "-.inf", "NaN", "0x10", "0o17", "1,5", "1_000", "-1", "0", "-0", "1e-400",
        "2147483648", "-2147483649", "18446744073709551616", "1.5", "3", "true", "yes", "[]", "{}", "[1, [2]]", "{a: {b: c}}", "%YAML 1.2", "---", "...",
        "&x [1, 2]", "*x", "? [a, b]\n: 1", "{[a]: 1}", "<<: *x", "logit", "winner_takes_all", "exponential", "power", "as", "symmetric", "csv", "gbm",
    ];

    public int Next(int max) => _random.Next(max);

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>One to three mutations of a CSV text, as the bytes a file would hold.</summary>
    public byte[] MutateCsv(string valid)
    {
        var text = valid;
        var bytesMutation = (Func<byte[], byte[]>?)null;
        var rounds = 1 + _random.Next(3);
        for (var i = 0; i < rounds; i++)
        {
            switch (_random.Next(16))
            {
                case 0: text = text[.._random.Next(text.Length + 1)]; break; // truncated
                case 1: text = text.Replace("\n", "\r\n", StringComparison.Ordinal); break;
                case 2: text = text.Replace(",", ";", StringComparison.Ordinal); break;
                case 3: text = ReplaceCell(text, Pick(HostileCells)); break;
                case 4: text = ReplaceCell(text, Pick(HostileCells)); text = ReplaceCell(text, Pick(HostileCells)); break;
                case 5: text = Insert(text, Pick(new[] { "\0", "\"", ",", "\n", "\r", ";", " ", "\t", "\u00a0", "\uFEFF", "é", "\\" })); break;
                case 6: text = DuplicateHeaderColumn(text); break;
                case 7: text = AddColumn(text); break;
                case 8: text = DropOrDuplicateLine(text); break;
                case 9: text = SwapLines(text); break;
                case 10: text = QuoteCells(text); break;
                case 11: text = "\uFEFF" + text; break;
                case 12: bytesMutation = FlipBytes; break;
                case 13: bytesMutation = InsertRandomBytes; break;
                case 14: text = RemoveCell(text); break;
                default: text = ReplaceCell(text, RandomNumberText()); break;
            }
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        if (_random.Next(40) == 0)
        {
            bytes = new byte[_random.Next(200)];
            _random.NextBytes(bytes); // pure noise
        }
        return bytesMutation is null ? bytes : bytesMutation(bytes);
    }

    /// <summary>One to three mutations of a YAML text.</summary>
    public string MutateYaml(string valid)
    {
        var text = valid;
        var rounds = 1 + _random.Next(3);
        for (var i = 0; i < rounds; i++)
        {
            switch (_random.Next(12))
            {
                case 0: text = text[.._random.Next(text.Length + 1)]; break;
                case 1: text = ReplaceYamlValue(text, Pick(HostileYaml)); break;
                case 2: text = ReplaceYamlValue(text, Pick(HostileYaml)); text = ReplaceYamlValue(text, Pick(HostileYaml)); break;
                case 3: text = TypoKey(text); break;
                case 4: text = Insert(text, Pick(new[] { "\t", "  ", ":", "- ", "#", "\n", "[", "{", "&a ", "*a", "\"", "'", "\uFEFF", "\r\n", "\0" })); break;
                case 5: text = DropOrDuplicateLine(text); break;
                case 6: text = SwapLines(text); break;
                case 7: text = ReIndent(text); break;
                case 8: text = text.Replace("\n", "\r\n", StringComparison.Ordinal); break;
                case 9: text += "\n" + Pick(HostileYaml) + ": " + Pick(HostileYaml) + "\n"; break;
                case 10: text = ReplaceYamlValue(text, RandomNumberText()); break;
                default:
                    var bytes = Encoding.UTF8.GetBytes(text);
                    text = Encoding.UTF8.GetString(FlipBytes(bytes));
                    break;
            }
        }
        return text;
    }

    private string RandomNumberText() => _random.Next(6) switch
    {
        0 => (_random.NextDouble() * 2 - 1).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        1 => Math.Pow(10, _random.Next(-320, 320)).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        2 => (-Math.Pow(10, _random.Next(-10, 10))).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        3 => _random.Next(-3, 4).ToString(System.Globalization.CultureInfo.InvariantCulture),
        4 => ((long)_random.Next() * _random.Next()).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "1e" + _random.Next(-400, 400).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private string Insert(string text, string what)
    {
        var at = _random.Next(text.Length + 1);
        return text[..at] + what + text[at..];
    }

    private static string[] Lines(string text) => text.Split('\n');

    /// <summary>Replaces one comma-separated cell of a random line (the header included).</summary>
    private string ReplaceCell(string text, string value)
    {
        var lines = Lines(text);
        var row = _random.Next(lines.Length);
        var cells = lines[row].Split(',');
        cells[_random.Next(cells.Length)] = value;
        lines[row] = string.Join(',', cells);
        return string.Join('\n', lines);
    }

    private string RemoveCell(string text)
    {
        var lines = Lines(text);
        var row = _random.Next(lines.Length);
        var cells = lines[row].Split(',').ToList();
        if (cells.Count > 1) cells.RemoveAt(_random.Next(cells.Count));
        lines[row] = string.Join(',', cells);
        return string.Join('\n', lines);
    }

    private string DuplicateHeaderColumn(string text)
    {
        var lines = Lines(text);
        var cells = lines[0].Split(',');
        lines[0] += "," + cells[_random.Next(cells.Length)];
        return string.Join('\n', lines);
    }

    private string AddColumn(string text)
    {
        var lines = Lines(text);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length > 0) lines[i] += i == 0 ? ",extra" : "," + Pick(HostileCells);
        }
        return string.Join('\n', lines);
    }

    private string DropOrDuplicateLine(string text)
    {
        var lines = Lines(text).ToList();
        var at = _random.Next(lines.Count);
        if (_random.Next(2) == 0) lines.RemoveAt(at);
        else lines.Insert(at, lines[at]);
        return string.Join('\n', lines);
    }

    private string SwapLines(string text)
    {
        var lines = Lines(text);
        var (a, b) = (_random.Next(lines.Length), _random.Next(lines.Length));
        (lines[a], lines[b]) = (lines[b], lines[a]);
        return string.Join('\n', lines);
    }

    private string QuoteCells(string text)
    {
        var lines = Lines(text);
        var row = _random.Next(lines.Length);
        lines[row] = string.Join(',', lines[row].Split(',').Select(c => _random.Next(2) == 0 ? "\"" + c + "\"" : c));
        return string.Join('\n', lines);
    }

    /// <summary>Replaces the value after a random "key:" with <paramref name="value"/>.</summary>
    private string ReplaceYamlValue(string text, string value)
    {
        var lines = Lines(text);
        var candidates = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(':', StringComparison.Ordinal)).ToArray();
        if (candidates.Length == 0) return text + value;
        var row = candidates[_random.Next(candidates.Length)];
        var colons = Enumerable.Range(0, lines[row].Length).Where(i => lines[row][i] == ':').ToArray();
        var colon = colons[_random.Next(colons.Length)];
        var rest = lines[row][(colon + 1)..];
        // Keep a flow mapping's closing characters sometimes, so that values inside { } are hit too.
        var end = rest.IndexOfAny([',', '}', ']']);
        lines[row] = lines[row][..(colon + 1)] + " " + value + (end >= 0 && _random.Next(2) == 0 ? rest[end..] : "");
        return string.Join('\n', lines);
    }

    private string TypoKey(string text)
    {
        var lines = Lines(text);
        var row = _random.Next(lines.Length);
        var line = lines[row];
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 1) return text;
        var at = line.TakeWhile(c => c == ' ' || c == '-').Count();
        if (at >= colon) return text;
        var position = at + _random.Next(colon - at);
        lines[row] = _random.Next(3) switch
        {
            0 => line.Remove(position, 1),
            1 => line.Insert(position, "x"),
            _ => line[..position] + char.ToUpperInvariant(line[position]) + line[(position + 1)..],
        };
        return string.Join('\n', lines);
    }

    private string ReIndent(string text)
    {
        var lines = Lines(text);
        var row = _random.Next(lines.Length);
        lines[row] = _random.Next(2) == 0 ? "  " + lines[row] : lines[row].TrimStart();
        return string.Join('\n', lines);
    }

    private byte[] FlipBytes(byte[] bytes)
    {
        if (bytes.Length == 0) return bytes;
        var copy = (byte[])bytes.Clone();
        var flips = 1 + _random.Next(4);
        for (var i = 0; i < flips; i++) copy[_random.Next(copy.Length)] = (byte)_random.Next(256);
        return copy;
    }

    private byte[] InsertRandomBytes(byte[] bytes)
    {
        var noise = new byte[1 + _random.Next(8)];
        _random.NextBytes(noise);
        var at = _random.Next(bytes.Length + 1);
        return [.. bytes[..at], .. noise, .. bytes[at..]];
    }
}
