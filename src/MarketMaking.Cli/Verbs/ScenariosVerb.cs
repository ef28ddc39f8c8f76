using System.CommandLine;
using MarketMaking.Core.Scenarios;
using MarketMaking.Data.Config;
using MarketMaking.Data.Inputs;
using MarketMaking.Reports.Scenarios;
using Spectre.Console;

namespace MarketMaking.Cli.Verbs;

/// <summary>`mm-engine scenarios`: a regime × γ sweep with distributions, VaR, figures; sharded runs and their merge.</summary>
public static class ScenariosVerb
{
    public sealed record Options(string Config, ScenarioOverrides Overrides, string Out);

    public sealed record MergeOptions(IReadOnlyList<string> Directories, string Out);

    public static Command Create(CliApp app)
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "Scenarios YAML (schema in config/scenarios.yaml).",
            HelpName = "FILE",
            Required = true,
        };
        var paths = new Option<int?>("--paths") { Description = "Monte Carlo paths per cell >= 1 (replaces paths).", HelpName = "N" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the random streams (replaces seed); the same seed gives byte-identical reports.", HelpName = "N" };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: one per core). Results do not depend on it.", HelpName = "N" };
        var shard = new Option<string?>("--shard")
        {
            Description = "Run only shard I of N (1 <= I <= N) and write its partial results; combine the N shards with `scenarios merge`.",
            HelpName = "I/N",
        };
        var keepPaths = new Option<bool>("--keep-paths") { Description = "Also write every path's outcomes (scenarios_paths.csv)." };
        var output = CommonOptions.Out("reports/scenarios");
        var command = new Command("scenarios", "Sweep market regimes × risk aversions γ with Monte Carlo paths per cell: spreads, P&L, inventory, VaR, markouts, and the best γ per regime.")
        {
            config, paths, seed, threads, shard, keepPaths, output,
        };
        command.SetAction(parse =>
        {
            var overrides = new ScenarioOverrides
            {
                Paths = parse.GetValue(paths),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                KeepPaths = parse.GetValue(keepPaths),
                Shard = ParseShard(parse.GetValue(shard)),
            };
            return Run(app, parse, new Options(parse.GetValue(config)!, overrides, parse.GetValue(output)!));
        });
        command.Subcommands.Add(CreateMerge(app));
        return command;
    }

    private static Command CreateMerge(CliApp app)
    {
        var directories = new Argument<string[]>("DIR")
        {
            Description = "Output directories of the `scenarios --shard I/N` runs (one or more; all N shards are needed).",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = CommonOptions.Out("reports/scenarios");
        var merge = new Command("merge", "Combine the shards of a sweep into the reports an unsharded run writes (byte-identical).")
        {
            directories, output,
        };
        merge.SetAction(parse =>
        {
            var options = new MergeOptions(parse.GetValue(directories)!, parse.GetValue(output)!);
            var merged = ScenarioShardReader.Merge(options.Directories);
            var analysis = ScenarioAnalysis.Analyse(merged.Manifest.Grid, merged.Cells);
            return VerbOutput.WriteReports(app, parse, options.Out, dir => ScenarioReport.Write(analysis, merged.Manifest.Settings, dir));
        });
        return merge;
    }

    internal static Shard ParseShard(string? text)
    {
        if (text is null) return Shard.Whole;
        return Shard.TryParse(text, out var problem) ?? throw new UsageException($"--shard: {problem}");
    }

    private static int Run(CliApp app, ParseResult parse, Options options)
    {
        var setup = ScenarioConfigLoader.Load(options.Config, options.Overrides);
        var spec = setup.Spec;
        var cells = WithProgress(app, parse, spec.Cells.Count(c => spec.Shard.Contains(c.Index)), progress => ScenarioSweep.Run(spec, progress, app.Cancellation));
        var grid = ScenarioSweep.Grid(spec);
        if (!spec.Shard.IsWhole)
        {
            var manifest = new ScenarioManifest(ScenarioShard.Format, setup.ConfigHash, spec.Shard.Index, spec.Shard.Count, spec.KeepPaths, grid, setup.Settings,
                cells.Select(c => c.Cell).ToArray());
            return VerbOutput.WriteReports(app, parse, options.Out, dir => ScenarioReport.WriteShard(new ScenarioShard(manifest, cells), dir));
        }
        var analysis = ScenarioAnalysis.Analyse(grid, cells);
        return VerbOutput.WriteReports(app, parse, options.Out, dir => ScenarioReport.Write(analysis, setup.Settings, dir));
    }

    /// <summary>A Spectre.Console progress bar on stderr, only when stderr is a terminal and not --quiet.</summary>
    private static T WithProgress<T>(CliApp app, ParseResult parse, int cells, Func<IProgress<int>?, T> run)
    {
        if (parse.GetValue(CommonOptions.Quiet) || Console.IsErrorRedirected || !app.ErrorIsStandardError) return run(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress().AutoClear(true).Start(context =>
        {
            var task = context.AddTask("scenario cells", maxValue: cells);
            return run(new Progress(task));
        });
    }

    private sealed class Progress(ProgressTask task) : IProgress<int>
    {
        public void Report(int value) => task.Increment(value);
    }
}
