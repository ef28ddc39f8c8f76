using System.CommandLine;

namespace MarketMaking.Cli;

/// <summary>Options shared by the verbs, each built once with its help text.</summary>
public static class CommonOptions
{
    /// <summary>Recursive on the root: one stack trace switch for every verb.</summary>
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Print progress detail, and a stack trace with any error.",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Print nothing but errors.",
        Recursive = true,
    };

    public static Option<string> Out(string defaultDirectory) => new("--out", "-o")
    {
        Description = $"Directory for the reports (written atomically: nothing appears unless the run succeeds). Default: {defaultDirectory}.",
        DefaultValueFactory = _ => defaultDirectory,
        HelpName = "DIR",
    };

    public static Option<ulong> Seed(ulong defaultSeed = 1) => new("--seed")
    {
        Description = $"Seed of the random streams; the same seed gives byte-identical reports. Default: {defaultSeed}.",
        DefaultValueFactory = _ => defaultSeed,
        HelpName = "N",
    };
}
