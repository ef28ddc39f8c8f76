using System.Diagnostics;
using MarketMaking.Cli.Bench;

namespace MarketMaking.Cli.Tests;

/// <summary>
/// The tool as a separate process, under its own runtime configuration (the in-process tests run under the test
/// host's): what a user's shell runs.
/// </summary>
public class ProcessTests
{
    [Fact]
    public void RuntimeConfig_DynamicCode_IsOff()
    {
        // Given the runtime configuration the tool is built with (beside its assembly)
        var tool = BenchRunner.ToolCommand()!.Value;
        var config = File.ReadAllText(Path.ChangeExtension(tool.Prefix[0], ".runtimeconfig.json"));

        // Then code generation at run time is switched off (YamlDotNet's compiled regex is interpreted)
        config.Should().Contain("\"System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported\": false");
    }

    [Fact]
    public void Backtest_YamlWithAnchorsAndAliases_RunsWithoutDynamicCode()
    {
        // Given a config that uses an anchor and an alias (YamlDotNet checks anchor names with a regex)
        using var dir = new TempDir();
        var config = dir.Write("anchors.yaml", """
            market: { process: binomial, s0: 100, sigma: 2.0, dt: 0.005, horizon: 1.0 }
            intensity: { model: exponential, A: 140, k: &decay 1.5 }
            strategy: { name: avellaneda-stoikov, gamma: 0.1, k: *decay }
            compare: [symmetric]
            """);

        // When the tool runs it as its own process
        var (code, _, error) = Run("backtest", "--config", config, "--paths", "20", "--out", dir.Combine("out"), "--quiet");

        // Then it succeeds and writes the summary
        code.Should().Be(0, error);
        File.Exists(dir.Combine("out/backtest_summary.json")).Should().BeTrue();
    }

    [Fact]
    public void Help_AsAProcess_ListsEveryVerb()
    {
        // Given/When the tool's help from a process of its own
        var (code, output, _) = Run("--help");

        // Then every verb is listed
        code.Should().Be(0);
        foreach (var verb in CliApp.Verbs) output.Should().Contain(verb.Name);
    }

    [Fact]
    public void Help_AsAProcess_WritesUtf8WithoutByteOrderMark()
    {
        // Given the tool's own writers on the standard handles (not Console's)
        var tool = BenchRunner.ToolCommand()!.Value;
        var start = new ProcessStartInfo(tool.FileName) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in tool.Prefix.Append("--help")) start.ArgumentList.Add(arg);

        // When the help is read as raw bytes
        using var process = Process.Start(start)!;
        using var bytes = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(bytes);
        process.WaitForExit();
        var raw = bytes.ToArray();

        // Then it is UTF-8 ("γ" is CE B3) with no byte-order mark, and complete
        raw.Take(3).Should().NotEqual(new byte[] { 0xEF, 0xBB, 0xBF });
        raw.AsSpan().IndexOf(new byte[] { 0xCE, 0xB3 }).Should().BeGreaterThanOrEqualTo(0);
        System.Text.Encoding.UTF8.GetString(raw).Should().Contain("bench");
    }

    [Fact]
    public void Output_SessionRedirectedToOneFile_KeepsEveryLineInOrder()
    {
        if (!OperatingSystem.IsLinux()) return;

        // Given a shell sending both standard streams of one session to one file (one shared offset)
        using var dir = new TempDir();
        var tool = BenchRunner.ToolCommand()!.Value;
        var command = string.Join(' ', tool.Prefix.Prepend(tool.FileName).Select(a => "'" + a + "'"));
        var log = dir.Combine("log.txt");
        var script = $"{{ {command} --help; {command} backtest --bogus; {command} --version; }} > '{log}' 2>&1";

        // When the tool writes help to stdout, an error to stderr, then its version to stdout
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", script }, UseShellExecute = false })!;
        shell.WaitForExit();

        // Then all three are there, in order
        var text = File.ReadAllText(log);
        var help = text.IndexOf("Usage:", StringComparison.Ordinal);
        var error = text.IndexOf("mm-engine: error: Unrecognized command or argument '--bogus'", StringComparison.Ordinal);
        help.Should().BeGreaterThanOrEqualTo(0);
        error.Should().BeGreaterThan(help);
        text.TrimEnd().Split('\n')[^1].Should().MatchRegex(@"^\d+\.\d+");
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var tool = BenchRunner.ToolCommand()!.Value;
        var start = new ProcessStartInfo(tool.FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in tool.Prefix.Concat(args)) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
