using System.CommandLine;
using MarketMaking.Reports;

namespace MarketMaking.Cli.Verbs;

/// <summary>How a verb tells the user what it wrote: one line per run unless --quiet.</summary>
internal static class VerbOutput
{
    public static void Written(CliApp app, ParseResult parse, IReadOnlyList<string> files, string target)
    {
        if (parse.GetValue(CommonOptions.Quiet)) return;
        app.Out.WriteLine($"wrote {files.Count} file(s) to {target}");
        if (parse.GetValue(CommonOptions.Verbose))
        {
            foreach (var file in files) app.Out.WriteLine("  " + file);
        }
    }

    /// <summary>Stages the reports, lets <paramref name="write"/> fill them, and commits only if it returns.</summary>
    public static int WriteReports(CliApp app, ParseResult parse, string target, Action<OutputDirectory> write)
    {
        using var output = OutputDirectory.Begin(target);
        write(output);
        // Last chance to honour Ctrl-C: after this the reports appear.
        app.Cancellation.ThrowIfCancellationRequested();
        var files = output.Commit();
        Written(app, parse, files, target);
        return ExitCodes.Ok;
    }
}
