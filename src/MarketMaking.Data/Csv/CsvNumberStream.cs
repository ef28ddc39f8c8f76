using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
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

    // Which asked-for column each header field is (−1: not asked for), for the one-pass line scanner; null when no
    // asked-for column is in the file (then every line goes the general way, which also knows blank lines).
    private readonly int[]? _columnOfField;
    private int? _blankLine;
    private FileStream? _file;
    private CsvColumnReader? _fallback;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
    private int _start;
    private int _end;

    // File offset of _buffer[0], and the offset at which Read stops (a part of the file read by another reader starts there).
    private long _bufferOffset;
    private long _limit = long.MaxValue;
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
        if (_indices.Any(i => i >= 0))
        {
            _columnOfField = Enumerable.Repeat(-1, _headerFields).ToArray();
            for (var k = 0; k < _indices.Length; k++)
            {
                if (_indices[k] >= 0) _columnOfField[_indices[k]] = k;
            }
        }
        _fallback = header;
    }

    /// <summary>
    /// A reader of the same file from byte <paramref name="offset"/> (the first byte of a line) on, with this reader's
    /// header: one part of a long file that another thread reads with <see cref="ReadPlainRows"/>.
    /// </summary>
    private CsvNumberStream(CsvNumberStream header, long offset)
    {
        File = header.File;
        _names = header._names;
        _indices = header._indices;
        _headerFields = header._headerFields;
        _requiredFields = header._requiredFields;
        _columnNames = header._columnNames;
        _columnOfField = header._columnOfField;
        Line = 0;
        _file = new FileStream(File, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan) { Position = offset };
        _bufferOffset = offset;
    }

    public string File { get; }

    /// <summary>Whether the rows are still read byte by byte (not handed to the general reader), so that <see cref="Position"/> holds.</summary>
    public bool ByteLevel => _fallback is null;

    /// <summary>File offset of the next line's first byte, while <see cref="ByteLevel"/>.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>A blank line was skipped and no row has followed it yet (inside a one-column series that is an error once a row follows).</summary>
    public bool BlankLinePending => _blankLine is not null;

    /// <summary>
    /// <see cref="Read"/> returns false at the first line starting at or after this offset (byte-level reading only):
    /// the rest of the file is another reader's part.
    /// </summary>
    public long Limit
    {
        get => _limit;
        set => _limit = value;
    }

    /// <summary>A reader of the rows from file offset <paramref name="offset"/> (the first byte of a line) on, for <see cref="ReadPlainRows"/>.</summary>
    public CsvNumberStream OpenPart(long offset)
    {
        var part = new CsvNumberStream(this, offset);
        try
        {
            part.Refill();
            return part;
        }
        catch
        {
            part.Dispose();
            throw;
        }
    }

    /// <summary>Every byte of the file has been read as rows.</summary>
    public bool AtEnd => _eof && _start == _end;

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
        if (_blankLine is null && Position < _limit && TryReadPlainLine(values)) return true;
        while (true)
        {
            if (Position >= _limit) return false;
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

    /// <summary>
    /// As many plain rows (see <see cref="TryReadPlainLine"/>, here also with CRLF line ends) as <paramref name="values"/> holds, row after row
    /// (<see cref="Columns"/> values each), refilling the buffer as needed: the bulk path of a long series, with the
    /// reader's state in registers. Stops before the first line that is not plain, at the end of the file or of the part
    /// (<see cref="Limit"/>), and before a row whose column <paramref name="increasing"/> (−1: none) is not above the
    /// previous row's (<paramref name="previous"/> before the first): the general path reads that row and says what is
    /// wrong. Returns the rows read; 0 means <see cref="Read"/> must take the next row.
    /// </summary>
    public int ReadPlainRows(Span<double> values, int increasing, double previous)
    {
        var columnOfField = _columnOfField;
        if (_fallback is not null || _blankLine is not null || columnOfField is null) return 0;
        var columns = _indices.Length;
        var maxRows = values.Length / columns;
        var fields = columnOfField.Length;
        var rows = 0;
        while (rows < maxRows)
        {
            var bytes = _buffer.AsSpan(0, _end);
            var special = _special;
            var stop = (int)Math.Min(_limit - _bufferOffset, int.MaxValue);
            var at = _start;
            var complete = true;
            for (; rows < maxRows && at < stop; rows++)
            {
                var row = values.Slice(rows * columns, columns);
                var cursor = at;
                var plain = true;
                var crlf = false;
                for (var field = 0; ; field++)
                {
                    var k = columnOfField[field];
                    if (k >= 0)
                    {
                        var used = ParsePlainPrefix(bytes[cursor..], out row[k]);
                        if (used == 0)
                        {
                            plain = false;
                            break;
                        }
                        cursor += used;
                    }
                    else
                    {
                        var skip = bytes[cursor..].IndexOfAny((byte)',', (byte)'\n');
                        if (skip < 0)
                        {
                            plain = false;
                            break;
                        }
                        cursor += skip;
                    }
                    if (cursor >= bytes.Length)
                    {
                        plain = false;
                        break;
                    }
                    var separator = bytes[cursor];
                    if (field + 1 < fields)
                    {
                        if (separator != (byte)',')
                        {
                            plain = false;
                            break;
                        }
                        cursor++;
                        continue;
                    }
                    plain = separator == (byte)'\n' && special > cursor;
                    // CRLF: the CR is the line's only special byte; the general path drops it the same way.
                    crlf = !plain && separator == (byte)'\r' && special == cursor && cursor + 1 < bytes.Length && bytes[cursor + 1] == (byte)'\n';
                    plain |= crlf;
                    break;
                }
                if (!plain || (increasing >= 0 && !(row[increasing] > previous)))
                {
                    complete = plain || bytes[at..].Contains((byte)'\n');
                    break;
                }
                if (crlf)
                {
                    cursor++;
                    special = _special = NextSpecial(cursor + 1);
                }
                if (increasing >= 0) previous = row[increasing];
                for (var k = 0; k < columns; k++)
                {
                    if (_indices[k] < 0) row[k] = double.NaN;
                }
                at = cursor + 1;
                Line++;
            }
            _start = at;
            // Stopped at a line cut by the end of the buffer: refill and go on; at anything else, stop.
            if (rows == maxRows || complete || _eof || at >= stop) break;
            Refill();
        }
        return rows;
    }

    /// <summary>Values per row of <see cref="ReadPlainRows"/>: the columns asked for.</summary>
    public int Columns => _indices.Length;

    /// <summary>
    /// The common line in one pass: exactly the header's fields, each asked-for cell a plain number
    /// (<see cref="ParsePlainPrefix"/>) ending at the comma or the line feed, no quote, CR or NUL, the line whole in
    /// the buffer. Anything else returns false with nothing consumed, and the general path reads the line (and says
    /// what is wrong with it): both give the same values for every line this one accepts.
    /// </summary>
    private bool TryReadPlainLine(Span<double> values)
    {
        var columnOfField = _columnOfField;
        if (columnOfField is null) return false;
        var bytes = _buffer.AsSpan(0, _end);
        var at = _start;
        var fields = columnOfField.Length;
        for (var field = 0; ; field++)
        {
            var k = columnOfField[field];
            if (k >= 0)
            {
                var used = ParsePlainPrefix(bytes[at..], out values[k]);
                if (used == 0) return false;
                at += used;
            }
            else
            {
                var skip = bytes[at..].IndexOfAny((byte)',', (byte)'\n');
                if (skip < 0) return false;
                at += skip;
            }
            if (at >= bytes.Length) return false;
            var separator = bytes[at];
            if (field + 1 < fields)
            {
                if (separator != (byte)',') return false;
                at++;
                continue;
            }
            if (separator != (byte)'\n' || _special <= at) return false;
            break;
        }
        for (var k = 0; k < _indices.Length; k++)
        {
            if (_indices[k] < 0) values[k] = double.NaN;
        }
        _start = at + 1;
        Line++;
        return true;
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
    internal static bool TryParsePlain(ReadOnlySpan<byte> cell, out double value) => ParsePlainPrefix(cell, out value) is var used && used > 0 && used == cell.Length;

    /// <summary>
    /// The plain number (as <see cref="TryParsePlain"/>) at the start of <paramref name="text"/>: how many bytes it
    /// takes, or 0 when the text does not start with one the fast path can convert exactly. Stops at the first byte
    /// that cannot continue the number, which the caller checks.
    /// </summary>
    internal static int ParsePlainPrefix(ReadOnlySpan<byte> text, out double value)
    {
        if (text.Length >= ShortNumberWindow)
        {
            var used = ParseShortDecimal(text, out value);
            if (used >= 0) return used;
        }
        return ParsePlainDigitByDigit(text, out value);
    }

    /// <summary>Bytes <see cref="ParseShortDecimal"/> may read: a sign, two 8-byte words and the point between them, and the byte after.</summary>
    private const int ShortNumberWindow = 18;

    /// <summary>
    /// [-+]d{0,7}[.d{0,7}] without an exponent, the common cell of a price series, parsed eight bytes at a time
    /// without a branch per digit: the same mantissa and power of ten as the digit-by-digit loop, so the same double.
    /// −1 when the text is not of that shape (the loop decides); reads <see cref="ShortNumberWindow"/> bytes at most.
    /// </summary>
    private static int ParseShortDecimal(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var at = text[0] == (byte)'-' || text[0] == (byte)'+' ? 1 : 0;
        var word = BinaryPrimitives.ReadUInt64LittleEndian(text[at..]);
        var integerDigits = DigitRun(word);
        if (integerDigits == 8) return -1;
        var mantissa = EightDigits(word, integerDigits);
        at += integerDigits;
        var fractionDigits = 0;
        if (text[at] == (byte)'.')
        {
            at++;
            word = BinaryPrimitives.ReadUInt64LittleEndian(text[at..]);
            fractionDigits = DigitRun(word);
            if (fractionDigits == 8) return -1;
            mantissa = mantissa * IntegerPowersOfTen[fractionDigits] + EightDigits(word, fractionDigits);
            at += fractionDigits;
        }
        if ((text[at] | 0x20) == (byte)'e') return -1;
        // No digit at all, or more than 15 significant ones (a mantissa of 10^15 or more): not plain, as in the loop.
        if (integerDigits + fractionDigits == 0 || mantissa >= 1_000_000_000_000_000UL) return 0;
        var magnitude = fractionDigits == 0 ? (double)mantissa : (double)mantissa / PowersOfTen[fractionDigits];
        value = text[0] == (byte)'-' ? -magnitude : magnitude;
        return at;
    }

    /// <summary>How many of the 8 bytes of <paramref name="word"/> (first byte lowest) are ASCII digits before the first that is not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DigitRun(ulong word)
    {
        // Per byte: high nibble not 3, or low nibble above 9 (+6 carries into bit 4; no byte carries into the next).
        var notDigit = ((word & 0xF0F0F0F0F0F0F0F0UL) ^ 0x3030303030303030UL) | (((word & 0x0F0F0F0F0F0F0F0FUL) + 0x0606060606060606UL) & 0x1010101010101010UL);
        return notDigit == 0 ? 8 : BitOperations.TrailingZeroCount(notDigit) >> 3;
    }

    /// <summary>The value of the first <paramref name="count"/> (0 to 7) digits of <paramref name="word"/>, three multiplications (the SWAR method of simdjson and fast_float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EightDigits(ulong word, int count)
    {
        if (count == 0) return 0;
        // Shift the digits to the top bytes: the vacated low bytes read as leading zeros.
        var v = (word << (8 * (8 - count))) & 0x0F0F0F0F0F0F0F0FUL;
        v = (v * 2561) >> 8;
        v = ((v & 0x00FF00FF00FF00FFUL) * 6553601) >> 16;
        return ((v & 0x0000FFFF0000FFFFUL) * 42949672960001UL) >> 32;
    }

    private static readonly ulong[] IntegerPowersOfTen = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000];

    private static int ParsePlainDigitByDigit(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var at = 0;
        var negative = false;
        if (at < text.Length && (text[at] == (byte)'-' || text[at] == (byte)'+'))
        {
            negative = text[at] == (byte)'-';
            at++;
        }
        ulong mantissa = 0;
        var digits = 0;
        var significant = 0;
        var scale = 0;
        for (; at < text.Length && (uint)(text[at] - '0') <= 9; at++, digits++)
        {
            if (mantissa == 0 && text[at] == (byte)'0') continue;
            mantissa = mantissa * 10 + (uint)(text[at] - '0');
            significant++;
        }
        if (at < text.Length && text[at] == (byte)'.')
        {
            for (at++; at < text.Length && (uint)(text[at] - '0') <= 9; at++, digits++)
            {
                scale--;
                if (mantissa == 0 && text[at] == (byte)'0') continue;
                mantissa = mantissa * 10 + (uint)(text[at] - '0');
                significant++;
            }
        }
        if (digits == 0 || significant > 15) return 0;
        if (at < text.Length && (text[at] | 0x20) == (byte)'e')
        {
            at++;
            var exponentNegative = false;
            if (at < text.Length && (text[at] == (byte)'-' || text[at] == (byte)'+'))
            {
                exponentNegative = text[at] == (byte)'-';
                at++;
            }
            var exponent = 0;
            var exponentDigits = 0;
            for (; at < text.Length && (uint)(text[at] - '0') <= 9 && exponent < 1000; at++, exponentDigits++) exponent = exponent * 10 + (text[at] - '0');
            if (exponentDigits == 0) return 0;
            scale += exponentNegative ? -exponent : exponent;
        }
        if (scale < -22 || scale > 22) return 0;
        var magnitude = (double)mantissa;
        magnitude = scale >= 0 ? magnitude * PowersOfTen[scale] : magnitude / PowersOfTen[-scale];
        value = negative ? -magnitude : magnitude;
        return at;
    }

    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    private void Refill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _bufferOffset += _start;
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
