using System.Runtime.InteropServices;
using MarketMaking.Data.Yaml;

namespace MarketMaking.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        // First of all: the verb's warm-up compiles on the spare core while everything below runs.
        CliApp.StartWarmUp(CliApp.LeadingVerb(args), args);
        // Likewise the configuration file's YAML, parsed while the command line is.
        if (CliApp.ConfigArgument(args) is { } config) YamlConfig.Preload(config);
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
