namespace MarketMaking.Cli.Tests;

public class DemoBacktestTests
{
    [Fact]
    public void Demo_Index_LinksEveryReportAndShowsBothTables()
    {
        // Given a demo run
        using var dir = new TempDir();
        var output = dir.Combine("out");

        // When it runs
        var result = CliRunner.Run("demo", "--out", output, "--quiet");

        // Then index.md has the true-versus-fitted and the strategy tables, and links every file written
        result.ExitCode.Should().Be(0, result.Error);
        var index = File.ReadAllText(Path.Combine(output, "index.md"));
        index.Should().Contain("| parameter | true | fitted |").And.Contain("## 2. Backtest with the fitted intensity");
        index.Should().Contain("| avellaneda-stoikov |").And.Contain("| symmetric |");
        foreach (var file in Directory.GetFiles(output).Select(Path.GetFileName).Where(f => f != "index.md"))
        {
            index.Should().Contain($"]({file})", file);
        }
        File.ReadAllText(Path.Combine(output, "backtest_summary.md")).Should().Contain("exponential fitted to demo_bins.csv");
    }
}
