using System.CommandLine;
using MarketMaking.Cli.Bench;
using MarketMaking.Reports.Bench;

namespace MarketMaking.Cli.Verbs;

/// <summary>`mm-engine bench`: the end-to-end workloads timed in-process, beside the numpy baseline where python has numpy.</summary>
public static class BenchVerb
{
    public sealed record Options(bool Quick, string? Python, int Threads);

    public static Command Create(CliApp app)
    {
        var quick = new Option<bool>("--quick")
        {
            Description = "Small sizes: a few seconds in all (the full set runs the issue's sizes: 2·10^5 Monte Carlo paths, a 10^7-row CSV).",
        };
        var python = new Option<string?>("--python")
        {
            Description = "Python with numpy for the baseline (default /usr/bin/python3; skipped if absent).",
            HelpName = "PATH",
            DefaultValueFactory = _ => "/usr/bin/python3",
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Worker threads for the Monte Carlo (default: one per core); a one-thread run is added for the scaling.",
            HelpName = "N",
        };
        var command = new Command("bench", "Time the end-to-end workloads (quoting, paper Monte Carlo, historical replay, calibration, demo) and compare with the numpy baseline.")
        {
            quick, python, threads,
        };
        command.SetAction(parse => Run(app, new Options(parse.GetValue(quick), parse.GetValue(python), parse.GetValue(threads))));
        return command;
    }

    private static int Run(CliApp app, Options options)
    {
        if (options.Threads < 0) throw new UsageException("--threads must be >= 0");
        var runner = new BenchRunner(options.Quick ? BenchSizes.Quick : BenchSizes.Full, options.Python, options.Threads, app.Error, app.Cancellation);
        var rows = runner.Run();
        app.Out.Write(BenchTable.Format(rows, runner.Notes));
        return ExitCodes.Ok;
    }
}
