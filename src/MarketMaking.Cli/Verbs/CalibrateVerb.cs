using System.CommandLine;
using MarketMaking.Core.Calibration;
using MarketMaking.Data.Inputs;
using MarketMaking.Reports.Calibration;

namespace MarketMaking.Cli.Verbs;

/// <summary>`mm-engine calibrate`: Poisson MLE of the arrival intensity on binned data.</summary>
public static class CalibrateVerb
{
    public sealed record Options(string Input, CalibrationModels Models, double? Delta0, string? Mid, double Dt, string Out, bool BySide = false);

    public static Command Create(CliApp app)
    {
        var input = new Option<string>("--input", "-i")
        {
            Description = "CSV of binned arrivals with columns delta,count,exposure (any order; extra columns ignored).",
            Required = true,
            HelpName = "FILE",
        };
        var model = new Option<string>("--model")
        {
            Description = "Which intensity model(s) to fit: exponential A·e^(−kδ), power A·(δ+δ0)^(−k), or both. Default: both.",
            DefaultValueFactory = _ => "both",
        };
        model.AcceptOnlyFromAmong("both", "exponential", "power");
        var delta0 = new Option<double?>("--delta0")
        {
            Description = "Fix the power law's δ0 (> 0) instead of estimating it.",
            HelpName = "X",
        };
        var mid = new Option<string?>("--mid")
        {
            Description = "CSV with a mid-price column `mid` (optional `time`): also estimate σ of the mid's increments per unit time.",
            HelpName = "FILE",
        };
        var dt = new Option<double>("--dt")
        {
            Description = "Spacing of the --mid rows in time units when the file has no `time` column. Default: 1.",
            DefaultValueFactory = _ => 1.0,
            HelpName = "X",
        };
        var bySide = new Option<bool>("--by-side")
        {
            Description = "Fit the bid and ask rows (column `side`, as `bins --side separate` writes) separately, and test the symmetric model.",
        };
        var output = CommonOptions.Out("reports");
        var command = new Command("calibrate", "Fit the order-arrival intensity λ(δ) by Poisson maximum likelihood: estimates, standard errors, AIC/BIC, goodness of fit; writes fit.csv and mle_report.md.")
        {
            input, model, delta0, mid, dt, output, bySide,
        };
        command.SetAction(parse =>
        {
            var options = new Options(
                parse.GetValue(input)!,
                Enum.Parse<CalibrationModels>(parse.GetValue(model)!, ignoreCase: true),
                parse.GetValue(delta0),
                parse.GetValue(mid),
                parse.GetValue(dt),
                parse.GetValue(output)!)
            {
                BySide = parse.GetValue(bySide),
            };
            return Run(app, parse, options);
        });
        return command;
    }

    private static int Run(CliApp app, ParseResult parse, Options options)
    {
        MidPrices? mid = null;
        if (options.Mid is not null)
        {
            var series = MidSeriesReader.Read(options.Mid);
            mid = new MidPrices(options.Mid, series.Mid, series.Time, options.Dt);
        }
        if (options.BySide)
        {
            var sided = ArrivalBinReader.ReadBySide(options.Input);
            var bySide = IntensityCalibration.RunBySide(new SidedCalibrationRequest(options.Input, sided.Bid, sided.Ask, options.Models, options.Delta0, mid));
            return VerbOutput.WriteReports(app, parse, options.Out, output => BySideCalibrationReport.Write(bySide, output));
        }
        var bins = ArrivalBinReader.Read(options.Input);
        var result = IntensityCalibration.Run(new CalibrationRequest(options.Input, bins, options.Models, options.Delta0, mid));
        return VerbOutput.WriteReports(app, parse, options.Out, output => CalibrationReport.Write(result, output));
    }
}
