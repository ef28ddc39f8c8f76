using System.Globalization;

namespace MarketMaking.Cli.Tests;

public class HostTests
{
    [Theory]
    [InlineData("frobnicate")]
    [InlineData("calibrate", "--input", "x.csv", "--bogus")]
    [InlineData("calibrate", "--input", "x.csv", "--model", "cubic")]
    [InlineData("calibrate")]
    [InlineData("calibrate", "--input", "x.csv", "--delta0", "abc")]
    public void Run_UsageError_Exit2WithOneLine(params string[] args)
    {
        var result = CliRunner.Run(args);

        result.ExitCode.Should().Be(2);
        result.Error.Should().StartWith("mm-engine: error: ");
        result.Error.TrimEnd('\n').Should().NotContain("\n");
    }

    [Fact]
    public void Run_NoVerb_Exit2()
    {
        CliRunner.Run().ExitCode.Should().Be(2);
    }

    [Fact]
    public void Run_Version_Exit0()
    {
        var result = CliRunner.Run("--version");
        result.ExitCode.Should().Be(0);
        result.Out.Should().MatchRegex(@"^\d+\.\d+\.\d+");
    }

    [Fact]
    public void Run_Help_ListsEveryVerbWithDescription()
    {
        var result = CliRunner.Run("--help");
        result.ExitCode.Should().Be(0);
        result.Out.Should().Contain("calibrate").And.Contain("demo");
    }

    [Fact]
    public void Verbs_EachNameInTheTable_IsItsCommandsName()
    {
        // Given the verb table the host builds the tree from
        var app = new CliApp(TextWriter.Null, TextWriter.Null);

        // Then each entry's name is the name of the command it creates (a wrong one would never be matched first)
        foreach (var verb in CliApp.Verbs)
        {
            verb.Create(app).Name.Should().Be(verb.Name);
        }
        CliApp.Verbs.Select(v => v.Name).Should().OnlyHaveUniqueItems();
    }

    [Theory]
    [InlineData(new[] { "backtest", "--paths", "5" }, "backtest")]
    [InlineData(new[] { "scenarios", "merge" }, "scenarios")]
    [InlineData(new[] { "--verbose", "backtest" }, null)]
    [InlineData(new[] { "backtset" }, null)]
    [InlineData(new[] { "--help" }, null)]
    [InlineData(new string[0], null)]
    public void LeadingVerb_FirstArgument_OnlyWhenItIsAVerb(string[] args, string? expected)
    {
        CliApp.LeadingVerb(args).Should().Be(expected);
    }

    [Theory]
    [InlineData(new[] { "backtest", "--config", "a.yaml", "--paths", "5" }, "a.yaml")]
    [InlineData(new[] { "backtest", "-c", "b.yaml" }, "b.yaml")]
    [InlineData(new[] { "backtest", "--config" }, null)]
    [InlineData(new[] { "backtest", "--", "--config", "c.yaml" }, null)]
    [InlineData(new[] { "backtest", "--paths", "5" }, null)]
    public void ConfigArgument_ConfigOption_ValueToReadAhead(string[] args, string? expected)
    {
        CliApp.ConfigArgument(args).Should().Be(expected);
    }

    [Theory]
    [InlineData(new[] { "backtest", "--mid", "m.csv" }, true)]
    [InlineData(new[] { "backtest", "--mid=m.csv" }, true)]
    [InlineData(new[] { "backtest", "--mid:m.csv" }, true)]
    [InlineData(new[] { "backtest", "--midpoint" }, false)]
    [InlineData(new[] { "backtest", "--", "--mid", "m.csv" }, false)]
    [InlineData(new[] { "backtest", "--paths", "5" }, false)]
    public void HasOption_MidOption_OnlyBeforeTheSeparatorAndByItsWholeName(string[] args, bool expected)
    {
        CliApp.HasOption(args, "--mid").Should().Be(expected);
    }

    [Theory]
    [InlineData(new[] { "backtest", "--paths", "5" }, false)]
    [InlineData(new[] { "backtest", "--help" }, true)]
    [InlineData(new[] { "backtest", "-h" }, true)]
    [InlineData(new[] { "quote", "-?" }, true)]
    [InlineData(new[] { "quote", "/h" }, true)]
    [InlineData(new[] { "demo", "/?" }, true)]
    [InlineData(new[] { "demo", "--version" }, true)]
    [InlineData(new[] { "[suggest]", "demo" }, true)]
    [InlineData(new[] { "backtest", "@args.rsp" }, true)]
    public void MayNeedRootCommand_HelpVersionDirectiveOrResponseFile(string[] args, bool expected)
    {
        CliApp.MayNeedRootCommand(args).Should().Be(expected);
    }

    [Theory]
    [InlineData("quote", "--model", "as", "--mid", "100", "--q", "2", "--gamma", "0.1", "--sigma", "2", "--k", "1.5")]
    [InlineData("quote", "--model", "as", "--mid", "abc", "--q", "2", "--gamma", "0.1", "--sigma", "2", "--k", "1.5")]
    [InlineData("quote", "--model", "as", "--mid", "100", "--q", "2", "--gamma", "-1", "--sigma", "2", "--k", "1.5", "--json")]
    [InlineData("backtest", "--pahts", "5")]
    [InlineData("backtest", "--paths")]
    [InlineData("backtest", "--paths", "5", "extra")]
    [InlineData("backtest", "--config", "/nonexistent/bt.yaml")]
    [InlineData("calibrate")]
    [InlineData("calibrate", "--input", "x.csv", "--model", "cubic")]
    [InlineData("bins", "--quotes")]
    [InlineData("scenarios", "merge")]
    [InlineData("bench", "--threads", "-1")]
    [InlineData("demo", "--bogus", "--verbose")]
    public void Run_VerbFirst_SameOutcomeAsWithTheWholeTree(params string[] args)
    {
        // Given the host that parses with the whole tree
        using var wholeOut = new StringWriter();
        using var wholeError = new StringWriter();
        var wholeCode = new CliApp(wholeOut, wholeError) { AlwaysBuildWholeTree = true }.Run(args);

        // When the host runs the same arguments with only the named verb under a plain root
        var result = CliRunner.Run(args);

        // Then exit code, output and error are the same
        result.ExitCode.Should().Be(wholeCode);
        result.Out.Should().Be(wholeOut.ToString());
        result.Error.Should().Be(wholeError.ToString());
    }

    [Fact]
    public void Run_VerbHelp_SameAsFromTheWholeTree()
    {
        foreach (var verb in CliApp.Verbs)
        {
            // Given the help of one verb from the tree with every verb
            using var whole = new StringWriter();
            var app = new CliApp(whole, TextWriter.Null);
            app.BuildRoot().Parse([verb.Name, "--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = whole });

            // When the host runs `<verb> --help`, building only that verb
            var result = CliRunner.Run(verb.Name, "--help");

            // Then the text is the same
            result.ExitCode.Should().Be(0);
            result.Out.Should().Be(whole.ToString(), verb.Name);
        }
    }

    [Fact]
    public void Run_UnknownOptionAfterVerb_SameErrorAsFromTheWholeTree()
    {
        // Given a typo in an option of a verb, parsed by the tree with every verb
        var whole = new CliApp(TextWriter.Null, TextWriter.Null).BuildRoot().Parse(["backtest", "--pahts", "5"]);

        // When the host runs it (building only that verb)
        var result = CliRunner.Run("backtest", "--pahts", "5");

        // Then it is the same usage error
        result.ExitCode.Should().Be(2);
        whole.Errors.Should().NotBeEmpty();
        result.Error.Should().Contain(whole.Errors.First(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)).Message);
    }

    [Fact]
    public void Help_EveryOptionOfEveryVerb_HasDescription()
    {
        var root = new CliApp(TextWriter.Null, TextWriter.Null).BuildRoot();
        foreach (var command in root.Subcommands)
        {
            command.Description.Should().NotBeNullOrWhiteSpace(command.Name);
            foreach (var option in command.Options)
            {
                option.Description.Should().NotBeNullOrWhiteSpace($"{command.Name} {option.Name}");
            }
        }
    }

    [Fact]
    public void Demo_TwoRunsAndAnyCulture_ByteIdentical()
    {
        using var dir = new TempDir();
        var first = dir.Combine("a");
        var second = dir.Combine("b");
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            CliRunner.Run("demo", "--out", first, "--quiet").ExitCode.Should().Be(0);
            CultureInfo.CurrentCulture = new CultureInfo("fr-FR");
            CliRunner.Run("demo", "--out", second, "--quiet").ExitCode.Should().Be(0);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        var files = Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        files.Should().Contain(["index.md", "fit.csv", "mle_report.md"]);
        foreach (var file in files)
        {
            File.ReadAllBytes(Path.Combine(second, file!)).Should().Equal(File.ReadAllBytes(Path.Combine(first, file!)), file);
        }
    }
}

public class CancellationTests
{
    [Fact]
    public void Run_Cancelled_Exit1AndNothingWritten()
    {
        // Given a run whose Ctrl-C has already been pressed
        using var dir = new TempDir();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        // When the demo runs
        var code = new CliApp(stdout, stderr, cancelled.Token).Run(["demo", "--out", dir.Combine("out")]);

        // Then it fails cleanly and leaves no report and no staging directory
        code.Should().Be(1);
        stderr.ToString().Should().Contain("interrupted");
        dir.Contents().Should().BeEmpty();
    }
}
