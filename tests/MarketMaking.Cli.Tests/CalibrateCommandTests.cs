using System.Globalization;
using MarketMaking.Core.Calibration;
using MarketMaking.Data.Inputs;

namespace MarketMaking.Cli.Tests;

public class CalibrateCommandTests
{
    private const string Bins = "delta,count,exposure\n0.1,95,1\n0.2,80,1\n0.4,61,1.2\n0.6,40,1\n0.8,33,0.9\n1.0,22,1\n1.5,12,1.1\n2.0,6,1\n";

    [Fact]
    public void Calibrate_ValidInput_WritesReportsThatRoundTrip()
    {
        // Given a bins file
        using var dir = new TempDir();
        var input = dir.Write("bins.csv", Bins);
        var output = dir.Combine("out");

        // When calibrating both models
        var result = CliRunner.Run("calibrate", "--input", input, "--out", output);

        // Then exit 0, the reports exist, and fit.csv's numbers read back to the in-process estimates exactly
        result.ExitCode.Should().Be(0, result.Error);
        File.Exists(Path.Combine(output, "mle_report.md")).Should().BeTrue();
        var lines = File.ReadAllLines(Path.Combine(output, "fit.csv"));
        lines[0].Should().StartWith("model,A,k,delta0,loglik,aic,bic,n_bins,total_count,A_se,k_se,delta0_se,converged");
        lines.Should().HaveCount(3);
        var exponential = lines[1].Split(',');
        exponential[0].Should().Be("exponential");
        exponential[3].Should().BeEmpty();
        var expected = PoissonIntensityMle.FitExponential(ArrivalBinReader.Read(input));
        double.Parse(exponential[1], CultureInfo.InvariantCulture).Should().Be(expected.A.Value);
        double.Parse(exponential[2], CultureInfo.InvariantCulture).Should().Be(expected.K.Value);
        lines[2].Should().StartWith("power,");
        dir.Contents().Should().NotContain(p => p.Contains(".out.partial", StringComparison.Ordinal));
    }

    [Fact]
    public void Calibrate_WithMid_WritesVolatility()
    {
        using var dir = new TempDir();
        var input = dir.Write("bins.csv", Bins);
        var mid = dir.Write("mid.csv", "mid\n100\n101\n100\n101\n100\n");
        var output = dir.Combine("out");

        var result = CliRunner.Run("calibrate", "--input", input, "--mid", mid, "--dt", "0.25", "--out", output);

        result.ExitCode.Should().Be(0, result.Error);
        // One schema for every volatility model (the GARCH columns stay empty on the realised row).
        var lines = File.ReadAllText(Path.Combine(output, "volatility.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);
        lines[0].Should().StartWith("model,sigma,sigma_se,n,mu,omega,alpha,beta,");
        lines[1].Should().Be("realised,2,0.7071067811865475,4" + new string(',', lines[0].Count(c => c == ',') - 3));
    }

    [Theory]
    [InlineData("missing", "file not found")]
    [InlineData("directory", "is a directory")]
    [InlineData("", "empty file")]
    [InlineData("delta,count,exposure\n", "header only")]
    [InlineData("delta,count\n0.1,1\n", "missing column 'exposure'")]
    [InlineData("delta,count,exposure\n0.1,x,1\n", "not a number")]
    [InlineData("delta,count,exposure\n0.1,NaN,1\n", "not a finite number")]
    [InlineData("delta,count,exposure\n0.1,1,Infinity\n", "not a finite number")]
    [InlineData("delta,count,exposure\n-1,1,1\n0.2,1,1\n0.3,1,1\n", "must be >= 0")]
    [InlineData("delta,count,exposure\n0.1,-1,1\n0.2,1,1\n0.3,1,1\n", "must be >= 0")]
    [InlineData("delta,count,exposure\n0.1,1,-1\n0.2,1,1\n0.3,1,1\n", "must be >= 0")]
    [InlineData("delta,count,exposure\n0.1,3,0\n0.2,1,1\n0.3,1,1\n", "zero exposure")]
    [InlineData("delta,count,exposure\n0.1,0,1\n0.2,0,1\n0.3,0,1\n", "all counts are zero")]
    [InlineData("delta,count,exposure\n0.1,3,1\n0.2,1,1\n0.2,1,1\n", "three distinct deltas")]
    public void Calibrate_BadInput_OneLineErrorExit1NothingWritten(string content, string message)
    {
        using var dir = new TempDir();
        var input = content switch
        {
            "missing" => dir.Combine("absent.csv"),
            "directory" => dir.Path,
            _ => dir.Write("bins.csv", content),
        };
        var output = dir.Combine("out");
        var before = dir.Contents();

        var result = CliRunner.Run("calibrate", "--input", input, "--out", output);

        result.ExitCode.Should().Be(1);
        result.Error.Should().StartWith("mm-engine: error: ").And.Contain(message);
        result.Error.TrimEnd('\n').Should().NotContain("\n", "an error is one line");
        result.Error.Should().NotContain("   at ", "no stack trace without --verbose");
        dir.Contents().Should().Equal(before, "a failed run writes nothing");
    }

    [Fact]
    public void Calibrate_BadCell_ErrorNamesFileLineColumnField()
    {
        using var dir = new TempDir();
        var input = dir.Write("bins.csv", "delta,count,exposure\n0.1,5,1\n0.2,oops,1\n");

        var result = CliRunner.Run("calibrate", "--input", input, "--out", dir.Combine("out"));

        result.Error.Should().Be($"mm-engine: error: {input}:3:2: 'oops' is not a number (count)\n");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.5")]
    public void Calibrate_NonPositiveDelta0_Exit1(string delta0)
    {
        using var dir = new TempDir();
        var input = dir.Write("bins.csv", Bins);

        var result = CliRunner.Run("calibrate", "--input", input, "--delta0", delta0, "--out", dir.Combine("out"));

        result.ExitCode.Should().Be(1);
        result.Error.Should().Contain("--delta0");
        Directory.Exists(dir.Combine("out")).Should().BeFalse();
    }

    [Fact]
    public void Calibrate_OutIsAFile_Exit1()
    {
        using var dir = new TempDir();
        var input = dir.Write("bins.csv", Bins);
        var file = dir.Write("taken", "x");

        var result = CliRunner.Run("calibrate", "--input", input, "--out", file);

        result.ExitCode.Should().Be(1);
        result.Error.Should().Contain("is a file");
        File.ReadAllText(file).Should().Be("x");
    }

    [Fact]
    public void Calibrate_Verbose_PrintsStackTraceOnError()
    {
        var result = CliRunner.Run("calibrate", "--input", "/nonexistent.csv", "--verbose");
        result.ExitCode.Should().Be(1);
        result.Error.Should().Contain("   at ");
    }
}

public class FitChartTests
{
    [Fact]
    public void Calibrate_ValidInput_WritesFitPngThatIsAValidImage()
    {
        using var dir = new TempDir();
        var input = dir.Write("bins.csv", "delta,count,exposure\n0.1,95,1\n0.2,80,1\n0.4,61,1.2\n0.6,40,1\n1.0,22,1\n2.0,6,1\n");

        var result = CliRunner.Run("calibrate", "--input", input, "--out", dir.Combine("out"));

        result.ExitCode.Should().Be(0, result.Error);
        var png = File.ReadAllBytes(Path.Combine(dir.Combine("out"), "fit.png"));
        png.Take(8).Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
        // IHDR: width 1200, height 800 (big-endian at bytes 16..23)
        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)).Should().Be(1200);
        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)).Should().Be(800);
    }
}
