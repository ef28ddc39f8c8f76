namespace MarketMaking.Cli.Tests.Verbs;

/// <summary>`bench --quick`: the table's shape (never its timings, which depend on the machine and its load).</summary>
public class BenchVerbTests
{
    private static readonly string[] Workloads =
    [
        "A-S quote", "paper Monte Carlo, gamma 0.1, 2 thread(s)", "paper Monte Carlo, gamma 0.1, whole process", "paper Monte Carlo, gamma 0.1, 1 thread(s)",
        "historical mid CSV, one path, with reports", "historical mid CSV, one path, whole process", "one path, binomial mid", "calibration",
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
        // with the median of the rounds' own ratios, and how many rounds the best is of (--quick: one)
        outcome.Out.Should().MatchRegex(@"best of 1 runs each, the thread counts taking turns; the median of the rounds' own ratios: [0-9]+\.[0-9]{2}x in the simulation\)");
        // and the whole-process rows ran this tool as a child process on the same work as the in-process rows
        var whole = rows.Single(r => r[0].StartsWith("paper Monte Carlo", StringComparison.Ordinal) && r[0].Contains("whole process", StringComparison.Ordinal));
        whole[1].Should().Be(rows[2][1]);
        rows.Where(r => r[0].Contains("one path", StringComparison.Ordinal)).Select(r => r[1]).Should().Equal("100k rows", "100k rows", "100k steps");
        outcome.Out.Should().Contain("Whole process: `");
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
        var inProcess = rows.Single(r => r[0].StartsWith("paper Monte Carlo", StringComparison.Ordinal) && r[5] == "numpy" && !r[0].Contains("whole", StringComparison.Ordinal));
        inProcess[7].Should().EndWith("x");
        // the three one-path rows against the one Python loop run
        rows.Where(r => r[0].Contains("one path", StringComparison.Ordinal)).Should().HaveCount(3).And.OnlyContain(r => r[5] == "python loop" && r[7].EndsWith('x'))
            .And.Subject.Select(r => r[6]).Distinct().Should().ContainSingle();
        // and the whole-process row has its own ratio against the same numpy figure as the in-process row of its size
        var whole = rows.Single(r => r[0].StartsWith("paper Monte Carlo", StringComparison.Ordinal) && r[0].Contains("whole process", StringComparison.Ordinal));
        whole[5].Should().Be("numpy");
        whole[6].Should().Be(inProcess[6]);
        whole[7].Should().EndWith("x");
    }

    [Fact]
    public void ToolCommand_UnderTheTestHost_RunsTheToolsAssemblyThroughDotnet()
    {
        // Given this test process, which is not the mm-engine executable

        // When the bench asks how to start the tool
        var tool = MarketMaking.Cli.Bench.BenchRunner.ToolCommand();

        // Then it is `dotnet <path>/mm-engine.dll`, a file that exists beside its runtime configuration
        tool.Should().NotBeNull();
        tool!.Value.Prefix.Should().ContainSingle().Which.Should().EndWith("mm-engine.dll");
        File.Exists(tool.Value.Prefix[0]).Should().BeTrue();
        File.Exists(Path.ChangeExtension(tool.Value.Prefix[0], ".runtimeconfig.json")).Should().BeTrue();
        Path.GetFileNameWithoutExtension(tool.Value.FileName).Should().Be("dotnet");
    }

    [Fact]
    public void ChildrenCpuSeconds_AfterABusyChild_GrowsByItsCpuTime()
    {
        // Given Linux (the figure comes from /proc) and a shell that spins for a while
        if (!OperatingSystem.IsLinux() || !File.Exists("/bin/sh")) return;
        var before = MarketMaking.Cli.Bench.BenchRunner.ChildrenCpuSeconds();

        // When the child has run and been waited for
        using (var child = System.Diagnostics.Process.Start("/bin/sh", ["-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"]))
        {
            child.WaitForExit();
        }

        // Then this process's children's CPU time grew by a visible amount (the loop takes well over 0.05 s of CPU)
        var after = MarketMaking.Cli.Bench.BenchRunner.ChildrenCpuSeconds();
        double.IsFinite(before).Should().BeTrue();
        (after - before).Should().BeGreaterThan(0.05);
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
