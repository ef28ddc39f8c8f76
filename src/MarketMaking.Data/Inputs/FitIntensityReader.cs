using MarketMaking.Core;
using MarketMaking.Core.Intensity;
using MarketMaking.Data.Csv;

namespace MarketMaking.Data.Inputs;

/// <summary>
/// Reads intensities back from a `calibrate` fit.csv for a backtest: with a <c>side</c> column (`calibrate --by-side`)
/// the <c>bid</c> and <c>ask</c> rows of the chosen model; without one, the model's single row for both sides.
/// </summary>
public static class FitIntensityReader
{
    public static BidAskIntensity Read(string path, string model = "exponential")
    {
        using var csv = CsvColumnReader.Open(path, ["model", "A", "k"], "fit");
        var sided = csv.HasColumn("side");
        IIntensityModel? bid = null, ask = null, single = null;
        while (csv.Read())
        {
            if (!csv.GetString("model").Trim().Equals(model, StringComparison.OrdinalIgnoreCase)) continue;
            var intensity = Model(csv, model);
            var side = sided ? csv.GetString("side").Trim().ToLowerInvariant() : "";
            switch (side)
            {
                case "bid": bid = intensity; break;
                case "ask": ask = intensity; break;
                default: single ??= intensity; break;
            }
        }
        if (bid is not null && ask is not null) return new BidAskIntensity(bid, ask);
        if (!sided && single is not null) return BidAskIntensity.Symmetric(single);
        throw new InputException(sided ? $"no bid and ask rows for model '{model}'" : $"no row for model '{model}'", path, null, null, sided ? "side" : "model");
    }

    private static IIntensityModel Model(CsvColumnReader csv, string model)
    {
        var a = csv.GetDouble("A");
        var k = csv.GetDouble("k");
        try
        {
            return model.Equals("power", StringComparison.OrdinalIgnoreCase)
                ? new PowerLawIntensity(a, k, csv.GetDouble("delta0"))
                : new ExponentialIntensity(a, k);
        }
        catch (InputException e)
        {
            throw csv.ErrorAt(e.Field ?? "A", e.Message);
        }
    }
}
