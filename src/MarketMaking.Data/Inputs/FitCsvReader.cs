using MarketMaking.Core;
using MarketMaking.Core.Intensity;
using MarketMaking.Data.Csv;

namespace MarketMaking.Data.Inputs;

/// <summary>Which fitted model to take from a fit.csv.</summary>
public enum FitModelChoice
{
    Best,
    Exponential,
    Power,
}

/// <summary>A fitted intensity read back from <c>calibrate</c>'s fit.csv.</summary>
public sealed record FittedIntensity(string Model, IIntensityModel Intensity, double A, double K, double? Delta0, double Aic, string Source);

public static class FitCsvReader
{
    /// <summary>Reads fit.csv (columns model, A, k, delta0, aic) and returns the requested model; best = lowest AIC.</summary>
    public static FittedIntensity Read(string path, FitModelChoice choice)
    {
        using var csv = CsvColumnReader.Open(path, ["model", "A", "k", "aic"], "fit");
        var rows = new List<(FittedIntensity Fit, int Line)>();
        while (csv.Read())
        {
            var model = csv.GetString("model").Trim();
            var a = csv.GetDouble("A");
            var k = csv.GetDouble("k");
            var aic = csv.GetDouble("aic");
            try
            {
                switch (model)
                {
                    case "exponential":
                        rows.Add((new FittedIntensity(model, new ExponentialIntensity(a, k), a, k, null, aic, path), csv.Line));
                        break;
                    case "power":
                        var delta0 = csv.HasColumn("delta0") ? csv.GetDouble("delta0") : throw csv.ErrorAt("model", "a power-law row needs a delta0 column");
                        rows.Add((new FittedIntensity(model, new PowerLawIntensity(a, k, delta0), a, k, delta0, aic, path), csv.Line));
                        break;
                    default:
                        throw csv.ErrorAt("model", $"unknown model '{CsvNumbers.Printable(model)}', expected exponential or power");
                }
            }
            catch (InputException error) when (error.File is null)
            {
                throw csv.ErrorAt(error.Field ?? "model", error.Message);
            }
        }
        var wanted = choice switch
        {
            FitModelChoice.Exponential => rows.Where(r => r.Fit.Model == "exponential"),
            FitModelChoice.Power => rows.Where(r => r.Fit.Model == "power"),
            _ => rows,
        };
        var best = wanted.OrderBy(r => r.Fit.Aic).Select(r => r.Fit).FirstOrDefault();
        if (best is null)
        {
            var name = choice == FitModelChoice.Best ? "any" : choice.ToString().ToLowerInvariant();
            throw new InputException($"no {name} model in the file (it has: {(rows.Count == 0 ? "no rows" : string.Join(", ", rows.Select(r => r.Fit.Model)))})", path, field: "--fit-model");
        }
        return best;
    }
}
