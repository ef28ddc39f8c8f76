using MarketMaking.Core;
using MarketMaking.Core.Intensity;
using MarketMaking.Data.Csv;

namespace MarketMaking.Data.Inputs;

public enum FitModelChoice
{
    Best,
    Exponential,
    Power,
}

/// <summary>One fitted model for one side (or for both, from a plain fit.csv).</summary>
public sealed record FittedSide(string Model, IIntensityModel Intensity, double A, double K, double? Delta0, double Aic);

/// <summary>
/// The intensity a backtest uses from `calibrate`'s fit.csv: the same model on both sides from a plain file, or the
/// bid and ask rows of a `--by-side` file (column `side`), so that each side keeps its own A and k.
/// </summary>
public sealed record FittedIntensity(string Model, FittedSide Bid, FittedSide Ask, bool BySide, string Source)
{
    public BidAskIntensity Intensity => new(Bid.Intensity, Ask.Intensity);

    /// <summary>The common k when both sides are the same exponential model (what a one-k strategy can use); else null.</summary>
    public double? CommonK => Model == "exponential" && Bid.K == Ask.K ? Bid.K : null;
}

/// <summary>Reads `calibrate`'s fit.csv, plain or by side.</summary>
public static class FitCsvReader
{
    /// <param name="choice">Which model; <see cref="FitModelChoice.Best"/> takes the lowest AIC (per side for a by-side file, on the pooled rows' model).</param>
    public static FittedIntensity Read(string path, FitModelChoice choice)
    {
        using var csv = CsvColumnReader.Open(path, ["model", "A", "k", "aic"], "fit");
        var sided = csv.HasColumn("side");
        var rows = new List<(string Side, FittedSide Fit)>();
        while (csv.Read())
        {
            var model = csv.GetString("model").Trim();
            var side = sided ? csv.GetString("side").Trim().ToLowerInvariant() : "both";
            if (side is not ("bid" or "ask" or "both"))
            {
                throw csv.ErrorAt("side", $"unknown side '{CsvNumbers.Printable(side)}', expected bid, ask or both");
            }
            var a = csv.GetDouble("A");
            var k = csv.GetDouble("k");
            var aic = csv.GetDouble("aic");
            try
            {
                var fit = model switch
                {
                    "exponential" => new FittedSide(model, new ExponentialIntensity(a, k), a, k, null, aic),
                    "power" when csv.HasColumn("delta0") => PowerRow(csv, model, a, k, aic),
                    "power" => throw csv.ErrorAt("model", "a power-law row needs a delta0 column"),
                    _ => throw csv.ErrorAt("model", $"unknown model '{CsvNumbers.Printable(model)}', expected exponential or power"),
                };
                rows.Add((side, fit));
            }
            catch (InputException error) when (error.File is null)
            {
                throw csv.ErrorAt(error.Field ?? "model", error.Message);
            }
        }

        var wanted = rows.Where(r => choice switch
        {
            FitModelChoice.Exponential => r.Fit.Model == "exponential",
            FitModelChoice.Power => r.Fit.Model == "power",
            _ => true,
        }).ToList();
        var bid = wanted.Where(r => r.Side == "bid").ToList();
        var ask = wanted.Where(r => r.Side == "ask").ToList();
        if (bid.Count > 0 && ask.Count > 0)
        {
            // By side: one model for both sides, chosen by the pooled ("both") row's AIC when asked for the best.
            var model = choice switch
            {
                FitModelChoice.Exponential => "exponential",
                FitModelChoice.Power => "power",
                _ => (wanted.Where(r => r.Side == "both").DefaultIfEmpty(bid.MinBy(r => r.Fit.Aic)).MinBy(r => r.Fit.Aic)).Fit.Model,
            };
            var bidFit = bid.FirstOrDefault(r => r.Fit.Model == model).Fit;
            var askFit = ask.FirstOrDefault(r => r.Fit.Model == model).Fit;
            if (bidFit is not null && askFit is not null)
            {
                return new FittedIntensity(model, bidFit, askFit, BySide: true, path);
            }
        }
        var best = wanted.Where(r => r.Side == "both").OrderBy(r => r.Fit.Aic).Select(r => r.Fit).FirstOrDefault();
        if (best is null)
        {
            var name = choice == FitModelChoice.Best ? "any" : choice.ToString().ToLowerInvariant();
            var has = rows.Count == 0 ? "no rows" : string.Join(", ", rows.Select(r => sided ? $"{r.Fit.Model} ({r.Side})" : r.Fit.Model));
            throw new InputException($"no {name} model in the file (it has: {has})", path, field: "--fit-model");
        }
        return new FittedIntensity(best.Model, best, best, BySide: false, path);
    }

    private static FittedSide PowerRow(CsvColumnReader csv, string model, double a, double k, double aic)
    {
        var delta0 = csv.GetDouble("delta0");
        return new FittedSide(model, new PowerLawIntensity(a, k, delta0), a, k, delta0, aic);
    }
}
