namespace MarketMaking.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        // Ctrl-C cancels the run instead of killing the process, so the staged reports are discarded cleanly.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        return new CliApp(Console.Out, Console.Error, interrupt.Token).Run(args);
    }
}
