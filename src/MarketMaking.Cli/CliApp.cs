using System.CommandLine;
using System.Globalization;
using MarketMaking.Cli.Verbs;
using MarketMaking.Core.Backtest;
using MarketMaking.Core;
using MarketMaking.Reports;

namespace MarketMaking.Cli;

/// <summary>
/// The `mm-engine` host: parses, dispatches to a verb, and turns every failure into one line on stderr with
/// exit code 1 (data or run) or 2 (usage). Instances are cheap, so tests run it in-process with their own writers.
/// </summary>
public sealed class CliApp(TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default)
{
    public TextWriter Out { get; } = stdout;
    public TextWriter Error { get; } = stderr;

    /// <summary>Set by Ctrl-C; long runs pass it to Core and stop with <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>
    /// Whether <see cref="Run"/> sets the invariant culture (it does, as a safety net). Tests turn it off to prove the
    /// reports are invariant without it, under whatever culture the thread has.
    /// </summary>
    internal bool PinInvariantCulture { get; init; } = true;

    /// <summary>Whether <see cref="Error"/> writes to the process's standard error (the tool itself, not a test), so a progress display may draw there.</summary>
    internal bool ErrorIsStandardError { get; init; }

    /// <summary>Every verb, in the order the help lists them, by the name its command has (a test checks the names).</summary>
    internal static readonly VerbEntry[] Verbs =
    [
        new("calibrate", CalibrateVerb.Create),
        new("bins", BinsVerb.Create),
        new("demo", DemoVerb.Create, _ => Backtester.WarmUp()),
        new("backtest", BacktestVerb.Create, args => Backtester.WarmUp(onePath: HasOption(args, "--mid"))),
        new("quote", QuoteVerb.Create),
        new("equilibrium", EquilibriumVerb.Create),
        new("scenarios", ScenariosVerb.Create, _ => Backtester.WarmUp()),
        new("bench", BenchVerb.Create),
    ];

    /// <param name="WarmUp">
    /// Work the verb will need that start-up cannot precompile (the simulation's AVX-512 kernels), started on a spare
    /// core as soon as the arguments name the verb, while the host parses and the configuration loads (given the
    /// arguments, for hints such as a historical run's --mid).
    /// </param>
    internal sealed record VerbEntry(string Name, Func<CliApp, Command> Create, Action<string[]>? WarmUp = null);

    /// <summary>Tests set it to parse every run with the whole tree, to compare with the trimmed one.</summary>
    internal bool AlwaysBuildWholeTree { get; init; }

    private const string Description = "mm-engine: quoting, calibration, backtests, scenario sweeps and equilibria for market makers.";

    /// <summary>The whole command tree: every verb with its options.</summary>
    public RootCommand BuildRoot() => (RootCommand)BuildRoot(only: null, withHelp: true);

    /// <summary>
    /// The root with every verb, or with only the verb <paramref name="only"/>: a run that names its verb first parses
    /// exactly as with the whole tree (nothing after a verb can reach a sibling verb), without constructing the other
    /// verbs' options. Without <paramref name="withHelp"/> the root is a plain command, not a <see cref="RootCommand"/>,
    /// whose --help option loads System.CommandLine's localized resources when it is constructed. Measured on a cold
    /// ReadyToRun process: about 5 ms and 4 ms less CPU before the verb runs.
    /// </summary>
    internal Command BuildRoot(string? only, bool withHelp)
    {
        var root = withHelp ? new RootCommand(Description) : new Command("mm-engine", Description);
        root.Options.Add(CommonOptions.Verbose);
        root.Options.Add(CommonOptions.Quiet);
        foreach (var verb in Verbs)
        {
            if (only is null || verb.Name == only) root.Subcommands.Add(verb.Create(this));
        }
        return root;
    }

    /// <summary>
    /// Starts the named verb's warm-up on a thread of its own when there is a core to spare, and says whether it did;
    /// its failure is its own. The tool's entry point calls it before anything else, so its compilations overlap the
    /// whole start-up. A thread rather than the thread pool: the pool's first use costs the caller about 5 ms (its
    /// workers' set-up, and compilations the precompiled image lacks), which delayed the warm-up's start by as much.
    /// </summary>
    internal static bool StartWarmUp(string? verb, string[] args)
    {
        if (verb is null || Environment.ProcessorCount < 2) return false;
        foreach (var entry in Verbs)
        {
            if (entry.Name != verb || entry.WarmUp is not { } warmUp) continue;
            new Thread(() =>
            {
                try
                {
                    warmUp(args);
                }
                catch (Exception)
                {
                    // Only a head start: the run compiles whatever the warm-up did not.
                }
            })
            { IsBackground = true, Name = "warm-up" }.Start();
            return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="option"/> is among the arguments (before any "--"): a hint read ahead of the parse.</summary>
    internal static bool HasOption(string[] args, string option)
    {
        foreach (var arg in args)
        {
            if (arg == "--") return false;
            if (arg == option || (arg.StartsWith(option, StringComparison.Ordinal) && arg.Length > option.Length && arg[option.Length] is '=' or ':')) return true;
        }
        return false;
    }

    /// <summary>The value of a --config/-c option among the arguments (before any "--"), if there is one to read ahead.</summary>
    internal static string? ConfigArgument(string[] args)
    {
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--") return null;
            if (args[i] is "--config" or "-c") return args[i + 1];
        }
        return null;
    }

    /// <summary>The verb the arguments start with, or null (options first, a response file, help, a typo): then the whole tree is built.</summary>
    internal static string? LeadingVerb(string[] args)
    {
        if (args.Length == 0) return null;
        foreach (var verb in Verbs)
        {
            if (verb.Name == args[0]) return verb.Name;
        }
        return null;
    }

    /// <summary>
    /// Whether any argument could need what only the <see cref="RootCommand"/> has: help or version options (with
    /// every alias), a [directive], or an @response file that might hold either.
    /// </summary>
    internal static bool MayNeedRootCommand(string[] args)
    {
        foreach (var arg in args)
        {
            if (arg is "-h" or "/h" or "--help" or "-?" or "/?" or "--version" || arg.StartsWith('[') || arg.StartsWith('@')) return true;
        }
        return false;
    }

    public int Run(string[] args)
    {
        // Numbers meet text only through the invariant culture, but a stray ToString() must not depend on the machine either.
        var (callerCulture, callerUiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        // System.CommandLine parses option values with the current culture: `--tick-size 0.01` must mean the same everywhere.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        var verb = AlwaysBuildWholeTree ? null : LeadingVerb(args);
        var root = BuildRoot(verb, withHelp: verb is null || MayNeedRootCommand(args));
        ParseResult parsed;
        try
        {
            parsed = root.Parse(args);
        }
        catch (Exception e)
        {
            return Fail(ExitCodes.Usage, e.Message, e, verbose: false);
        }
        if (!PinInvariantCulture)
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (callerCulture, callerUiCulture);
        }
        var verbose = parsed.GetValue(CommonOptions.Verbose);
        if (parsed.Errors.Count > 0)
        {
            // An unknown token explains more than the "required command" error it also causes.
            var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            return Fail(ExitCodes.Usage, error.Message.Replace('\t', ' ') + " (see 'mm-engine --help')", null, verbose);
        }
        try
        {
            // An --out that can never be written fails now, not after a long run.
            if (parsed.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--out") is Option<string> output && parsed.GetValue(output) is { } target)
            {
                OutputDirectory.Check(target);
            }
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = Out,
                Error = Error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (InputException e)
        {
            return Fail(ExitCodes.Failure, e.Describe(), e, verbose);
        }
        catch (UsageException e)
        {
            return Fail(ExitCodes.Usage, e.Message, e, verbose);
        }
        catch (OperationCanceledException e)
        {
            return Fail(ExitCodes.Failure, "interrupted; no reports were written", e, verbose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(ExitCodes.Failure, e.Message, e, verbose);
        }
        catch (Exception e)
        {
            return Fail(ExitCodes.Failure, $"internal error: {e.GetType().Name}: {e.Message}", e, verbose);
        }
    }

    private int Fail(int code, string message, Exception? exception, bool verbose)
    {
        // One printable line, whatever the message held.
        Error.WriteLine("mm-engine: error: " + new string(message.Select(c => char.IsControl(c) ? (c is '\r' or '\n' or '\t' ? ' ' : '?') : c).ToArray()));
        if (verbose && exception is not null)
        {
            Error.WriteLine(exception.ToString());
        }
        return code;
    }
}
