using System.CommandLine;
using MarketMaking.Core.Backtest;
using MarketMaking.Data.Config;
using MarketMaking.Data.Inputs;
using MarketMaking.Reports.Backtest;

namespace MarketMaking.Cli.Verbs;

/// <summary>`mm-engine backtest`: the event-loop backtester, Monte Carlo or on a historical mid series.</summary>
public static class BacktestVerb
{
    public sealed record Options(string? Config, BacktestOverrides Overrides, string Out);

    public static Command Create(CliApp app)
    {
        var config = new Option<string?>("--config", "-c")
        {
            Description = "Backtest YAML (schema in config/base.yaml). Without it, the defaults of config/base.yaml.",
            HelpName = "FILE",
        };
        var mid = new Option<string?>("--mid")
        {
            Description = "Historical mid series (CSV column `mid`, optional `time`): replaces market.process with csv.",
            HelpName = "FILE",
        };
        var fit = new Option<string?>("--fit")
        {
            Description = "fit.csv written by `calibrate`: the intensity comes from it instead of the YAML.",
            HelpName = "FILE",
        };
        var fitModel = new Option<string>("--fit-model")
        {
            Description = "Which model of --fit: exponential, power, or best (lowest AIC). Default: best.",
            DefaultValueFactory = _ => "best",
        };
        fitModel.AcceptOnlyFromAmong("best", "exponential", "power");
        var strategy = new Option<string?>("--strategy")
        {
            Description = "Strategy to run (replaces strategy.name): avellaneda-stoikov, symmetric, glft, glft-exact, heuristic, spread-centric, skew-centric, inventory-governor, hedged, regime, composite.",
            HelpName = "NAME",
        };
        var compare = new Option<string?>("--compare")
        {
            Description = "Comma-separated strategies run on the same paths (replaces compare), e.g. symmetric.",
            HelpName = "A,B",
        };
        var gamma = new Option<double?>("--gamma")
        {
            Description = "Risk aversion γ > 0 (replaces strategy.gamma).",
            HelpName = "X",
        };
        var paths = new Option<int?>("--paths")
        {
            Description = "Monte Carlo paths >= 1 (replaces paths).",
            HelpName = "N",
        };
        var seed = new Option<ulong?>("--seed")
        {
            Description = "Seed of the random streams (replaces seed); the same seed gives byte-identical reports.",
            HelpName = "N",
        };
        var threads = new Option<int?>("--threads")
        {
            Description = "Worker threads (default: one per core). Results do not depend on it.",
            HelpName = "N",
        };
        var allFills = new Option<bool>("--all-fills")
        {
            Description = "Write every path's fills to fills.csv, not only path 0's.",
        };
        var every = new Option<int?>("--timeseries-every")
        {
            Description = "Keep every Nth step in backtest_timeseries.csv (default: every step up to 200000 steps).",
            HelpName = "N",
        };
        var output = CommonOptions.Out("reports/backtest");
        var command = new Command("backtest", "Backtest quoting strategies in the event loop: Monte Carlo over synthetic mids or replay of a historical series; P&L decomposition, markouts, risk; strategies compared on the same paths.")
        {
            config, mid, fit, fitModel, strategy, compare, gamma, paths, seed, threads, allFills, every, output,
        };
        command.SetAction(parse =>
        {
            var overrides = new BacktestOverrides
            {
                Mid = parse.GetValue(mid),
                Fit = parse.GetValue(fit),
                // A switch rather than Enum.Parse: its generic code over the enum is compiled at run time on every start.
                FitModel = parse.GetValue(fitModel) switch
                {
                    "exponential" => FitModelChoice.Exponential,
                    "power" => FitModelChoice.Power,
                    _ => FitModelChoice.Best,
                },
                Strategy = parse.GetValue(strategy),
                Compare = parse.GetValue(compare)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                Gamma = parse.GetValue(gamma),
                Paths = parse.GetValue(paths),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                AllFills = parse.GetValue(allFills),
                TimeseriesEvery = parse.GetValue(every),
            };
            return Run(app, parse, new Options(parse.GetValue(config), overrides, parse.GetValue(output)!));
        });
        return command;
    }

    private static int Run(CliApp app, ParseResult parse, Options options)
    {
        var setup = BacktestConfigLoader.Load(options.Config, options.Overrides);
        var result = Backtester.Run(setup.Spec, app.Cancellation);
        return VerbOutput.WriteReports(app, parse, options.Out, output => BacktestReport.Write(result, setup.Settings, output));
    }
}
