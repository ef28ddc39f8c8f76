using MarketMaking.Core;
using MarketMaking.Data.Csv;

namespace MarketMaking.Data.Inputs;

/// <summary>A series of returns read from one named CSV column.</summary>
public sealed record ReturnSeries(double[] Values, string Column, string Source);

public static class ReturnSeriesReader
{
    public const string DefaultColumn = "return";

    /// <summary>Reads column <paramref name="column"/> (default <c>return</c>); every cell must be a finite number.</summary>
    public static ReturnSeries Read(string path, string? column = null)
    {
        column ??= DefaultColumn;
        if (string.IsNullOrWhiteSpace(column))
        {
            throw new InputException("no column name given", field: "--column");
        }
        using var csv = CsvColumnReader.Open(path, [column], "returns");
        var index = csv.ColumnIndex(column);
        var values = new List<double>();
        while (csv.Read())
        {
            values.Add(csv.GetDouble(index, column));
        }
        if (values.Count == 0)
        {
            throw new InputException("header only: no data rows", path, 2, null, column);
        }
        return new ReturnSeries([.. values], column, path);
    }
}
