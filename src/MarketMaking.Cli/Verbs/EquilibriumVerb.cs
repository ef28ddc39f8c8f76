using System.CommandLine;
using MarketMaking.Core.Game;
using MarketMaking.Data.Config;
using MarketMaking.Reports.Equilibrium;

namespace MarketMaking.Cli.Verbs;

/// <summary>`mm-engine equilibrium`: competing makers' best responses, every grid equilibrium, sensitivities, dynamics, Monte Carlo P&amp;L.</summary>
public static class EquilibriumVerb
{
    public sealed record Options(string Config, string Out);

    public static Command Create(CliApp app)
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "YAML game configuration (market, players, grid; optional sensitivity, dynamics, monte_carlo). See config/equilibrium.yaml.",
            HelpName = "FILE",
            Required = true,
        };
        var output = CommonOptions.Out("reports/equilibrium");
        var command = new Command("equilibrium", "Competing market makers: best responses and every pure Nash equilibrium on the tick grid, continuum refinement with stability, mixed equilibria when no pure one exists, sensitivity sweeps, best-response and fictitious-play dynamics, Monte Carlo P&L and decision guidance (equilibria.csv, best_response.csv, sensitivity_*.csv, equilibrium_report.md).")
        {
            config, output,
        };
        command.SetAction(parse =>
        {
            var options = new Options(parse.GetValue(config)!, parse.GetValue(output)!);
            return Run(app, parse, options);
        });
        return command;
    }

    private static int Run(CliApp app, ParseResult parse, Options options)
    {
        var configuration = EquilibriumConfigLoader.Load(options.Config);
        var result = EquilibriumAnalysis.Run(configuration, app.Cancellation);
        app.Cancellation.ThrowIfCancellationRequested();
        return VerbOutput.WriteReports(app, parse, options.Out, output => EquilibriumReport.Write(result, output));
    }
}
