using System.CommandLine;
using MarketMaking.Core.Calibration;
using MarketMaking.Data.Inputs;
using MarketMaking.Reports.Calibration;

namespace MarketMaking.Cli.Verbs;

/// <summary>`mm-engine calibrate`: Poisson MLE of the arrival intensity on binned data and/or GARCH(1,1) on returns.</summary>
public static class CalibrateVerb
{
    public sealed record Options(string? Input, CalibrationModels Models, double? Delta0, string? Mid, double Dt, string Out,
        string? Returns = null, string? Column = null, bool BySide = false);

    public static Command Create(CliApp app)
    {
        var input = new Option<string>("--input", "-i")
        {
            Description = "CSV of binned arrivals with columns delta,count,exposure (any order; extra columns ignored). Needed unless --returns is given.",
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
        var returns = new Option<string?>("--returns")
        {
            Description = "CSV of returns: fit a GARCH(1,1) by Gaussian QML; adds a garch11 row to volatility.csv and writes garch_report.md.",
            HelpName = "FILE",
        };
        var column = new Option<string?>("--column")
        {
            Description = "Column of --returns holding the returns. Default: return.",
            HelpName = "NAME",
        };
        var bySide = new Option<bool>("--by-side")
        {
            Description = "Fit the bid and ask rows (column `side`, as `bins --side separate` writes) separately, and test the symmetric model.",
        };
        var output = CommonOptions.Out("reports");
        var command = new Command("calibrate", "Fit the order-arrival intensity λ(δ) by Poisson maximum likelihood (fit.csv, mle_report.md) and/or a GARCH(1,1) to returns (volatility.csv, garch_report.md): estimates, standard errors, AIC/BIC, diagnostics.")
        {
            input, model, delta0, mid, dt, returns, column, bySide, output,
        };
        command.SetAction(parse =>
        {
            var options = new Options(
                parse.GetValue(input)!,
                Enum.Parse<CalibrationModels>(parse.GetValue(model)!, ignoreCase: true),
                parse.GetValue(delta0),
                parse.GetValue(mid),
                parse.GetValue(dt),
                parse.GetValue(output)!,
                parse.GetValue(returns),
                parse.GetValue(column),
                parse.GetValue(bySide));
            return Run(app, parse, options);
        });
        return command;
    }

    private static int Run(CliApp app, ParseResult parse, Options options)
    {
        if (options.Input is null && options.Returns is null)
        {
            throw new UsageException("calibrate needs --input (binned arrivals) and/or --returns (a return series)");
        }
        if (options.Column is not null && options.Returns is null)
        {
            throw new UsageException("--column selects a column of --returns, which is missing");
        }
        if (options.BySide && (options.Input is null || options.Returns is not null))
        {
            throw new UsageException("--by-side needs --input (a bins.csv with a side column) and takes no --returns");
        }
        ReturnSeriesInput? returns = null;
        if (options.Returns is not null)
        {
            var series = ReturnSeriesReader.Read(options.Returns, options.Column);
            returns = new ReturnSeriesInput(series.Source, series.Column, series.Values);
        }
        MidPrices? mid = null;
        if (options.Mid is not null)
        {
            var series = MidSeriesReader.Read(options.Mid);
            mid = new MidPrices(options.Mid, series.Mid, series.Time, options.Dt);
        }
        if (options.BySide)
        {
            var sided = ArrivalBinReader.ReadBySide(options.Input!);
            var bySide = IntensityCalibration.RunBySide(new SidedCalibrationRequest(options.Input!, sided.Bid, sided.Ask, options.Models, options.Delta0, mid));
            return VerbOutput.WriteReports(app, parse, options.Out, output => BySideCalibrationReport.Write(bySide, output));
        }
        var bins = options.Input is null ? null : ArrivalBinReader.Read(options.Input);
        var result = IntensityCalibration.Run(new CalibrationRequest(options.Input, bins, options.Models, options.Delta0, mid, returns));
        return VerbOutput.WriteReports(app, parse, options.Out, output => CalibrationReport.Write(result, output));
    }
}
