using System.CommandLine;
using System.Globalization;
using MarketMaking.Cli.Verbs;
using MarketMaking.Core;

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

    public RootCommand BuildRoot()
    {
        var root = new RootCommand("mm-engine: quoting, calibration, backtests, scenario sweeps and equilibria for market makers.")
        {
            CommonOptions.Verbose,
            CommonOptions.Quiet,
        };
        root.Subcommands.Add(CalibrateVerb.Create(this));
        root.Subcommands.Add(BinsVerb.Create(this));
        root.Subcommands.Add(DemoVerb.Create(this));
        root.Subcommands.Add(BacktestVerb.Create(this));
        root.Subcommands.Add(QuoteVerb.Create(this));
        root.Subcommands.Add(EquilibriumVerb.Create(this));
        root.Subcommands.Add(ScenariosVerb.Create(this));
        return root;
    }

    public int Run(string[] args)
    {
        // Numbers meet text only through the invariant culture, but a stray ToString() must not depend on the machine either.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        var root = BuildRoot();
        ParseResult parsed;
        try
        {
            parsed = root.Parse(args);
        }
        catch (Exception e)
        {
            return Fail(ExitCodes.Usage, e.Message, e, verbose: false);
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
        Error.WriteLine("mm-engine: error: " + message.Replace('\n', ' ').Replace('\r', ' '));
        if (verbose && exception is not null)
        {
            Error.WriteLine(exception.ToString());
        }
        return code;
    }
}
