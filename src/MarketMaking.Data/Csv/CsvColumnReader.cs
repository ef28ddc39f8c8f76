using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using MarketMaking.Core;

namespace MarketMaking.Data.Csv;

/// <summary>
/// Streams a CSV file with a header row, by named columns (any order, matched case-insensitively; extra columns
/// ignored). Every error is an <see cref="InputException"/> with the file, line and column (the field's
/// 1-based position in the row) and the column's name. CRLF and a UTF-8 BOM are accepted; ';' separators are
/// rejected with a hint.
/// </summary>
public sealed class CsvColumnReader : IDisposable
{
    private readonly StreamReader _stream;
    private readonly CsvParser _parser;
    private readonly Dictionary<string, int> _columns;
    private string[] _record = [];

    private readonly int _headerFields;
    private readonly int _requiredFields;

    private CsvColumnReader(string path, StreamReader stream, CsvParser parser, Dictionary<string, int> columns, int headerFields, int requiredFields)
    {
        File = path;
        _stream = stream;
        _parser = parser;
        _columns = columns;
        _headerFields = headerFields;
        _requiredFields = requiredFields;
    }

    public string File { get; }

    /// <summary>Physical line number of the current record (1-based).</summary>
    public int Line { get; private set; }

    public static CsvColumnReader Open(string path, IReadOnlyCollection<string> required, string field = "input")
    {
        InputFiles.RequireFile(path, field);
        StreamReader? stream = null;
        CsvParser? parser = null;
        try
        {
            stream = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
            var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
            {
                Delimiter = ",",
                DetectDelimiter = false,
                HasHeaderRecord = true,
                BadDataFound = null,
                TrimOptions = TrimOptions.Trim,
                // Blank lines are seen, not skipped: in a one-column file a blank line is an empty cell (see Read).
                IgnoreBlankLines = false,
            };
            parser = new CsvParser(stream, configuration);
            if (!parser.Read())
            {
                throw new InputException("empty file, expected a header row", path, 1, 1, field);
            }
            var header = parser.Record ?? [];
            var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Length; i++)
            {
                var name = header[i].Trim().TrimStart('\uFEFF');
                if (name.Length == 0)
                {
                    continue;
                }
                if (!columns.TryAdd(name, i))
                {
                    throw new InputException($"duplicated column '{CsvNumbers.Printable(name)}' in the header", path, 1, i + 1, name);
                }
            }
            foreach (var name in required)
            {
                if (!columns.ContainsKey(name))
                {
                    var semicolon = header.Length == 1 && header[0].Contains(';', StringComparison.Ordinal)
                        ? "; the file looks ';'-separated: use ',' as the separator and '.' as the decimal point"
                        : "";
                    throw new InputException($"missing column '{name}' (header has: {string.Join(", ", columns.Keys.Select(CsvNumbers.Printable))}){semicolon}", path, 1, null, name);
                }
            }
            var requiredFields = required.Count == 0 ? 0 : required.Max(name => columns[name]) + 1;
            var reader = new CsvColumnReader(path, stream, parser, columns, header.Length, requiredFields);
            stream = null;
            parser = null;
            return reader;
        }
        catch (IOException e)
        {
            throw new InputException($"cannot read: {e.Message}", path, field: field, inner: e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InputException($"cannot read: {e.Message}", path, field: field, inner: e);
        }
        catch (CsvHelperException e)
        {
            throw new InputException($"malformed CSV: {FirstLine(e.Message)}", path, e.Context?.Parser?.RawRow, null, field, e);
        }
        finally
        {
            parser?.Dispose();
            stream?.Dispose();
        }
    }

    public bool HasColumn(string name) => _columns.ContainsKey(name);

    /// <summary>Index of a column for fast access with <see cref="GetDouble(int, string)"/>; -1 if absent.</summary>
    public int ColumnIndex(string name) => _columns.TryGetValue(name, out var index) ? index : -1;

    public bool Read()
    {
        try
        {
            int? blankLine = null;
            while (true)
            {
                if (!_parser.Read())
                {
                    // Trailing blank lines are harmless.
                    return false;
                }
                _record = _parser.Record ?? [];
                Line = _parser.RawRow;
                // A quoted empty cell ("") is a cell, not a blank line.
                if (_record.Length > 1 || (_record.Length == 1 && _record[0].Length > 0) || !string.IsNullOrWhiteSpace(_parser.RawRecord))
                {
                    break;
                }
                // A blank line: skipped between rows of a file with several columns; in a one-column file it is an
                // empty cell, which would silently drop a value from a series.
                blankLine ??= Line;
            }
            if (blankLine is int blank && _headerFields == 1)
            {
                throw new InputException("empty cell, expected a value (a blank line inside the data)", File, blank, 1, _columns.Keys.FirstOrDefault());
            }
            CheckRecord();
            return true;
        }
        catch (CsvHelperException e)
        {
            throw new InputException($"malformed CSV: {FirstLine(e.Message)}", File, _parser.RawRow, null, null, e);
        }
    }

    /// <summary>Rejects what no column lookup would notice: NUL bytes, truncated rows, and rows wider than the header.</summary>
    private void CheckRecord()
    {
        for (var i = 0; i < _record.Length; i++)
        {
            // .NET's number parsing ignores trailing NULs ("1\0" reads as 1): a NUL means the file is not text.
            if (_record[i].Contains('\0', StringComparison.Ordinal))
            {
                throw new InputException("NUL byte in the field: not a text CSV file", File, Line, i + 1, ColumnName(i));
            }
        }
        if (_record.Length < _requiredFields)
        {
            var missing = _columns.Where(c => c.Value >= _record.Length).OrderBy(c => c.Value).First();
            throw new InputException($"row has {_record.Length} field(s), the header has {_headerFields}: truncated row, missing '{CsvNumbers.Printable(missing.Key)}'", File, Line, _record.Length + 1, missing.Key);
        }
        if (_record.Length > _headerFields && _record.Skip(_headerFields).Any(f => f.Length > 0))
        {
            // In a one-column file "0,5" is a decimal comma read as two fields: never take its first half as the value.
            throw new InputException($"row has {_record.Length} fields, the header has {_headerFields} (a ',' decimal separator? use '.' and separate fields with ',')", File, Line, _headerFields + 1, ColumnName(_headerFields - 1));
        }
    }

    /// <summary>Fields in the header row (named or not).</summary>
    public int HeaderFields => _headerFields;

    /// <summary>Fields a row needs to hold every required column.</summary>
    public int RequiredFields => _requiredFields;

    /// <summary>The header's name of field <paramref name="index"/> (0-based), if it has one.</summary>
    public string? ColumnName(int index) => _columns.FirstOrDefault(c => c.Value == index).Key;

    public double GetDouble(string column) => GetDouble(_columns[column], column);

    public double GetDouble(int index, string column) =>
        CsvNumbers.ParseFinite(Cell(index, column), File, Line, index + 1, column);

    public string GetString(string column) => Cell(_columns[column], column);

    public string? GetOptionalString(string column) =>
        _columns.TryGetValue(column, out var index) && index < _record.Length ? _record[index] : null;

    /// <summary>An error at the current record's cell.</summary>
    public InputException ErrorAt(string column, string message) =>
        new(message, File, Line, _columns.TryGetValue(column, out var index) ? index + 1 : null, column);

    private string Cell(int index, string column)
    {
        if (index >= _record.Length)
        {
            throw new InputException($"row has {_record.Length} fields, missing '{column}'", File, Line, index + 1, column);
        }
        return _record[index];
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    public void Dispose()
    {
        _parser.Dispose();
        _stream.Dispose();
    }
}
