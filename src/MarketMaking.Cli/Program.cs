using System.Runtime.InteropServices;
using MarketMaking.Data.Yaml;

namespace MarketMaking.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        // First of all: the verb's warm-up compiles on the spare core while everything below runs. Where there is none,
        // the spare core parses the configuration file's YAML while this thread parses the command line. Not both: the
        // warm-up's compilations are what a simulating verb waits for first (its first batch needs the kernels), so a
        // parse beside them took CPU from that wait; on this thread the parse fills the wait instead (paper Monte Carlo,
        // 2·10^5 paths: its first batch done ≈ 10 ms sooner).
        if (!CliApp.StartWarmUp(CliApp.LeadingVerb(args), args) && CliApp.ConfigArgument(args) is { } config) YamlConfig.Preload(config);
        using var interrupt = new CancellationTokenSource();
        // Ctrl-C cancels the run instead of killing the process, so the staged reports are discarded cleanly. A POSIX
        // signal registration rather than Console.CancelKeyPress, which first initialises the terminal (see
        // StandardStreams): 10-20 ms of a start-up that is otherwise about 35 ms.
        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupt.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Interrupt);
        var stdout = StandardStreams.Writer(1) ?? Console.Out;
        var stderr = StandardStreams.Writer(2) ?? Console.Error;
        return new CliApp(stdout, stderr, interrupt.Token) { ErrorIsStandardError = true }.Run(args);
    }
}
