using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

    /// <summary>
    /// Bytes kept unused at the end of the buffer: the bulk path reads a vector of 64 bytes from any byte of the data,
    /// and <see cref="ShortNumberWindow"/> bytes from the start of any number, without a bounds check. What it reads
    /// past the data is never taken: a line feed in the data ends every number and line it accepts.
    /// </summary>
    private const int Padding = 64;

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
        _longFile = _file.Length - offset > InitialBuffer;
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
    /// As many plain rows (see <see cref="TryReadPlainLine"/>, here also with CRLF line ends) as <paramref name="first"/>
    /// holds: the value of asked-for column 0 of row r into <paramref name="first"/>[r], of column 1 (NaN when absent) into
    /// <paramref name="second"/>[r], refilling the buffer as needed: the bulk path of a long series, with the reader's
    /// state in registers. Stops before the first line that is not plain, at the end of the file or of the part
    /// (<see cref="Limit"/>), and before a row whose column <paramref name="increasing"/> (−1: none) is not above the
    /// previous row's (<paramref name="previous"/> before the first): the general path reads that row and says what is
    /// wrong. Returns the rows read; 0 means <see cref="Read"/> must take the next row. For two asked-for columns.
    /// </summary>
    public int ReadPlainRows(Span<double> first, Span<double> second, int increasing, double previous)
    {
        if (_indices.Length != 2) throw new InvalidOperationException("ReadPlainRows reads two columns");
        var columnOfField = _columnOfField;
        if (_fallback is not null || _blankLine is not null || columnOfField is null) return 0;
        var maxRows = Math.Min(first.Length, second.Length);
        // The common layouts (every field asked for: mid, or time and mid) line by line from a map of line feeds; others field by field.
        var rows = columnOfField.Length <= 2 && !columnOfField.Contains(-1)
            ? ReadAskedFieldRows(first[..maxRows], second[..maxRows], increasing, previous)
            : ReadPlainRowsFieldByField(first[..maxRows], second[..maxRows], increasing, previous);
        for (var k = 0; k < 2; k++)
        {
            if (_indices[k] < 0) (k == 0 ? first : second)[..rows].Fill(double.NaN);
        }
        return rows;
    }

    /// <summary>
    /// Whether the vector loops take four numbers at once: with AVX-512, in a file longer than one buffer. That code is
    /// compiled at run time (a few ms); a short file is read as fast without it.
    /// </summary>
    private bool FourAtOnce => _longFile && RightAlignedDecimal.IsFourSupported;

    /// <summary>More bytes to read than one buffer holds (for <see cref="FourAtOnce"/>).</summary>
    private bool _longFile;

    /// <summary>Lines found per batch of <see cref="ReadAskedFieldRows"/>: the line ends fit in a few KB of stack.</summary>
    private const int BatchRows = 512;

    /// <summary>
    /// <see cref="ReadPlainRows"/> for a file of one or two fields, each an asked-for column, a batch of lines at a time:
    /// first where the lines end (a vector compare finds the line feeds of 64 bytes at once), then their numbers, so
    /// that the rows' parses do not wait for one another. A row is plain when its fields are plain numbers
    /// (<see cref="ParsePlainField"/>) separated by a comma and ending at the line feed or at a CR before it: then it
    /// holds no other byte, in particular no quote, CR or NUL.
    /// </summary>
    private int ReadAskedFieldRows(Span<double> first, Span<double> second, int increasing, double previous)
    {
        var twoFields = _columnOfField!.Length == 2;
        // Field 0 goes to column 0 unless the file has column 1 first (time,mid); which field must increase.
        var swap = _columnOfField[0] != 0;
        var increasingField = increasing < 0 ? -1 : _indices[increasing];
        Span<int> lineEnds = stackalloc int[BatchRows + 64];
        var maxRows = first.Length;
        var rows = 0;
        var sawCr = false;
        while (rows < maxRows)
        {
            var at = _start;
            var stop = (int)Math.Min(_limit - _bufferOffset, int.MaxValue);
            if (at >= stop) break;
            var lines = FindLineEnds(at, stop, Math.Min(maxRows - rows, BatchRows), lineEnds);
            if (lines == 0)
            {
                // The line is cut by the end of the buffer: refill and go on; at the end of the file the general path
                // takes the last line (it has no line feed).
                if (_eof) break;
                Refill();
                continue;
            }
            var outA = swap ? second[rows..] : first[rows..];
            var outB = swap ? first[rows..] : second[rows..];
            var parsed = twoFields
                ? ParseTwoFieldLines(at, lineEnds[..lines], outA, outB, increasingField, ref previous, ref sawCr)
                : ParseOneFieldLines(at, lineEnds[..lines], outA, increasingField == 0, ref previous, ref sawCr);
            rows += parsed;
            Line += parsed;
            _start = parsed == 0 ? at : lineEnds[parsed - 1] + 1;
            if (parsed < lines) break;
        }
        // The plain rows' CRs were the buffer's next special bytes: find the next one after them.
        if (sawCr) _special = NextSpecial(_start);
        return rows;
    }

    /// <summary>
    /// Where the lines from buffer offset <paramref name="at"/> end (their line feeds), up to <paramref name="count"/>
    /// lines and none starting at or after <paramref name="stop"/>: how many were found in the data read so far.
    /// </summary>
    private int FindLineEnds(int at, int stop, int count, Span<int> lineEnds)
    {
        ref var bytes = ref MemoryMarshal.GetArrayDataReference(_buffer);
        ref var ends = ref MemoryMarshal.GetReference(lineEnds);
        var end = _end;
        var found = 0;
        for (var window = at; window < end && found < count; window += 64)
        {
            var newlines = NewlineMask(ref Unsafe.Add(ref bytes, window), end - window);
            // Every line feed of the window goes in (the array has room for 64 more than asked), then the count is cut.
            while (newlines != 0)
            {
                Unsafe.Add(ref ends, found++) = window + BitOperations.TrailingZeroCount(newlines);
                newlines &= newlines - 1;
            }
        }
        found = Math.Min(found, count);
        // Line k starts after line k − 1's end (line 0 at at, before stop): the lines starting at or after the part's end are not this reader's.
        while (found > 1 && lineEnds[found - 2] + 1 >= stop) found--;
        return found;
    }

    /// <summary>
    /// The lines of one field from buffer offset <paramref name="at"/> to the <paramref name="lineEnds"/>: their
    /// values into <paramref name="values"/>, as far as they are plain (and increasing when asked); how many.
    /// </summary>
    private int ParseOneFieldLines(int at, ReadOnlySpan<int> lineEnds, Span<double> values, bool increasing, ref double previous, ref bool sawCr)
    {
        ref var bytes = ref MemoryMarshal.GetArrayDataReference(_buffer);
        var shape = RightAlignedDecimal.Shape.None;
        var lines = 0;
        while (lines < lineEnds.Length)
        {
            // The vector loop takes the lines it can; the line it stops at (if any) is read here, then it goes on.
            if (RightAlignedDecimal.IsSupported) lines += VectorOneFieldLines(ref bytes, at, lineEnds[lines..], values[lines..], increasing, FourAtOnce, ref previous, ref shape, ref sawCr);
            if (lines == lineEnds.Length) break;
            at = lines == 0 ? at : lineEnds[lines - 1] + 1;
            var lineEnd = lineEnds[lines];
            var (used, value) = ParsePlainField(ref bytes, at, lineEnd);
            if (used == 0 || !EndsLine(ref bytes, at + used, lineEnd, ref sawCr)) break;
            if (increasing)
            {
                if (!(value > previous)) break;
                previous = value;
            }
            values[lines++] = value;
            at = lineEnd + 1;
        }
        return lines;
    }

    /// <summary>
    /// The lines of <see cref="ParseOneFieldLines"/> that <see cref="RightAlignedDecimal"/> reads, up to the first it
    /// does not (or that does not increase): how many. Nothing else in the loop, so that it keeps its state in registers.
    /// </summary>
    private static int VectorOneFieldLines(ref byte bytes, int at, ReadOnlySpan<int> lineEnds, Span<double> values, bool increasing, bool four, ref double previous,
        ref RightAlignedDecimal.Shape shape, ref bool sawCr)
    {
        ref var output = ref MemoryMarshal.GetReference(values);
        var guess = shape;
        var last = previous;
        var crs = 0;
        var lines = 0;
        four &= !increasing;
        while (lines < lineEnds.Length)
        {
            if (four && guess.Point != uint.MaxValue)
            {
                var taken = FourOneFieldLines(ref bytes, at, lineEnds[lines..], ref Unsafe.Add(ref output, lines), guess, ref crs);
                if (taken > 0)
                {
                    lines += taken;
                    at = lineEnds[lines - 1] + 1;
                }
            }
            // Where four at once do not go (another shape, a number of another form, the last lines): some one by one.
            var stop = Math.Min(lineEnds.Length, lines + 8);
            for (; lines < stop; lines++)
            {
                var lineEnd = lineEnds[lines];
                var end = NumberEnd(ref bytes, lineEnd, ref crs);
                if (end < 16 || !RightAlignedDecimal.TryParse(ref bytes, end, end - at, ref guess, out var value)) goto done;
                if (increasing)
                {
                    if (!(value > last)) goto done;
                    last = value;
                }
                Unsafe.Add(ref output, lines) = value;
                at = lineEnd + 1;
            }
        }
    done:
        shape = guess;
        previous = last;
        sawCr |= crs != 0;
        return lines;
    }

    /// <summary>Where the last field of the line ending at <paramref name="lineEnd"/> ends: before a CR there (CRLF; counted in <paramref name="crs"/>), else at the line feed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NumberEnd(ref byte bytes, int lineEnd, ref int crs)
    {
        // The byte before a line feed is in the buffer or its start (a line feed at 0 ends an empty line, read the general way).
        var cr = lineEnd > 0 && Unsafe.Add(ref bytes, lineEnd - 1) == (byte)'\r' ? 1 : 0;
        crs |= cr;
        return lineEnd - cr;
    }

    /// <summary>Lines of one field four at a time (<see cref="RightAlignedDecimal.TryParseFour"/>) while all four are of the shape: how many.</summary>
    private static int FourOneFieldLines(ref byte bytes, int at, ReadOnlySpan<int> lineEnds, ref double output, in RightAlignedDecimal.Shape guess, ref int crs)
    {
        // Built here, in the method compiled at run time (AVX-512 code is not precompiled), not in its precompiled caller.
        var shape = new RightAlignedDecimal.FourShape(guess, guess);
        ref var ends = ref MemoryMarshal.GetReference(lineEnds);
        var lines = 0;
        for (; lines + 4 <= lineEnds.Length; lines += 4)
        {
            var e0 = Unsafe.Add(ref ends, lines);
            var e1 = Unsafe.Add(ref ends, lines + 1);
            var e2 = Unsafe.Add(ref ends, lines + 2);
            var e3 = Unsafe.Add(ref ends, lines + 3);
            var n0 = NumberEnd(ref bytes, e0, ref crs);
            var n1 = NumberEnd(ref bytes, e1, ref crs);
            var n2 = NumberEnd(ref bytes, e2, ref crs);
            var n3 = NumberEnd(ref bytes, e3, ref crs);
            if (n0 < 16 || !RightAlignedDecimal.TryParseFour(ref bytes, n0, n1, n2, n3, n0 - at, n1 - e0 - 1, n2 - e1 - 1, n3 - e2 - 1, shape, out var values)) break;
            values.StoreUnsafe(ref Unsafe.Add(ref output, lines));
            at = e3 + 1;
        }
        return lines;
    }

    /// <summary>As <see cref="ParseOneFieldLines"/> for lines of two fields: field 0 into <paramref name="first"/>, field 1 into <paramref name="second"/>.</summary>
    private int ParseTwoFieldLines(int at, ReadOnlySpan<int> lineEnds, Span<double> first, Span<double> second, int increasingField, ref double previous, ref bool sawCr)
    {
        ref var bytes = ref MemoryMarshal.GetArrayDataReference(_buffer);
        var firstShape = RightAlignedDecimal.Shape.None;
        var secondShape = RightAlignedDecimal.Shape.None;
        var lines = 0;
        while (lines < lineEnds.Length)
        {
            if (RightAlignedDecimal.IsSupported)
            {
                lines += VectorTwoFieldLines(ref bytes, at, lineEnds[lines..], first[lines..], second[lines..], increasingField, FourAtOnce, ref previous, ref firstShape, ref secondShape, ref sawCr);
            }
            if (lines == lineEnds.Length) break;
            at = lines == 0 ? at : lineEnds[lines - 1] + 1;
            var lineEnd = lineEnds[lines];
            var (used, a) = ParsePlainField(ref bytes, at, lineEnd);
            var cursor = at + used;
            if (used == 0 || Unsafe.Add(ref bytes, cursor) != (byte)',') break;
            cursor++;
            (used, var b) = ParsePlainField(ref bytes, cursor, lineEnd);
            cursor += used;
            if (used == 0 || !EndsLine(ref bytes, cursor, lineEnd, ref sawCr)) break;
            if (increasingField >= 0)
            {
                var value = increasingField == 0 ? a : b;
                if (!(value > previous)) break;
                previous = value;
            }
            first[lines] = a;
            second[lines++] = b;
            at = lineEnd + 1;
        }
        return lines;
    }

    /// <summary>As <see cref="VectorOneFieldLines"/> for <see cref="ParseTwoFieldLines"/>: lines of at most 32 bytes (32 readable before their end) with one comma.</summary>
    private static int VectorTwoFieldLines(ref byte bytes, int at, ReadOnlySpan<int> lineEnds, Span<double> first, Span<double> second, int increasingField, bool four,
        ref double previous, ref RightAlignedDecimal.Shape firstShape, ref RightAlignedDecimal.Shape secondShape, ref bool sawCr)
    {
        ref var firstOutput = ref MemoryMarshal.GetReference(first);
        ref var secondOutput = ref MemoryMarshal.GetReference(second);
        ref var ends = ref MemoryMarshal.GetReference(lineEnds);
        var firstGuess = firstShape;
        var secondGuess = secondShape;
        var last = previous;
        var crs = 0;
        var lines = 0;
        while (lines < lineEnds.Length)
        {
            if (four && firstGuess.Point != uint.MaxValue && secondGuess.Point != uint.MaxValue)
            {
                var taken = FourTwoFieldLines(ref bytes, at, lineEnds[lines..], ref Unsafe.Add(ref firstOutput, lines), ref Unsafe.Add(ref secondOutput, lines),
                    increasingField, ref last, firstGuess, secondGuess, ref crs);
                if (taken > 0)
                {
                    lines += taken;
                    at = lineEnds[lines - 1] + 1;
                }
            }
            var stop = Math.Min(lineEnds.Length, lines + 8);
            for (; lines < stop; lines++)
            {
                var lineEnd = Unsafe.Add(ref ends, lines);
                var end = NumberEnd(ref bytes, lineEnd, ref crs);
                int comma;
                if (at < 32 || end - at > 32
                    || (comma = SingleComma(ref bytes, at, end)) < 0
                    || !RightAlignedDecimal.TryParse(ref bytes, comma, comma - at, ref firstGuess, out var a)
                    || !RightAlignedDecimal.TryParse(ref bytes, end, end - comma - 1, ref secondGuess, out var b))
                {
                    goto done;
                }
                if (increasingField >= 0)
                {
                    var value = increasingField == 0 ? a : b;
                    if (!(value > last)) goto done;
                    last = value;
                }
                Unsafe.Add(ref firstOutput, lines) = a;
                Unsafe.Add(ref secondOutput, lines) = b;
                at = lineEnd + 1;
            }
        }
    done:
        firstShape = firstGuess;
        secondShape = secondGuess;
        previous = last;
        sawCr |= crs != 0;
        return lines;
    }

    /// <summary>Lines of two fields two at a time (their four numbers with <see cref="RightAlignedDecimal.TryParseFour"/>) while all are of their shapes: how many.</summary>
    private static int FourTwoFieldLines(ref byte bytes, int at, ReadOnlySpan<int> lineEnds, ref double firstOutput, ref double secondOutput, int increasingField,
        ref double previous, in RightAlignedDecimal.Shape firstGuess, in RightAlignedDecimal.Shape secondGuess, ref int crs)
    {
        var shape = new RightAlignedDecimal.FourShape(firstGuess, secondGuess);
        ref var ends = ref MemoryMarshal.GetReference(lineEnds);
        var last = previous;
        var lines = 0;
        for (; lines + 2 <= lineEnds.Length; lines += 2)
        {
            var e0 = Unsafe.Add(ref ends, lines);
            var e1 = Unsafe.Add(ref ends, lines + 1);
            var n0 = NumberEnd(ref bytes, e0, ref crs);
            var n1 = NumberEnd(ref bytes, e1, ref crs);
            int c0, c1;
            if (at < 32 || n0 - at > 32 || n1 - e0 - 1 > 32
                || (c0 = SingleComma(ref bytes, at, n0)) < 0 || (c1 = SingleComma(ref bytes, e0 + 1, n1)) < 0
                || !RightAlignedDecimal.TryParseFour(ref bytes, c0, n0, c1, n1, c0 - at, n0 - c0 - 1, c1 - e0 - 1, n1 - c1 - 1, shape, out var values))
            {
                break;
            }
            if (increasingField >= 0)
            {
                var a = increasingField == 0 ? values.GetElement(0) : values.GetElement(1);
                var b = increasingField == 0 ? values.GetElement(2) : values.GetElement(3);
                if (!(a > last && b > a)) break;
                last = b;
            }
            Unsafe.Add(ref firstOutput, lines) = values.GetElement(0);
            Unsafe.Add(ref secondOutput, lines) = values.GetElement(1);
            Unsafe.Add(ref firstOutput, lines + 1) = values.GetElement(2);
            Unsafe.Add(ref secondOutput, lines + 1) = values.GetElement(3);
            at = e1 + 1;
        }
        previous = last;
        return lines;
    }

    /// <summary>Where the one comma of the line [<paramref name="at"/>, <paramref name="lineEnd"/>) of at most 32 bytes is (32 bytes readable before its end); −1 for none or more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SingleComma(ref byte bytes, int at, int lineEnd)
    {
        var commas = Vector256.Equals(Vector256.LoadUnsafe(ref bytes, (nuint)(lineEnd - 32)), Vector256.Create((byte)',')).ExtractMostSignificantBits()
            & (uint)(0xFFFF_FFFFUL << (32 - (lineEnd - at)));
        return commas != 0 && (commas & (commas - 1)) == 0 ? lineEnd - 32 + BitOperations.TrailingZeroCount(commas) : -1;
    }

    /// <summary>Whether the last field ended at <paramref name="cursor"/>, the line's end or a CR just before it (CRLF: the general path drops it the same way).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool EndsLine(ref byte bytes, int cursor, int lineEnd, ref bool sawCr)
    {
        if (cursor == lineEnd) return true;
        if (cursor + 1 != lineEnd || Unsafe.Add(ref bytes, cursor) != (byte)'\r') return false;
        sawCr = true;
        return true;
    }

    /// <summary>
    /// The plain number at <paramref name="at"/> in the buffer (in a line ending at <paramref name="lineEnd"/>): the
    /// bytes it takes (0 when it is not plain, see <see cref="ParsePlainPrefix"/>) and its value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Used, double Value) ParsePlainField(ref byte bytes, int at, int lineEnd)
    {
        // The buffer's padding leaves ShortNumberWindow bytes readable after any byte of a line.
        var used = ParseShortDecimal(ref Unsafe.Add(ref bytes, at), out var value);
        return used >= 0 ? (used, value) : ParseLongField(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref bytes, at), lineEnd - at));
    }

    /// <summary>The rare field <see cref="ParseShortDecimal"/> leaves to the digit loop, out of line (the bulk loops keep their registers).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (int Used, double Value) ParseLongField(ReadOnlySpan<byte> text)
    {
        var used = ParsePlainDigitByDigit(text, out var value);
        return (used, value);
    }

    /// <summary>Bit i set when byte i of the <paramref name="length"/> (of 64) bytes at <paramref name="at"/> is a line feed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong NewlineMask(ref byte at, int length)
    {
        // Four 128-bit compares: precompiled for every x64 (wider vectors would be compiled at start, for little gain here).
        var newline = Vector128.Create((byte)'\n');
        var mask = (ulong)Vector128.Equals(Vector128.LoadUnsafe(ref at), newline).ExtractMostSignificantBits()
            | ((ulong)Vector128.Equals(Vector128.LoadUnsafe(ref at, 16), newline).ExtractMostSignificantBits() << 16)
            | ((ulong)Vector128.Equals(Vector128.LoadUnsafe(ref at, 32), newline).ExtractMostSignificantBits() << 32)
            | ((ulong)Vector128.Equals(Vector128.LoadUnsafe(ref at, 48), newline).ExtractMostSignificantBits() << 48);
        // Bytes past the data are stale (the padding, or a previous fill): never line ends.
        return length >= 64 ? mask : mask & ((1UL << length) - 1);
    }

    /// <summary><see cref="ReadPlainRows"/> for any other layout (fields not asked for, or more than two), a field at a time.</summary>
    private int ReadPlainRowsFieldByField(Span<double> first, Span<double> second, int increasing, double previous)
    {
        var columnOfField = _columnOfField!;
        var maxRows = first.Length;
        var fields = columnOfField.Length;
        Span<double> row = stackalloc double[2];
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
                first[rows] = row[0];
                second[rows] = row[1];
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
        _longFile = _file.Length > InitialBuffer;
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
            var used = ParseShortDecimal(ref MemoryMarshal.GetReference(text), out value);
            if (used >= 0) return used;
        }
        return ParsePlainDigitByDigit(text, out value);
    }

    /// <summary>Bytes <see cref="ParseShortDecimal"/> may read: a sign, two 8-byte words and the point between them.</summary>
    private const int ShortNumberWindow = 18;

    /// <summary>
    /// [-+]d{0,7}[.d{0,7}] without an exponent, the common cell of a price series, parsed eight bytes at a time
    /// without a branch per digit: the same mantissa and power of ten as the digit-by-digit loop, so the same double.
    /// −1 when the text is not of that shape (the loop decides); reads <see cref="ShortNumberWindow"/> bytes from
    /// <paramref name="text"/>, which must be readable, whatever the number's length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ParseShortDecimal(ref byte text, out double value)
    {
        var lead = text;
        var signed = lead == (byte)'-' || lead == (byte)'+' ? 1 : 0;
        var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref text, signed));
        var integerDigits = DigitRun(word);
        var mantissa = EightDigits(word, integerDigits);
        var at = signed + integerDigits;
        var fractionDigits = 0;
        if (Unsafe.Add(ref text, at) == (byte)'.')
        {
            word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref text, at + 1));
            fractionDigits = DigitRun(word);
            // At most 7 + 7 digits: the mantissa stays below 10^14, an exact double, as the loop requires (15 significant digits).
            mantissa = mantissa * IntegerPowersOfTen[fractionDigits & 7] + EightDigits(word, fractionDigits);
            at += fractionDigits + 1;
        }
        // Eight digits in a run (more may follow), an exponent, or no digit at all: the loop decides.
        if ((integerDigits | fractionDigits) >= 8 || (Unsafe.Add(ref text, at) | 0x20) == (byte)'e' || integerDigits + fractionDigits == 0)
        {
            value = 0;
            return -1;
        }
        // Division by 10^0 = 1 is exact, so no branch for whole numbers; the sign goes on last, as -0 must keep it.
        var magnitude = (double)(long)mantissa / PowersOfTen[fractionDigits];
        value = lead == (byte)'-' ? -magnitude : magnitude;
        return at;
    }

    /// <summary>How many of the 8 bytes of <paramref name="word"/> (first byte lowest) are ASCII digits before the first that is not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DigitRun(ulong word)
    {
        // Per byte: high nibble not 3, or low nibble above 9 (+6 carries into bit 4; no byte carries into the next).
        var notDigit = ((word & 0xF0F0F0F0F0F0F0F0UL) ^ 0x3030303030303030UL) | (((word & 0x0F0F0F0F0F0F0F0FUL) + 0x0606060606060606UL) & 0x1010101010101010UL);
        // 64 trailing zeros when all eight are digits: 8.
        return BitOperations.TrailingZeroCount(notDigit) >> 3;
    }

    /// <summary>
    /// The value of the first <paramref name="count"/> (0 to 8) digits of <paramref name="word"/>, three
    /// multiplications (the SWAR method of simdjson and fast_float).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EightDigits(ulong word, int count)
    {
        // Shift the digits to the top bytes: the vacated low bytes read as leading zeros. Two shifts, as a shift by 64 is none.
        var shift = 32 - 4 * count;
        var v = ((word << shift) << shift) & 0x0F0F0F0F0F0F0F0FUL;
        v = (v * 2561) >> 8;
        v = ((v & 0x00FF00FF00FF00FFUL) * 6553601) >> 16;
        return ((v & 0x0000FFFF0000FFFFUL) * 42949672960001UL) >> 32;
    }

    private static ReadOnlySpan<ulong> IntegerPowersOfTen => [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000];

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

    /// <summary>10^<paramref name="k"/>, exact, for k from 0 to 22.</summary>
    internal static double PowerOfTen(int k) => PowersOfTen[k];

    private static ReadOnlySpan<double> PowersOfTen =>
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
        if (_end == _buffer.Length - Padding)
        {
            // A line longer than the buffer: grow it.
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        try
        {
            var read = _file!.Read(_buffer, _end, _buffer.Length - Padding - _end);
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
