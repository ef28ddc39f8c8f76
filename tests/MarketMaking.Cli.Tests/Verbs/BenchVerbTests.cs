namespace MarketMaking.Cli.Tests.Verbs;

/// <summary>`bench --quick`: the table's shape (never its timings, which depend on the machine and its load).</summary>
public class BenchVerbTests
{
    private static readonly string[] Workloads =
    [
        "A-S quote", "paper Monte Carlo, gamma 0.1, 2 thread(s)", "paper Monte Carlo, gamma 0.1, 1 thread(s)", "historical mid CSV", "calibration",
    ];

    [Fact]
    public void Bench_QuickWithoutPython_PrintsTableAndSaysBaselineSkipped()
    {
        // Given no python where --python points

        // When bench --quick runs on two threads
        var outcome = CliRunner.Run("bench", "--quick", "--threads", "2", "--python", "/nonexistent/python3");

        // Then it succeeds with a header, one row per workload, no ratios, and a note saying why
        outcome.ExitCode.Should().Be(0, outcome.Error);
        var rows = TableRows(outcome.Out);
        rows[0].Should().Equal("workload", "size", "seconds", "cpu s", "throughput", "baseline", "baseline s", "ratio");
        rows.Skip(1).Select(r => r[0]).Should().HaveCount(Workloads.Length);
        for (var i = 0; i < Workloads.Length; i++) rows[i + 1][0].Should().StartWith(Workloads[i]);
        rows.Skip(1).Should().OnlyContain(r => r[7] == "-" && double.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture) > 0);
        outcome.Out.Should().Contain("Baseline skipped: no python at /nonexistent/python3");
        outcome.Out.Should().Contain("Monte Carlo scaling: 2 threads give");
    }

    [Fact]
    public void Bench_QuickWithNumpy_PrintsRatiosForMonteCarloAndHistory()
    {
        // Given the system python (the test says nothing where it lacks numpy)
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) return;

        // When bench --quick runs against it
        var outcome = CliRunner.Run("bench", "--quick", "--python", python);

        // Then either the baseline ran, with ratios on the Monte Carlo and history rows, or the note says why not
        outcome.ExitCode.Should().Be(0, outcome.Error);
        var rows = TableRows(outcome.Out);
        if (outcome.Out.Contains("cannot import numpy", StringComparison.Ordinal)) return;
        rows.Single(r => r[0].StartsWith("paper Monte Carlo", StringComparison.Ordinal) && r[5] == "numpy")[7].Should().EndWith("x");
        rows.Single(r => r[0].StartsWith("historical", StringComparison.Ordinal))[5].Should().Be("python loop");
    }

    [Fact]
    public void Bench_NegativeThreads_IsUsageError()
    {
        // Given/When a negative thread count
        var outcome = CliRunner.Run("bench", "--quick", "--threads", "-1");

        // Then it is a usage error
        outcome.ExitCode.Should().Be(2);
        outcome.Error.Should().Contain("--threads");
    }

    /// <summary>The cells of the Markdown-style table's lines, without the separator line.</summary>
    private static List<string[]> TableRows(string output) => output.Split('\n')
        .Where(l => l.StartsWith("| ", StringComparison.Ordinal))
        .Select(l => l.Trim('|', ' ').Split(" | ").Select(c => c.Trim()).ToArray())
        .ToList();
}
