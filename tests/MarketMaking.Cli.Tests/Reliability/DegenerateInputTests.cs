namespace MarketMaking.Cli.Tests.Reliability;

/// <summary>
/// Numerically hostile but well-formed data (flat counts, arrivals far out where e^(−kδ) underflows, values near the
/// double range, a single count): the run either fails cleanly or reports, and a report never prints NaN.
/// </summary>
public class DegenerateInputTests
{
    [Theory]
    [InlineData("flat", "delta,count,exposure\n0.1,10,10\n0.2,10,10\n0.3,10,10\n0.4,10,10\n")]
    [InlineData("one-count", "delta,count,exposure\n0.1,0,10\n0.2,0,10\n0.3,1,10\n")]
    [InlineData("far", "delta,count,exposure\n100,5,1\n200,3,1\n500,1,1\n1000,0,1\n")]
    [InlineData("extreme", "delta,count,exposure\n0,1e300,1e-300\n1,1e200,1\n2,1,1e300\n")]
    [InlineData("zero-counts", "delta,count,exposure\n0.1,0,10\n0.2,0,10\n0.3,0,10\n")]
    [InlineData("same-delta", "delta,count,exposure\n0.1,5,1\n0.1,5,1\n0.1,5,1\n")]
    public void Calibrate_DegenerateBins_CleanFailureOrReportWithoutNaN(string name, string bins)
    {
        // Given degenerate bins
        using var dir = new TempDir();
        var output = dir.Combine("out");
        var result = CleanFailure.Run(["calibrate", "--input", dir.Write(name + ".csv", bins), "--out", output, "--quiet"]);

        // Then either a clean one-line failure with nothing written, or reports without NaN
        if (result.ExitCode != 0)
        {
            CleanFailure.ShouldBe(result, 1);
            Directory.Exists(output).Should().BeFalse();
            return;
        }
        foreach (var file in Directory.GetFiles(output).Where(f => f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".csv", StringComparison.Ordinal)))
        {
            File.ReadAllText(file).Should().NotContainAny(["NaN", "Infinity"], Path.GetFileName(file));
        }
        // A fit that is not clean says so in words.
        var report = File.ReadAllText(Path.Combine(output, "mle_report.md"));
        if (report.Contains("n/a", StringComparison.Ordinal)) report.Should().ContainAny("not available", "boundary", "no degrees of freedom");
        EveryNaTableExplained(report);
    }

    /// <summary>Every Markdown table showing "n/a" is followed by the line saying why.</summary>
    internal static void EveryNaTableExplained(string markdown)
    {
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith('|')) continue;
            var end = i;
            while (end < lines.Length && lines[end].StartsWith('|')) end++;
            if (lines[i..end].Any(l => l.Contains("n/a", StringComparison.Ordinal)))
            {
                var next = lines.Skip(end).FirstOrDefault(l => l.Length > 0) ?? "";
                next.Should().StartWith(MarketMaking.Reports.NotComputable.Prefix, $"the table at line {i + 1} shows n/a").And.NotEndWith("not computable: .");
            }
            i = end;
        }
    }

    [Fact]
    public void Calibrate_SingularFit_NaFootnotesNameTheReason()
    {
        // Given bins whose power-law fit has a singular information matrix and no degrees of freedom left
        using var dir = new TempDir();
        var output = dir.Combine("out");
        var result = CleanFailure.Run(["calibrate", "--input", dir.Write("b.csv", "delta,count,exposure\n0.1,0,10\n0.2,0,10\n0.3,1,10\n"), "--out", output, "--quiet"]);
        result.ExitCode.Should().Be(0, result.Error);

        // Then each table with n/a is followed by the reason from the fit's warnings
        var report = File.ReadAllText(Path.Combine(output, "mle_report.md"));
        EveryNaTableExplained(report);
        report.Should().Contain("n/a: not computable: power: standard errors are not available: the observed information matrix is singular")
            .And.Contain("n/a: not computable: no degrees of freedom left for goodness of fit (3 bins, 3 parameters).");
    }
}
