using System.Buffers;
using System.Globalization;
using System.Text;
using MarketMaking.Core;

namespace MarketMaking.Data.Csv;

/// <summary>
/// Streams numeric columns of a CSV file as doubles, one pass over UTF-8 bytes without a string per cell: the reader
/// for long series (a 10^7-row mid file). The header goes through <see cref="CsvColumnReader"/>, so header errors read
/// the same; a cell that is not a plain number is handed to <see cref="CsvNumbers.ParseFinite"/> for the same located
/// error text. Files this reader does not handle byte by byte (quotes, a lone CR, a UTF-16 byte-order mark) are read
/// through <see cref="CsvColumnReader"/> from the row where they start, so every input is treated alike either way.
/// </summary>
public sealed class CsvNumberStream : IDisposable
{
    private const int InitialBuffer = 1 << 20;

    private readonly string[] _names;
    private readonly int[] _indices;
    private readonly int _headerFields;
    private readonly int _requiredFields;
    private readonly string?[] _columnNames;
    private int? _blankLine;
    private FileStream? _file;
    private CsvColumnReader? _fallback;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
    private int _start;
    private int _end;
    private bool _eof;
    private int _special = int.MaxValue;

    private CsvNumberStream(string path, CsvColumnReader header, string[] names)
    {
        File = path;
        _names = names;
        _indices = names.Select(header.ColumnIndex).ToArray();
        _headerFields = header.HeaderFields;
        _requiredFields = header.RequiredFields;
        _columnNames = Enumerable.Range(0, _headerFields).Select(header.ColumnName).ToArray();
        _fallback = header;
    }

    public string File { get; }

    /// <summary>Physical line number of the current row (1-based).</summary>
    public int Line { get; private set; } = 1;

    /// <summary>
    /// Opens <paramref name="path"/> for the <paramref name="columns"/> (the required ones must be in the header,
    /// the others may be absent: see <see cref="Has"/>).
    /// </summary>
    public static CsvNumberStream Open(string path, IReadOnlyCollection<string> required, IReadOnlyList<string> columns, string field)
    {
        var header = CsvColumnReader.Open(path, required, field);
        var stream = new CsvNumberStream(path, header, [.. columns]);
        try
        {
            stream.StartFastPath();
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Whether column <paramref name="k"/> of those asked for is in the file.</summary>
    public bool Has(int k) => _indices[k] >= 0;

    /// <summary>Reads the next row's values into <paramref name="values"/> (NaN for an absent column); false at the end.</summary>
    public bool Read(Span<double> values)
    {
        if (_fallback is not null) return ReadFallback(values);
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline < 0 && !_eof)
            {
                Refill();
                continue;
            }
            if (newline < 0 && _start == _end) return false;
            var length = newline < 0 ? _end - _start : newline;
            var line = _buffer.AsSpan(_start, length);
            var lineEnd = _start + length;
            var special = _special < lineEnd;
            if (special)
            {
                // A quote, CR or NUL in this line (the buffer is scanned for them once, not line by line).
                if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
                if (line.IndexOfAny((byte)'"', (byte)'\r') >= 0)
                {
                    // Quoted fields (maybe over several lines) or old-Mac line ends: the general reader takes over here.
                    SwitchToFallback(Line + 1);
                    return ReadFallback(values);
                }
                _special = NextSpecial(lineEnd);
            }
            _start += newline < 0 ? length : length + 1;
            Line++;
            // CsvHelper trims spaces only: a tab is content (an empty cell), a line of spaces is blank.
            if (line.Trim((byte)' ').IsEmpty)
            {
                // As the general reader: blank lines are skipped, but inside a one-column series one is a missing value.
                _blankLine ??= Line;
                continue;
            }
            if (_blankLine is int blank && _headerFields == 1)
            {
                throw new InputException("empty cell, expected a value (a blank line inside the data)", File, blank, 1, _columnNames[0]);
            }
            _blankLine = null;
            ParseLine(line, values, special);
            return true;
        }
    }

    /// <summary>Where the next quote, CR or NUL is in the buffer at or after <paramref name="from"/>; int.MaxValue if none.</summary>
    private int NextSpecial(int from)
    {
        var at = _buffer.AsSpan(from, _end - from).IndexOfAny((byte)'"', (byte)'\r', (byte)0);
        return at < 0 ? int.MaxValue : from + at;
    }

    /// <summary>An error at the current row's cell of column <paramref name="k"/>.</summary>
    public InputException ErrorAt(int k, string message) => new(message, File, Line, _indices[k] >= 0 ? _indices[k] + 1 : null, _names[k]);

    private void StartFastPath()
    {
        _file = new FileStream(File, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        Refill();
        var bytes = _buffer.AsSpan(_start, _end - _start);
        if (bytes.StartsWith("\uFEFF"u8)) _start += 3;
        else if (bytes.StartsWith([(byte)0xFF, (byte)0xFE]) || bytes.StartsWith([(byte)0xFE, (byte)0xFF])) return;
        // Skip blank lines and the header: one physical line unless it is quoted, which the general reader keeps handling.
        var line = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline < 0 && !_eof)
            {
                Refill();
                continue;
            }
            var length = newline < 0 ? _end - _start : newline;
            var text = _buffer.AsSpan(_start, length);
            if (text.Length > 0 && text[^1] == (byte)'\r') text = text[..^1];
            if (text.IndexOfAny((byte)'"', (byte)'\r') >= 0) return;
            _start += newline < 0 ? length : length + 1;
            line++;
            if (!text.IsEmpty) break;
        }
        _fallback!.Dispose();
        _fallback = null;
        Line = line;
    }

    private void ParseLine(ReadOnlySpan<byte> line, Span<double> values, bool special)
    {
        Span<Range> cells = stackalloc Range[_indices.Length];
        var field = 0;
        var cellStart = 0;
        var extraFilled = false;
        for (var at = 0; ; at++)
        {
            if (at < line.Length && line[at] != (byte)',') continue;
            for (var k = 0; k < _indices.Length; k++)
            {
                if (_indices[k] == field) cells[k] = cellStart..at;
            }
            if (field >= _headerFields && !line[cellStart..at].Trim((byte)' ').IsEmpty) extraFilled = true;
            field++;
            cellStart = at + 1;
            if (at >= line.Length) break;
        }
        // The general reader's row checks, in its order: NUL bytes, truncated rows, rows wider than the header.
        var nul = special ? line.IndexOf((byte)0) : -1;
        if (nul >= 0)
        {
            var index = line[..nul].Count((byte)',');
            throw new InputException("NUL byte in the field: not a text CSV file", File, Line, index + 1, index < _columnNames.Length ? _columnNames[index] : null);
        }
        if (field < _requiredFields)
        {
            var missing = Enumerable.Range(field, _headerFields - field).First(i => _columnNames[i] is not null);
            throw new InputException($"row has {field} field(s), the header has {_headerFields}: truncated row, missing '{CsvNumbers.Printable(_columnNames[missing]!)}'",
                File, Line, field + 1, _columnNames[missing]);
        }
        if (extraFilled)
        {
            throw new InputException($"row has {field} fields, the header has {_headerFields} (a ',' decimal separator? use '.' and separate fields with ',')",
                File, Line, _headerFields + 1, _columnNames[_headerFields - 1]);
        }
        // Columns in the order asked for, as the general reader checks them.
        for (var k = 0; k < _indices.Length; k++)
        {
            if (_indices[k] < 0)
            {
                values[k] = double.NaN;
                continue;
            }
            if (_indices[k] >= field)
            {
                throw new InputException($"row has {field} fields, missing '{_names[k]}'", File, Line, _indices[k] + 1, _names[k]);
            }
            values[k] = ParseCell(line[cells[k]], k);
        }
    }

    private double ParseCell(ReadOnlySpan<byte> cell, int k)
    {
        cell = cell.Trim((byte)' ');
        var number = cell.Trim(" \t"u8);
        if (TryParsePlain(number, out var value)) return value;
        if (double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value))
        {
            return value;
        }
        // Not a plain finite number: the shared parser says why, with the same words (and the same cell text) as every other reader.
        return CsvNumbers.ParseFinite(Encoding.UTF8.GetString(cell), File, Line, _indices[k] + 1, _names[k]);
    }

    /// <summary>
    /// [-+]digits[.digits][e[-+]digits] with at most 15 significant digits and a power of ten within ±22: then the
    /// integer mantissa and the power are exact doubles, and one IEEE multiplication or division rounds correctly,
    /// so the result is the same bits double.Parse gives (Clinger's fast path). Anything else returns false.
    /// </summary>
    internal static bool TryParsePlain(ReadOnlySpan<byte> cell, out double value)
    {
        value = 0;
        var at = 0;
        var negative = false;
        if (at < cell.Length && (cell[at] == (byte)'-' || cell[at] == (byte)'+'))
        {
            negative = cell[at] == (byte)'-';
            at++;
        }
        ulong mantissa = 0;
        var digits = 0;
        var significant = 0;
        var scale = 0;
        for (; at < cell.Length && (uint)(cell[at] - '0') <= 9; at++, digits++)
        {
            if (mantissa == 0 && cell[at] == (byte)'0') continue;
            mantissa = mantissa * 10 + (uint)(cell[at] - '0');
            significant++;
        }
        if (at < cell.Length && cell[at] == (byte)'.')
        {
            for (at++; at < cell.Length && (uint)(cell[at] - '0') <= 9; at++, digits++)
            {
                scale--;
                if (mantissa == 0 && cell[at] == (byte)'0') continue;
                mantissa = mantissa * 10 + (uint)(cell[at] - '0');
                significant++;
            }
        }
        if (digits == 0 || significant > 15) return false;
        if (at < cell.Length && (cell[at] | 0x20) == (byte)'e')
        {
            at++;
            var exponentNegative = false;
            if (at < cell.Length && (cell[at] == (byte)'-' || cell[at] == (byte)'+'))
            {
                exponentNegative = cell[at] == (byte)'-';
                at++;
            }
            var exponent = 0;
            var exponentDigits = 0;
            for (; at < cell.Length && (uint)(cell[at] - '0') <= 9 && exponent < 1000; at++, exponentDigits++) exponent = exponent * 10 + (cell[at] - '0');
            if (exponentDigits == 0) return false;
            scale += exponentNegative ? -exponent : exponent;
        }
        if (at != cell.Length || scale < -22 || scale > 22) return false;
        var magnitude = (double)mantissa;
        magnitude = scale >= 0 ? magnitude * PowersOfTen[scale] : magnitude / PowersOfTen[-scale];
        value = negative ? -magnitude : magnitude;
        return true;
    }

    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    private void Refill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            // A line longer than the buffer: grow it.
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        try
        {
            var read = _file!.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0) _eof = true;
            _end += read;
            _special = NextSpecial(_start);
        }
        catch (IOException e)
        {
            throw new InputException($"cannot read: {e.Message}", File, field: _names[0], inner: e);
        }
    }

    /// <summary>Continues with the general reader from physical line <paramref name="line"/> on.</summary>
    private void SwitchToFallback(int line)
    {
        _file?.Dispose();
        _file = null;
        _fallback = CsvColumnReader.Open(File, [], _names[0]);
        while (_fallback.Read())
        {
            if (_fallback.Line < line) continue;
            _pendingFallbackRow = true;
            break;
        }
    }

    private bool _pendingFallbackRow;

    private bool ReadFallback(Span<double> values)
    {
        var reader = _fallback!;
        if (_pendingFallbackRow) _pendingFallbackRow = false;
        else if (!reader.Read()) return false;
        Line = reader.Line;
        for (var k = 0; k < _indices.Length; k++) values[k] = _indices[k] >= 0 ? reader.GetDouble(_indices[k], _names[k]) : double.NaN;
        return true;
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
        _fallback?.Dispose();
        _fallback = null;
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
