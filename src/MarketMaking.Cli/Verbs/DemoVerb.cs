using System.CommandLine;
using MarketMaking.Core.Demo;
using MarketMaking.Reports.Demo;

namespace MarketMaking.Cli.Verbs;

/// <summary>`mm-engine demo`: the whole product on synthetic data with a known truth.</summary>
public static class DemoVerb
{
    public sealed record Options(ulong Seed, string Out);

    public static Command Create(CliApp app)
    {
        var seed = CommonOptions.Seed();
        var output = CommonOptions.Out("reports/demo");
        var command = new Command("demo", "Run the product end to end on synthetic data with known parameters and write every report plus index.md.")
        {
            seed, output,
        };
        command.SetAction(parse =>
        {
            var options = new Options(parse.GetValue(seed), parse.GetValue(output)!);
            var result = DemoPipeline.Run(new DemoSettings(options.Seed));
            return VerbOutput.WriteReports(app, parse, options.Out, dir => DemoReport.Write(result, dir));
        });
        return command;
    }
}
