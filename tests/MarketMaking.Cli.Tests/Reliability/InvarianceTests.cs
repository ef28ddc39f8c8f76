using System.Globalization;

namespace MarketMaking.Cli.Tests.Reliability;

/// <summary>Changes the process's default culture: runs alone so that no other test sees it.</summary>
[CollectionDefinition("Culture", DisableParallelization = true)]
public sealed class CultureCollection;

/// <summary>
/// Every verb's outputs are byte-identical under de-DE and fr-FR (set in-process, with the CLI's own invariant-culture
/// safety net switched off) and for any --threads.
/// </summary>
[Collection("Culture")]
public class InvarianceTests
{
    public static TheoryData<string> Verbs() => VerbCase.Writers();

    [Theory]
    [MemberData(nameof(Verbs))]
    public void Run_GermanAndFrenchCulture_ByteIdenticalReports(string verb)
    {
        // Given the same run under the invariant, German and French cultures
        using var dir = new TempDir();
        var args = VerbCase.Named(verb).Args(dir);
        var outputs = new List<string>();
        foreach (var culture in new[] { "", "de-DE", "fr-FR" })
        {
            var output = dir.Combine("out-" + (culture.Length == 0 ? "invariant" : culture));
            WithCulture(culture, () =>
            {
                // When each runs without the CLI pinning the invariant culture
                var result = RunUnpinned([.. args, "--out", output, "--quiet"]);
                result.ExitCode.Should().Be(0, result.Error);
            });
            outputs.Add(output);
        }

        // Then every file is byte-identical
        foreach (var other in outputs.Skip(1))
        {
            AssertSameTree(outputs[0], other);
        }
    }

    [Fact]
    public void Quote_GermanCulture_SameTextAndJson()
    {
        string[] text = ["quote", "--model", "glft-exact", "--mid", "100", "--q", "5", "--gamma", "0.01", "--sigma", "0.3", "--k", "0.3", "--A", "0.9", "--max-inventory", "10", "--tau", "600"];
        foreach (var args in new[] { text, [.. text, "--json"] })
        {
            var invariant = RunUnpinned(args);
            string? german = null;
            WithCulture("de-DE", () => german = RunUnpinned(args).Out);
            invariant.ExitCode.Should().Be(0, invariant.Error);
            german.Should().Be(invariant.Out);
        }
    }

    [Fact]
    public void Backtest_AnyThreads_ByteIdenticalReports()
    {
        // Given one backtest run with 1, 2 and 3 worker threads
        using var dir = new TempDir();
        var config = dir.Write("bt.yaml", VerbCase.BacktestYaml.Replace("paths: 40", "paths: 300", StringComparison.Ordinal) + "compare: [symmetric]\n");
        var outputs = new[] { "1", "2", "3" }.Select(threads =>
        {
            var output = dir.Combine("threads-" + threads);
            var result = CliRunner.Run("backtest", "--config", config, "--threads", threads, "--out", output, "--quiet");
            result.ExitCode.Should().Be(0, result.Error);
            return output;
        }).ToArray();

        // Then every report is byte-identical
        AssertSameTree(outputs[0], outputs[1]);
        AssertSameTree(outputs[0], outputs[2]);
    }

    private static CliRunner.Outcome RunUnpinned(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = new CliApp(stdout, stderr) { PinInvariantCulture = false }.Run(args);
        return new CliRunner.Outcome(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Sets the thread's and the process's default culture (worker threads start with the latter).</summary>
    private static void WithCulture(string name, Action action)
    {
        var culture = name.Length == 0 ? CultureInfo.InvariantCulture : new CultureInfo(name);
        var (saved, savedUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        var (savedDefault, savedDefaultUi) = (CultureInfo.DefaultThreadCurrentCulture, CultureInfo.DefaultThreadCurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
            CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = culture;
            action();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (saved, savedUi);
            (CultureInfo.DefaultThreadCurrentCulture, CultureInfo.DefaultThreadCurrentUICulture) = (savedDefault, savedDefaultUi);
        }
    }

    internal static void AssertSameTree(string expected, string actual)
    {
        static string[] Files(string root) => Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToArray();
        var files = Files(expected);
        files.Should().NotBeEmpty();
        Files(actual).Should().Equal(files);
        foreach (var file in files)
        {
            var (want, got) = (File.ReadAllBytes(Path.Combine(expected, file)), File.ReadAllBytes(Path.Combine(actual, file)));
            if (want.SequenceEqual(got)) continue;
            // Name the first differing line of a text file, so that the culprit is found without rerunning.
            var (wantLines, gotLines) = (System.Text.Encoding.UTF8.GetString(want).Split('\n'), System.Text.Encoding.UTF8.GetString(got).Split('\n'));
            var line = Enumerable.Range(0, Math.Min(wantLines.Length, gotLines.Length)).FirstOrDefault(i => wantLines[i] != gotLines[i]);
            throw new Xunit.Sdk.XunitException($"{file} differs at line {line + 1}:\n  {wantLines.ElementAtOrDefault(line)}\n  {gotLines.ElementAtOrDefault(line)}");
        }
    }
}
