using System.Globalization;
using System.Text.Json;

namespace MarketMaking.Cli.Tests;

public class BacktestCommandTests
{
    private const string Paper = """
        market: { process: binomial, s0: 100, sigma: 2.0, drift: 0.0, dt: 0.005, horizon: 1.0 }
        intensity: { model: exponential, A: 140, k: 1.5 }
        fills: linear
        strategy: { name: avellaneda-stoikov, gamma: 0.1 }
        compare: [symmetric]
        markout_horizons: [1, 10]
        paths: 200
        seed: 3
        """;

    private static readonly string[] Reports = ["backtest_summary.json", "backtest_summary.md", "backtest_timeseries.csv", "fills.csv",
        "backtest_quotes.png", "backtest_inventory.png", "backtest_pnl_fan.png", "backtest_pnl_decomposition.png", "backtest_markouts.png"];

    [Fact]
    public void Backtest_PaperConfig_WritesEveryReport()
    {
        // Given the paper's setting at 200 paths
        using var dir = new TempDir();
        var config = dir.Write("bt.yaml", Paper);
        var output = dir.Combine("out");

        // When backtesting
        var result = CliRunner.Run("backtest", "--config", config, "--out", output);

        // Then exit 0 and the reports, with the JSON shaped as documented
        result.ExitCode.Should().Be(0, result.Error);
        foreach (var report in Reports) File.Exists(Path.Combine(output, report)).Should().BeTrue(report);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "backtest_summary.json")));
        var strategies = json.RootElement.GetProperty("strategies");
        strategies.GetArrayLength().Should().Be(2);
        var first = strategies[0];
        first.GetProperty("name").GetString().Should().Be("avellaneda-stoikov");
        first.GetProperty("paths").GetInt32().Should().Be(200);
        foreach (var key in new[] { "avg_spread", "profit_mean", "profit_std", "final_q_mean", "final_q_std", "inventory_std", "max_abs_inventory", "fills",
                     "spread_capture", "inventory_pnl", "adverse_selection", "sharpe", "max_drawdown", "var95", "es95", "pnl_p05" })
        {
            first.GetProperty(key).ValueKind.Should().Be(JsonValueKind.Number, key);
        }
        first.GetProperty("avg_spread").GetDouble().Should().BeApproximately(1.4918, 1e-4);
        File.ReadLines(Path.Combine(output, "fills.csv")).First().Should().Be("strategy,path,step,time,side,price,mid,quantity,inventory_after,markout_1,markout_10");
        File.ReadLines(Path.Combine(output, "backtest_timeseries.csv")).Should().HaveCount(1 + 2 * 201);
    }

    [Fact]
    public void Backtest_OneVersusTwoThreads_ByteIdenticalReports()
    {
        // Given the same run with --threads 1 and --threads 2 (700 paths: several batches per thread)
        using var dir = new TempDir();
        var config = dir.Write("bt.yaml", Paper);

        var one = CliRunner.Run("backtest", "--config", config, "--paths", "700", "--threads", "1", "--all-fills", "--out", dir.Combine("one"));
        var two = CliRunner.Run("backtest", "--config", config, "--paths", "700", "--threads", "2", "--all-fills", "--out", dir.Combine("two"));

        // Then every report is byte-identical
        one.ExitCode.Should().Be(0, one.Error);
        two.ExitCode.Should().Be(0, two.Error);
        foreach (var report in Reports)
        {
            File.ReadAllBytes(Path.Combine(dir.Combine("two"), report)).Should().Equal(File.ReadAllBytes(Path.Combine(dir.Combine("one"), report)), report);
        }
    }

    [Fact]
    public void Backtest_FitFromCalibrate_UsesTheFittedIntensity()
    {
        // Given calibrate's fit.csv
        using var dir = new TempDir();
        var bins = dir.Write("bins.csv", "delta,count,exposure\n0.1,95,1\n0.2,80,1\n0.4,61,1.2\n0.6,40,1\n0.8,33,0.9\n1.0,22,1\n1.5,12,1.1\n2.0,6,1\n");
        CliRunner.Run("calibrate", "--input", bins, "--out", dir.Combine("fit")).ExitCode.Should().Be(0);
        var config = dir.Write("bt.yaml", Paper);

        // When backtesting with --fit and the exponential model
        var result = CliRunner.Run("backtest", "--config", config, "--fit", Path.Combine(dir.Combine("fit"), "fit.csv"), "--fit-model", "exponential", "--paths", "20", "--out", dir.Combine("out"));

        // Then the summary names the fitted model as the intensity
        result.ExitCode.Should().Be(0, result.Error);
        File.ReadAllText(Path.Combine(dir.Combine("out"), "backtest_summary.md")).Should().Contain("exponential from fit.csv");
    }

    [Fact]
    public void Backtest_BySideFit_UsesEachSidesIntensity()
    {
        // Given a by-side fit.csv whose bid side is far more active than its ask side
        using var dir = new TempDir();
        var fit = dir.Write("fit.csv", "model,side,A,k,delta0,aic\nexponential,bid,280,1.5,,10\nexponential,ask,20,1.5,,11\nexponential,both,150,1.5,,30\n");
        var config = dir.Write("bt.yaml", Paper);

        // When backtesting with it
        var result = CliRunner.Run("backtest", "--config", config, "--fit", fit, "--paths", "200", "--out", dir.Combine("out"));

        // Then the summary names both sides, and the maker ends long on average (bids fill far more often than asks)
        result.ExitCode.Should().Be(0, result.Error);
        File.ReadAllText(Path.Combine(dir.Combine("out"), "backtest_summary.md")).Should().Contain("bid A = 280").And.Contain("ask A = 20");
        var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Combine("out"), "backtest_summary.json")));
        json.RootElement.GetProperty("strategies")[0].GetProperty("final_q_mean").GetDouble().Should().BeGreaterThan(0);
    }

    [Fact]
    public void Backtest_BySideFitWithDifferentK_RequiresStrategyK()
    {
        using var dir = new TempDir();
        var fit = dir.Write("fit.csv", "model,side,A,k,delta0,aic\nexponential,bid,140,1.2,,10\nexponential,ask,140,1.8,,11\n");
        var config = dir.Write("bt.yaml", Paper);

        var result = CliRunner.Run("backtest", "--config", config, "--fit", fit, "--paths", "20", "--out", dir.Combine("out"));

        result.ExitCode.Should().Be(1);
        result.Error.Should().Contain("strategy.k");
        Directory.Exists(dir.Combine("out")).Should().BeFalse();
    }

    [Fact]
    public void Backtest_MidSeries_ReplaysTheSeries()
    {
        using var dir = new TempDir();
        var config = dir.Write("bt.yaml", Paper);
        var rows = string.Join("\n", Enumerable.Range(0, 50).Select(i => (100 + 0.1 * Math.Sin(i)).ToString("R", CultureInfo.InvariantCulture)));
        var mid = dir.Write("mid.csv", "mid\n" + rows + "\n");

        var result = CliRunner.Run("backtest", "--config", config, "--mid", mid, "--paths", "4", "--out", dir.Combine("out"));

        result.ExitCode.Should().Be(0, result.Error);
        File.ReadLines(Path.Combine(dir.Combine("out"), "backtest_timeseries.csv")).Should().HaveCount(1 + 2 * 50);
    }

    [Theory]
    [InlineData("paths: 0\n", "bt.yaml:1:8: must be >= 1, got 0 (paths)")]
    [InlineData("strategy:\n  gamma: -1\n", "bt.yaml:2:10: must be > 0, got -1 (strategy.gamma)")]
    [InlineData("intensity:\n  k: 0\n", "bt.yaml:2:6: must be > 0, got 0 (intensity.k)")]
    [InlineData("market:\n  sigma: -2\n", "bt.yaml:2:10: must be >= 0, got -2 (market.sigma)")]
    [InlineData("market:\n  dt: 0\n", "bt.yaml:2:7: must be > 0, got 0 (market.dt)")]
    [InlineData("market:\n  horizon: -1\n", "bt.yaml:2:12: must be > 0, got -1 (market.horizon)")]
    [InlineData("pths: 3\n", "bt.yaml:1:1: unknown key 'pths'; did you mean 'paths'? (pths)")]
    [InlineData("paths: [1, 2]\n", "bt.yaml:1:8: expected a single value (paths)")]
    public void Backtest_BadConfig_OneLineErrorExit1NothingWritten(string yaml, string expected)
    {
        using var dir = new TempDir();
        var config = dir.Write("bt.yaml", yaml);
        var output = dir.Combine("out");

        var result = CliRunner.Run("backtest", "--config", config, "--out", output);

        result.ExitCode.Should().Be(1);
        result.Error.Trim().Should().EndWith(expected);
        result.Error.Trim().Split('\n').Should().ContainSingle();
        Directory.Exists(output).Should().BeFalse();
        dir.Contents().Should().Equal("bt.yaml");
    }

    [Theory]
    [InlineData("price\n1\n2\n", "missing column 'mid'")]
    [InlineData("mid\n100\nx\n", "not a number")]
    [InlineData("mid\n100\nNaN\n", "not a finite number")]
    [InlineData("mid\n100\n", "at least two rows")]
    [InlineData("time,mid\n0,100\n0,101\n", "time must increase strictly")]
    public void Backtest_BadMidCsv_OneLineErrorExit1NothingWritten(string csv, string message)
    {
        using var dir = new TempDir();
        var config = dir.Write("bt.yaml", Paper);
        var mid = dir.Write("mid.csv", csv);

        var result = CliRunner.Run("backtest", "--config", config, "--mid", mid, "--out", dir.Combine("out"));

        result.ExitCode.Should().Be(1);
        result.Error.Should().StartWith("mm-engine: error: ").And.Contain(message);
        result.Error.Trim().Split('\n').Should().ContainSingle();
        dir.Contents().Should().Equal("bt.yaml", "mid.csv");
    }

    [Fact]
    public void Backtest_FitWithoutRequestedModel_Exit1NothingWritten()
    {
        using var dir = new TempDir();
        var config = dir.Write("bt.yaml", Paper);
        var fit = dir.Write("fit.csv", "model,A,k,delta0,aic\nexponential,140,1.5,,10\n");

        var result = CliRunner.Run("backtest", "--config", config, "--fit", fit, "--fit-model", "power", "--out", dir.Combine("out"));

        result.ExitCode.Should().Be(1);
        result.Error.Should().Contain("no power model");
        dir.Contents().Should().Equal("bt.yaml", "fit.csv");
    }

    [Theory]
    [InlineData("--paths", "many")]
    [InlineData("--fit-model", "logistic")]
    [InlineData("--bogus", "1")]
    public void Backtest_BadFlag_Exit2(string flag, string value)
    {
        using var dir = new TempDir();

        var result = CliRunner.Run("backtest", flag, value, "--out", dir.Combine("out"));

        result.ExitCode.Should().Be(2);
        dir.Contents().Should().BeEmpty();
    }

    [Theory]
    [InlineData("--gamma", "0", "(--gamma)")]
    [InlineData("--paths", "0", "(--paths)")]
    [InlineData("--compare", "symetric", "did you mean 'symmetric'")]
    public void Backtest_OutOfRangeFlag_Exit1NamingFlag(string flag, string value, string expected)
    {
        using var dir = new TempDir();
        var config = dir.Write("bt.yaml", Paper);

        var result = CliRunner.Run("backtest", "--config", config, flag, value, "--out", dir.Combine("out"));

        result.ExitCode.Should().Be(1);
        result.Error.Should().Contain(expected);
        dir.Contents().Should().Equal("bt.yaml");
    }
}
