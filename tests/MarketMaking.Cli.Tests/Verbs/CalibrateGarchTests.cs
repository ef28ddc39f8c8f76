using System.Globalization;

namespace MarketMaking.Cli.Tests.Verbs;

public class CalibrateGarchTests
{
    private static readonly string Dem2Gbp = Path.Combine(AppContext.BaseDirectory, "Data", "dem2gbp.csv");

    private static Dictionary<string, string> GarchRow(string csvPath)
    {
        var lines = File.ReadAllLines(csvPath);
        var header = lines[0].Split(',');
        var row = lines.Skip(1).Select(l => l.Split(',')).Single(cells => cells[0] == "garch11");
        return header.Zip(row).ToDictionary(p => p.First, p => p.Second);
    }

    private static double Num(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void Calibrate_Returns_WritesGarchRowReproducingTheBenchmark()
    {
        // Given the dem2gbp returns
        using var dir = new TempDir();
        var output = dir.Combine("out");

        // When calibrated
        var (code, _, error) = CliRunner.Run("calibrate", "--returns", Dem2Gbp, "--out", output);

        // Then volatility.csv has the garch11 row with the published figures to four significant digits
        code.Should().Be(0, error);
        var row = GarchRow(Path.Combine(output, "volatility.csv"));
        foreach (var column in new[] { "mu", "omega", "alpha", "beta", "mu_se", "omega_se", "alpha_se", "beta_se", "loglik", "persistence", "unconditional_vol", "half_life" })
        {
            row.Should().ContainKey(column);
        }
        Num(row["mu"]).Should().BeApproximately(-0.00619041, 1e-8);
        Num(row["omega"]).Should().BeApproximately(0.0107613, 5e-7);
        Num(row["alpha"]).Should().BeApproximately(0.153134, 5e-6);
        Num(row["beta"]).Should().BeApproximately(0.805974, 5e-6);
        Num(row["mu_se"]).Should().BeApproximately(0.008462, 5e-7);
        Num(row["omega_se"]).Should().BeApproximately(0.002838, 5e-7);
        Num(row["alpha_se"]).Should().BeApproximately(0.026422, 5e-6);
        Num(row["beta_se"]).Should().BeApproximately(0.033381, 5e-6);
        Num(row["loglik"]).Should().BeApproximately(-1106.608, 5e-4);
        Num(row["persistence"]).Should().BeApproximately(0.153134 + 0.805974, 1e-5);
        Num(row["half_life"]).Should().BeApproximately(Math.Log(0.5) / Math.Log(Num(row["persistence"])), 1e-9);
        row["sigma"].Should().BeEmpty("sigma belongs to the realised model");
        row["converged"].Should().Be("true");
        File.ReadAllText(Path.Combine(output, "garch_report.md")).Should().Contain("# GARCH(1,1) volatility").And.Contain("-1106.608");
        File.Exists(Path.Combine(output, "fit.csv")).Should().BeFalse("no arrival bins were given");
    }

    [Fact]
    public void Calibrate_ReturnsWithColumn_ReadsThatColumn()
    {
        // Given the returns under another name beside another column
        using var dir = new TempDir();
        var returns = File.ReadLines(Dem2Gbp).Skip(1).ToArray();
        File.WriteAllLines(dir.Combine("r.csv"), new[] { "day,dem" }.Concat(returns.Select((r, i) => $"{i},{r}")));

        // When calibrated with --column dem
        var (code, _, error) = CliRunner.Run("calibrate", "--returns", dir.Combine("r.csv"), "--column", "dem", "--out", dir.Combine("out"));

        // Then the same fit
        code.Should().Be(0, error);
        Num(GarchRow(dir.Combine("out/volatility.csv"))["beta"]).Should().BeApproximately(0.805974, 5e-6);
    }

    [Fact]
    public void Calibrate_MissingColumn_FailsWithLocatedError()
    {
        using var dir = new TempDir();
        var (code, _, error) = CliRunner.Run("calibrate", "--returns", Dem2Gbp, "--column", "nope", "--out", dir.Combine("out"));
        code.Should().Be(1);
        error.Should().Contain("dem2gbp.csv:1").And.Contain("missing column 'nope'");
        Directory.Exists(dir.Combine("out")).Should().BeFalse();
    }

    [Fact]
    public void Calibrate_NonNumericReturn_FailsNamingLineAndColumn()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("r.csv"), "return\n0.1\n-0.2\nabc\n");
        var (code, _, error) = CliRunner.Run("calibrate", "--returns", dir.Combine("r.csv"), "--out", dir.Combine("out"));
        code.Should().Be(1);
        error.Should().Contain("r.csv:4:1").And.Contain("(return)");
    }

    [Fact]
    public void Calibrate_TooFewReturns_FailsNamingTheFile()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("r.csv"), "return\n0.1\n-0.2\n0.3\n");
        var (code, _, error) = CliRunner.Run("calibrate", "--returns", dir.Combine("r.csv"), "--out", dir.Combine("out"));
        code.Should().Be(1);
        error.Should().Contain("r.csv").And.Contain("at least 10 returns");
    }

    [Fact]
    public void Calibrate_NeitherInputNorReturns_IsAUsageError()
    {
        var (code, _, error) = CliRunner.Run("calibrate");
        code.Should().Be(2);
        error.Should().Contain("--returns");
    }

    [Fact]
    public void Calibrate_ColumnWithoutReturns_IsAUsageError()
    {
        var (code, _, error) = CliRunner.Run("calibrate", "--input", "x.csv", "--column", "r");
        code.Should().Be(2);
        error.Should().Contain("--column");
    }
}
