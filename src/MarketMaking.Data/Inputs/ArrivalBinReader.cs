using MarketMaking.Core;
using MarketMaking.Core.Calibration;
using MarketMaking.Data.Csv;

namespace MarketMaking.Data.Inputs;

/// <summary>Reads binned arrival data: a CSV whose header has <c>delta,count,exposure</c> in any order.</summary>
public static class ArrivalBinReader
{
    private static readonly string[] Required = ["delta", "count", "exposure"];

    public static IReadOnlyList<ArrivalBin> Read(string path)
    {
        using var csv = CsvColumnReader.Open(path, Required);
        var delta = csv.ColumnIndex("delta");
        var count = csv.ColumnIndex("count");
        var exposure = csv.ColumnIndex("exposure");
        var bins = new List<ArrivalBin>();
        while (csv.Read())
        {
            var d = csv.GetDouble(delta, "delta");
            var n = csv.GetDouble(count, "count");
            var e = csv.GetDouble(exposure, "exposure");
            try
            {
                bins.Add(new ArrivalBin(d, n, e));
            }
            catch (InputException error)
            {
                var field = error.Field ?? "delta";
                throw new InputException(error.Message, path, csv.Line, csv.ColumnIndex(field) + 1, field);
            }
        }
        if (bins.Count == 0)
        {
            throw new InputException("header only: no data rows", path, 2, null, "delta");
        }
        return bins;
    }
}
