using System.Security.Cryptography;

namespace MarketMaking.Cli.Tests.Reliability;

/// <summary>What every failure must look like: the exit code, one line on stderr, and not a byte changed on disk.</summary>
public static class CleanFailure
{
    public static CliRunner.Outcome Run(string[] args, CancellationToken cancellation = default)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = new CliApp(stdout, stderr, cancellation).Run(args);
        return new CliRunner.Outcome(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Every file and directory under <paramref name="dir"/> with a hash of its bytes.</summary>
    public static IReadOnlyDictionary<string, string> Snapshot(TempDir dir) =>
        Directory.EnumerateFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToDictionary(
            p => Path.GetRelativePath(dir.Path, p),
            p => File.Exists(p) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))) : "<dir>");

    public static void ShouldBe(CliRunner.Outcome outcome, int exitCode, string? contains = null)
    {
        outcome.ExitCode.Should().Be(exitCode, "stderr: " + outcome.Error);
        var error = outcome.Error.TrimEnd('\n', '\r');
        error.Should().StartWith("mm-engine: error: ");
        error.Should().NotContainAny("\n", "\r", "   at ", "internal error", "Exception");
        if (contains is not null) error.Should().Contain(contains);
    }

    /// <summary>Runs, then checks the failure shape and that the directory is exactly as before the run.</summary>
    public static CliRunner.Outcome Check(TempDir dir, string[] args, int exitCode, string? contains = null, CancellationToken cancellation = default)
    {
        var before = Snapshot(dir);
        var outcome = Run(args, cancellation);
        ShouldBe(outcome, exitCode, contains);
        Snapshot(dir).Should().Equal(before, "a failed run writes nothing");
        return outcome;
    }
}
