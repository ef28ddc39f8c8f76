using MarketMaking.Core.Calibration;
using MarketMaking.Core.Intensity;
using MarketMaking.Reports;

namespace MarketMaking.Cli.Tests;

/// <summary>The samples are what samples/README.md says they are: regenerated here from the stated truth and seed.</summary>
public class SampleFileTests
{
    public static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "MarketMaking.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return dir ?? throw new InvalidOperationException("repository root not found");
    }

    /// <summary>samples/calibration_bins.csv: A = 140, k = 1.5, δ = 0.0 … 2.5 step 0.1, exposure 30, seed 2027.</summary>
    public static string CalibrationBins()
    {
        var bins = SyntheticArrivals.Generate(new ExponentialIntensity(140, 1.5), SyntheticArrivals.Grid(0.0, 2.5, 0.1), 30, seed: 2027);
        var csv = new CsvBuilder("delta", "count", "exposure");
        foreach (var bin in bins) csv.Row(Text.Num(bin.Delta), Text.Num(bin.Count), Text.Num(bin.Exposure));
        return csv.ToString();
    }

    [Fact]
    public void CalibrationBins_Sample_MatchesStatedGenerator()
    {
        var path = Path.Combine(RepoRoot(), "samples", "calibration_bins.csv");
        if (Environment.GetEnvironmentVariable("MM_REGENERATE_SAMPLES") == "1")
        {
            File.WriteAllText(path, CalibrationBins());
        }
        File.ReadAllText(path).Should().Be(CalibrationBins());
    }

    [Fact]
    public void Calibrate_Sample_RecoversStatedTruthWithinInterval()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("calibrate", "--input", Path.Combine(RepoRoot(), "samples", "calibration_bins.csv"), "--model", "exponential", "--out", dir.Path);
        result.ExitCode.Should().Be(0, result.Error);
        var fit = PoissonIntensityMle.FitExponential(MarketMaking.Data.Inputs.ArrivalBinReader.Read(Path.Combine(RepoRoot(), "samples", "calibration_bins.csv")));
        140.0.Should().BeInRange(fit.A.Lower95, fit.A.Upper95);
        1.5.Should().BeInRange(fit.K.Lower95, fit.K.Upper95);
    }
}
