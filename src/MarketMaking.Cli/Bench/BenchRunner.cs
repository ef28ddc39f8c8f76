using System.Diagnostics;
using System.Globalization;
using System.Text;
using MarketMaking.Core.Backtest;
using MarketMaking.Core.Calibration;
using MarketMaking.Core.Demo;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Quoting;
using MarketMaking.Core.Scenarios;
using MarketMaking.Data.Config;
using MarketMaking.Data.Yaml;
using MarketMaking.Reports;
using MarketMaking.Reports.Backtest;
using MarketMaking.Reports.Bench;
using MarketMaking.Reports.Demo;
using MarketMaking.Reports.Scenarios;

namespace MarketMaking.Cli.Bench;

/// <summary>
/// The sizes of one `bench` run: the full set (the issue's targets) or a few seconds' worth. <paramref name="ProcessPaths"/>:
/// the Monte Carlo sizes also timed as a whole `mm-engine backtest` process, each the best of <paramref name="ProcessRuns"/> cold runs;
/// the in-process Monte Carlo rows are the best of <paramref name="InProcessRuns"/> rounds (each thread count once a round).
/// </summary>
public sealed record BenchSizes(int Quotes, int MonteCarloPaths, int HistoricalRows, int CalibrationBins, bool Demo, int[] ProcessPaths, int ProcessRuns, int InProcessRuns)
{
    // Nine in-process rounds (about 5 s): the scaling note's ratio of two bests swung between 1.6x and 2.3x over
    // three rounds on this machine, whose speed drifts within seconds.
    public static readonly BenchSizes Full = new(10_000_000, 200_000, 10_000_000, 1_000_000, true, [100_000, 200_000], 3, 9);
    public static readonly BenchSizes Quick = new(1_000_000, 10_000, 100_000, 100_000, false, [10_000], 1, 1);
}

/// <summary>
/// Runs the end-to-end workloads in this process, each as its verb would (Core run, then every report written to a
/// scratch directory), and, where a python with numpy is found, the numpy baseline on the same work.
/// </summary>
public sealed class BenchRunner(BenchSizes sizes, string? python, int threads, TextWriter progress, CancellationToken cancel)
{
    /// <summary>Avellaneda &amp; Stoikov (2008), section 4, as config/as2008.yaml has it (the tool may run without that file).</summary>
    private const string PaperConfig = """
        market: { process: binomial, s0: 100, sigma: 2.0, drift: 0.0, dt: 0.005, horizon: 1.0 }
        intensity: { model: exponential, A: 140, k: 1.5 }
        fills: linear
        strategy: { name: avellaneda-stoikov, gamma: 0.1 }
        compare: [symmetric]
        markout_horizons: [1, 10, 50]
        seed: 1
        """;

    public List<string> Notes { get; } = [];

    public IReadOnlyList<BenchRow> Run()
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"mm-engine-bench-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            var baseline = FindBaseline(scratch);
            WarmUp(scratch);
            var rows = new List<BenchRow> { Quoting() };
            var cores = threads > 0 ? threads : Environment.ProcessorCount;
            var (monteCarlo, roundRatio) = MonteCarlo(scratch, cores > 1 ? [cores, 1] : [cores], baseline);
            var all = monteCarlo[0];
            rows.Add(all.Row);
            rows.AddRange(WholeProcess(scratch, baseline, all.Row));
            if (cores > 1)
            {
                var one = monteCarlo[1];
                rows.Add(one.Row);
                Notes.Add($"Monte Carlo scaling: {cores} threads give {(one.Simulation / all.Simulation).ToString("F2", CultureInfo.InvariantCulture)}x one thread's path-steps/s "
                    + $"in the simulation, {(all.Row.Throughput / one.Row.Throughput).ToString("F2", CultureInfo.InvariantCulture)}x with the reports "
                    + $"(best of {Math.Max(1, sizes.InProcessRuns).ToString(CultureInfo.InvariantCulture)} runs each, the thread counts taking turns; "
                    + $"the median of the rounds' own ratios: {roundRatio.ToString("F2", CultureInfo.InvariantCulture)}x in the simulation).");
            }
            rows.AddRange(Historical(scratch, baseline));
            rows.Add(Calibration());
            if (sizes.Demo) rows.Add(Demo(scratch));
            if (sizes.Demo && File.Exists(ScenariosConfig)) rows.Add(Scenarios(scratch));
            return rows;
        }
        finally
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
                // A scratch directory left in /tmp is harmless.
            }
        }
    }

    /// <summary>
    /// Small runs of the same code first, untimed, so that the figures are the steady state rather than the JIT's
    /// first compilation (a one-off run's start-up is measured by timing the process: see the README).
    /// </summary>
    private void WarmUp(string scratch)
    {
        var setup = BacktestConfigLoader.Build(YamlConfig.Parse(PaperConfig, "<as2008>"), new BacktestOverrides { Paths = 1_100 });
        WriteBacktest(setup, Path.Combine(scratch, "warm-mc"));
        // And once at the timed size: the tiered compiler replaces the precompiled chunk driver and recorders with
        // optimised versions only after they have run a while, which a first large run would otherwise pay for.
        WriteBacktest(BacktestConfigLoader.Build(YamlConfig.Parse(PaperConfig, "<as2008>"), new BacktestOverrides { Paths = sizes.MonteCarloPaths }),
            Path.Combine(scratch, "warm-mc"));
        var file = Path.Combine(scratch, "warm.csv");
        WriteRandomWalk(file, 5_000);
        WriteBacktest(BacktestConfigLoader.Build(YamlConfig.Parse(PaperConfig, "<as2008>"), new BacktestOverrides { Mid = file, Paths = 1, Compare = [] }),
            Path.Combine(scratch, "warm-hist"));
    }

    private BenchRow Quoting()
    {
        var n = sizes.Quotes;
        var sum = 0.0;
        var (seconds, cpu) = Time(() =>
        {
            for (var i = 0; i < n; i++)
            {
                var tau = 1.0 - (i % 200) * 0.005;
                var r = AvellanedaStoikov.ReservationPrice(100.0, i % 11 - 5, 0.1, 2.0, tau);
                sum += r + AvellanedaStoikov.OptimalHalfSpread(0.1, 1.5, 2.0, tau);
            }
        });
        GC.KeepAlive(sum);
        return new BenchRow("A-S quote (reservation + half-spread)", Count(n), n, "quotes", seconds, cpu);
    }

    /// <summary>
    /// The paper Monte Carlo in process at each of <paramref name="threadCounts"/>: the best of
    /// <see cref="BenchSizes.InProcessRuns"/> rounds, after the warm-up's run at this size, each round running every
    /// thread count once (every other round in reverse order), so that they are compared in the same steady state and the
    /// same conditions (this machine's speed drifts within seconds); with the numpy baseline on the first row, and the
    /// median over the rounds of the first count's simulation speed against the last's (1 where there is one count).
    /// </summary>
    private (List<(BenchRow Row, double Simulation)> Rows, double RoundRatio) MonteCarlo(string scratch, int[] threadCounts, string? baseline)
    {
        var paths = sizes.MonteCarloPaths;
        var setups = new BacktestSetup[threadCounts.Length];
        var best = new (double Seconds, double Cpu, double Simulation)[threadCounts.Length];
        for (var t = 0; t < threadCounts.Length; t++)
        {
            setups[t] = BacktestConfigLoader.Build(YamlConfig.Parse(PaperConfig, "<as2008>"), new BacktestOverrides { Paths = paths, Threads = threadCounts[t] });
            best[t] = (double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity);
        }
        progress.WriteLine($"bench: paper Monte Carlo, {paths} paths, {string.Join(" and ", threadCounts)} thread(s)...");
        var rounds = Math.Max(1, sizes.InProcessRuns);
        var roundRatios = new double[rounds];
        for (var run = 0; run < rounds; run++)
        {
            var simulation = new double[threadCounts.Length];
            // Every other round in reverse order, so that neither count always runs after the other's reports.
            for (var turn = 0; turn < threadCounts.Length; turn++)
            {
                var t = run % 2 == 0 ? turn : threadCounts.Length - 1 - turn;
                var timed = Time(() => WriteBacktest(setups[t], Path.Combine(scratch, "mc")));
                if (timed.Seconds < best[t].Seconds) (best[t].Seconds, best[t].Cpu) = timed;
                simulation[t] = _lastSimulation;
                best[t].Simulation = Math.Min(best[t].Simulation, _lastSimulation);
            }
            roundRatios[run] = simulation[^1] / simulation[0];
        }
        double? baseSeconds = baseline is null ? null : RunBaseline(baseline, ["0.1", paths.ToString(CultureInfo.InvariantCulture)], "seconds=");
        var rows = new List<(BenchRow, double)>();
        for (var t = 0; t < threadCounts.Length; t++)
        {
            var compared = t == 0 && baseSeconds is not null;
            rows.Add((new BenchRow($"paper Monte Carlo, gamma 0.1, {threadCounts[t]} thread(s), with reports", $"{Count(paths)} paths x 200 x 2", 2.0 * paths * 200,
                "path-steps", best[t].Seconds, best[t].Cpu, compared ? "numpy" : null, compared ? baseSeconds : null), best[t].Simulation));
        }
        return (rows, MathNet.Numerics.Statistics.Statistics.Median(roundRatios));
    }

    /// <summary>
    /// The paper Monte Carlo as the issue's targets count it: this tool run as a child process (`backtest --config
    /// &lt;paper config&gt; --paths N --out DIR`), timed from spawn to exit, so start-up, JIT, config loading and report
    /// writing are all in; the numpy baseline on the same N beside it.
    /// </summary>
    private List<BenchRow> WholeProcess(string scratch, string? baseline, BenchRow inProcess)
    {
        var rows = new List<BenchRow>();
        if (ToolCommand() is not { } tool)
        {
            Notes.Add("Whole process skipped: this tool's own assembly file is not known (single-file build).");
            return rows;
        }
        var config = PaperConfigFile(scratch);
        foreach (var paths in sizes.ProcessPaths)
        {
            var count = paths.ToString(CultureInfo.InvariantCulture);
            progress.WriteLine($"bench: paper Monte Carlo, {count} paths, whole process...");
            if (BestProcess(tool, ["backtest", "--config", config, "--paths", count, "--out", Path.Combine(scratch, "process")]) is not { } best) return rows;
            // The in-process row already ran numpy on its own size: the same figure, not a second run.
            double? baseSeconds = paths == sizes.MonteCarloPaths ? inProcess.BaselineSeconds
                : baseline is null ? null : RunBaseline(baseline, ["0.1", count], "seconds=");
            rows.Add(new BenchRow("paper Monte Carlo, gamma 0.1, whole process (mm-engine backtest, start-up and reports)", $"{Count(paths)} paths x 200 x 2",
                2.0 * paths * 200, "path-steps", best.Seconds, best.Cpu, baseSeconds is null ? null : "numpy", baseSeconds));
        }
        Notes.Add($"Whole process: `{tool.Display} backtest --config <as2008> --paths N --out DIR` as a child process, spawn to exit, best of "
            + $"{sizes.ProcessRuns.ToString(CultureInfo.InvariantCulture)} cold run(s); its ratio is the issue's target (>= 10x numpy at 2e5 paths, >= 5x at 1e5).");
        return rows;
    }

    private static string PaperConfigFile(string scratch)
    {
        var config = Path.Combine(scratch, "as2008.yaml");
        if (!File.Exists(config)) File.WriteAllText(config, PaperConfig);
        return config;
    }

    /// <summary>
    /// The best (shortest) of <see cref="BenchSizes.ProcessRuns"/> cold runs of this tool with <paramref name="args"/>
    /// (plus --quiet and the bench's --threads), spawn to exit, with the CPU it took; null, and a note, if a run fails.
    /// </summary>
    private (double Seconds, double Cpu)? BestProcess((string FileName, string[] Prefix, string Display) tool, string[] args)
    {
        string[] all = [.. tool.Prefix, .. args, "--quiet", .. threads > 0 ? new[] { "--threads", threads.ToString(CultureInfo.InvariantCulture) } : []];
        (double Seconds, double Cpu)? best = null;
        for (var run = 0; run < sizes.ProcessRuns; run++)
        {
            cancel.ThrowIfCancellationRequested();
            var cpuBefore = ChildrenCpuSeconds();
            var clock = Stopwatch.StartNew();
            var outcome = RunChild(tool.FileName, all);
            var seconds = clock.Elapsed.TotalSeconds;
            if (outcome.ExitCode != 0)
            {
                Notes.Add($"Whole process skipped: `{tool.Display} {args[0]}` exited with {outcome.ExitCode.ToString(CultureInfo.InvariantCulture)}: {FirstLine(outcome.Error)}");
                return null;
            }
            if (best is null || seconds < best.Value.Seconds) best = (seconds, ChildrenCpuSeconds() - cpuBefore);
        }
        return best;
    }

    /// <summary>This tool as a command: the executable that runs now when it is the tool's own, else `dotnet mm-engine.dll`.</summary>
    internal static (string FileName, string[] Prefix, string Display)? ToolCommand()
    {
        var assembly = typeof(BenchRunner).Assembly.Location;
        if (assembly.Length == 0) return null;
        var process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == Path.GetFileNameWithoutExtension(assembly))
        {
            return (process, [], Path.GetFileName(process));
        }
        // Started by the dotnet host (`dotnet mm-engine.dll`, or a test host): start the same assembly the same way.
        var dotnet = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return (dotnet, [assembly], $"dotnet {Path.GetFileName(assembly)}");
    }

    /// <summary>
    /// CPU seconds (user + system) of this process's finished and waited-for children, from /proc/self/stat (cutime,
    /// cstime); NaN where there is no /proc.
    /// </summary>
    internal static double ChildrenCpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            // Fields after the command name (which may hold spaces), counted from field 3 (state): cutime is field 16, cstime 17.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            const double ticksPerSecond = 100; // USER_HZ, 100 on every Linux ABI .NET runs on
            return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / ticksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    /// <summary>
    /// The one-path history of the issue's target: a 10^7-row mid CSV replayed in this process (the loader's validating
    /// pass, the replay, the reports), then as a whole `mm-engine backtest --mid` process; and the same number of steps
    /// on a binomial mid without any file (simulation only: the plain Python loop's own work). The Python loop once, for all three.
    /// </summary>
    private List<BenchRow> Historical(string scratch, string? baseline)
    {
        var rows = sizes.HistoricalRows;
        var count = rows.ToString(CultureInfo.InvariantCulture);
        var file = Path.Combine(scratch, "mid.csv");
        WriteRandomWalk(file, rows);
        var every = Math.Max(1, rows / 10_000);
        progress.WriteLine($"bench: historical replay, {rows} rows...");
        var (seconds, cpu) = Time(() => WriteBacktest(
            BacktestConfigLoader.Build(YamlConfig.Parse(PaperConfig, "<as2008>"), new BacktestOverrides { Mid = file, Paths = 1, Compare = [], TimeseriesEvery = every }),
            Path.Combine(scratch, "hist")));
        double? baseSeconds = baseline is null ? null : RunBaseline(baseline, ["0.1", count, "--loop"], "seconds=");
        string? baselineName = baseSeconds is null ? null : "python loop";
        var result = new List<BenchRow>
        {
            new("historical mid CSV, one path, with reports", $"{Count(rows)} rows", rows, "steps", seconds, cpu, baselineName, baseSeconds),
        };
        if (ToolCommand() is { } tool)
        {
            progress.WriteLine($"bench: historical replay, {rows} rows, whole process...");
            if (BestProcess(tool, ["backtest", "--config", PaperConfigFile(scratch), "--mid", file, "--paths", "1", "--compare", "", "--timeseries-every",
                    every.ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(scratch, "hist-process")]) is { } best)
            {
                result.Add(new BenchRow("historical mid CSV, one path, whole process (mm-engine backtest --mid)", $"{Count(rows)} rows", rows, "steps",
                    best.Seconds, best.Cpu, baselineName, baseSeconds));
            }
        }
        progress.WriteLine($"bench: one path, {rows} steps, binomial mid...");
        var loop = BacktestConfigLoader.Build(YamlConfig.Parse(PaperConfig.Replace("horizon: 1.0", "horizon: " + (rows * 0.005).ToString("R", CultureInfo.InvariantCulture)), "<as2008>"),
            new BacktestOverrides { Paths = 1, Compare = [], TimeseriesEvery = every });
        var (loopSeconds, loopCpu) = Time(() => Backtester.Run(loop.Spec, cancel));
        result.Add(new BenchRow("one path, binomial mid, simulation only (the Python loop's work)", $"{Count(rows)} steps", rows, "steps", loopSeconds, loopCpu,
            baselineName, baseSeconds));
        return result;
    }

    private BenchRow Calibration()
    {
        var n = sizes.CalibrationBins;
        var deltas = Enumerable.Range(0, n).Select(i => 0.001 + 3.0 * i / n).ToArray();
        var bins = SyntheticArrivals.Generate(new ExponentialIntensity(140, 1.5), deltas, 0.01, seed: 1);
        progress.WriteLine($"bench: calibration, {n} bins...");
        var (seconds, cpu) = Time(() => PoissonIntensityMle.FitExponential(bins));
        return new BenchRow("calibration, exponential MLE", $"{Count(n)} bins", n, "bins", seconds, cpu);
    }

    private BenchRow Demo(string scratch)
    {
        progress.WriteLine("bench: demo...");
        var (seconds, cpu) = Time(() =>
        {
            var result = DemoPipeline.Run(new DemoSettings(1), cancel);
            using var output = OutputDirectory.Begin(Path.Combine(scratch, "demo"));
            DemoReport.Write(result, output);
            output.Commit();
        });
        return new BenchRow("demo (calibrate, backtest, equilibrium, every report)", "1 run", 1, "runs", seconds, cpu);
    }

    /// <summary>The scenarios verb's default grid, when run from the repository (its config is not shipped in the tool).</summary>
    private const string ScenariosConfig = "config/scenarios.yaml";

    private BenchRow Scenarios(string scratch)
    {
        progress.WriteLine($"bench: scenarios, {ScenariosConfig}...");
        var cellCount = 0;
        var (seconds, cpu) = Time(() =>
        {
            var setup = ScenarioConfigLoader.Load(ScenariosConfig, new ScenarioOverrides());
            var cells = ScenarioSweep.Run(setup.Spec, null, cancel);
            cellCount = cells.Count;
            var analysis = ScenarioAnalysis.Analyse(ScenarioSweep.Grid(setup.Spec), cells);
            using var output = OutputDirectory.Begin(Path.Combine(scratch, "scenarios"));
            ScenarioReport.Write(analysis, setup.Settings, output);
            output.Commit();
        });
        return new BenchRow("scenarios default grid, with reports", $"{cellCount} cells", cellCount, "cells", seconds, cpu);
    }

    /// <summary>Seconds of the last backtest's simulation alone (Backtester.Run, without the reports).</summary>
    private double _lastSimulation;

    private void WriteBacktest(BacktestSetup setup, string target)
    {
        var clock = Stopwatch.StartNew();
        var result = Backtester.Run(setup.Spec, cancel);
        var run = clock.Elapsed.TotalSeconds;
        _lastSimulation = run;
        using var output = OutputDirectory.Begin(target);
        BacktestReport.Write(result, setup.Settings, output);
        output.Commit();
        progress.WriteLine($"bench:   simulation {run.ToString("F3", CultureInfo.InvariantCulture)} s, reports {(clock.Elapsed.TotalSeconds - run).ToString("F3", CultureInfo.InvariantCulture)} s");
    }

    /// <summary>A ±0.01 random walk from 100, two decimals, as a `mid` column.</summary>
    private static void WriteRandomWalk(string file, int rows)
    {
        var rng = new MarketMaking.Core.Random.Xoshiro256StarStar(1);
        using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("mid\n");
        var ticks = 10_000L;
        Span<char> text = stackalloc char[32];
        for (var i = 0; i < rows; i++)
        {
            ((double)ticks / 100).TryFormat(text, out var length, "F2", CultureInfo.InvariantCulture);
            writer.Write(text[..length]);
            writer.Write('\n');
            ticks += rng.NextDouble() < 0.5 ? 1 : -1;
        }
    }

    /// <summary>The baseline script beside a python that imports numpy, or null (and a note saying why).</summary>
    private string? FindBaseline(string scratch)
    {
        if (python is null || !File.Exists(python))
        {
            Notes.Add($"Baseline skipped: no python at {python ?? "(none)"}.");
            return null;
        }
        var script = Path.Combine(scratch, "numpy_baseline.py");
        using (var resource = typeof(BenchRunner).Assembly.GetManifestResourceStream("MarketMaking.Cli.Bench.numpy_baseline.py")
            ?? throw new InvalidOperationException("numpy_baseline.py is not embedded"))
        using (var file = File.Create(script))
        {
            resource.CopyTo(file);
        }
        if (Python(["-c", "import numpy"]) is null)
        {
            Notes.Add($"Baseline skipped: {python} cannot import numpy.");
            return null;
        }
        Notes.Add($"Baselines: numpy_baseline.py (the Python a desk would write) run by {python} on the same work, timed by itself (no start-up); ours include reports.");
        return script;
    }

    private double? RunBaseline(string script, string[] args, string key)
    {
        var output = Python([script, .. args]);
        var at = output?.LastIndexOf(key, StringComparison.Ordinal) ?? -1;
        if (output is null || at < 0) return null;
        var value = output[(at + key.Length)..].Split(' ', '\n')[0];
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
    }

    private string? Python(string[] args)
    {
        var outcome = RunChild(python!, args);
        return outcome.ExitCode == 0 ? outcome.Output : null;
    }

    private sealed record ChildOutcome(int ExitCode, string Output, string Error);

    /// <summary>Runs a program to its end, its output captured; exit code -1 when it could not be started.</summary>
    private ChildOutcome RunChild(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ChildOutcome(-1, "", $"cannot start {file}: {e.Message}");
        }
        using var process = started;
        if (process is null) return new ChildOutcome(-1, "", $"cannot start {file}");
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new ChildOutcome(process.ExitCode, text, stderr.Result);
    }

    private static (double Seconds, double Cpu) Time(Action work)
    {
        var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        work();
        clock.Stop();
        self.Refresh();
        return (clock.Elapsed.TotalSeconds, (self.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static string Count(int n) => n switch
    {
        >= 1_000_000 when n % 1_000_000 == 0 => $"{n / 1_000_000}M",
        >= 1_000 when n % 1_000 == 0 => $"{n / 1_000}k",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };
}
