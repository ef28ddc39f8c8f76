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

/// <summary>The sizes of one `bench` run: the full set (the issue's targets) or a few seconds' worth.</summary>
public sealed record BenchSizes(int Quotes, int MonteCarloPaths, int HistoricalRows, int CalibrationBins, bool Demo)
{
    public static readonly BenchSizes Full = new(10_000_000, 200_000, 10_000_000, 1_000_000, true);
    public static readonly BenchSizes Quick = new(1_000_000, 10_000, 100_000, 100_000, false);
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
            var all = MonteCarlo(scratch, cores, baseline);
            var simulationAll = _lastSimulation;
            rows.Add(all);
            if (cores > 1)
            {
                var one = MonteCarlo(scratch, 1, baseline: null);
                rows.Add(one);
                Notes.Add($"Monte Carlo scaling: {cores} threads give {(_lastSimulation / simulationAll).ToString("F2", CultureInfo.InvariantCulture)}x one thread's path-steps/s "
                    + $"in the simulation, {(all.Throughput / one.Throughput).ToString("F2", CultureInfo.InvariantCulture)}x with the reports.");
            }
            rows.Add(Historical(scratch, baseline));
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

    private BenchRow MonteCarlo(string scratch, int threadCount, string? baseline)
    {
        var paths = sizes.MonteCarloPaths;
        var setup = BacktestConfigLoader.Build(YamlConfig.Parse(PaperConfig, "<as2008>"), new BacktestOverrides { Paths = paths, Threads = threadCount });
        progress.WriteLine($"bench: paper Monte Carlo, {paths} paths, {threadCount} thread(s)...");
        var (seconds, cpu) = Time(() => WriteBacktest(setup, Path.Combine(scratch, "mc")));
        double? baseSeconds = baseline is null ? null : RunBaseline(baseline, ["0.1", paths.ToString(CultureInfo.InvariantCulture)], "seconds=");
        return new BenchRow($"paper Monte Carlo, gamma 0.1, {threadCount} thread(s), with reports", $"{Count(paths)} paths x 200 x 2", 2.0 * paths * 200, "path-steps",
            seconds, cpu, baseSeconds is null ? null : "numpy", baseSeconds);
    }

    private BenchRow Historical(string scratch, string? baseline)
    {
        var rows = sizes.HistoricalRows;
        var file = Path.Combine(scratch, "mid.csv");
        WriteRandomWalk(file, rows);
        progress.WriteLine($"bench: historical replay, {rows} rows...");
        // Timed from the loader on: its validating pass over the CSV, the replay, the loop and the reports.
        var (seconds, cpu) = Time(() => WriteBacktest(
            BacktestConfigLoader.Build(YamlConfig.Parse(PaperConfig, "<as2008>"),
                new BacktestOverrides { Mid = file, Paths = 1, Compare = [], TimeseriesEvery = Math.Max(1, rows / 10_000) }),
            Path.Combine(scratch, "hist")));
        double? baseSeconds = baseline is null ? null : RunBaseline(baseline, ["0.1", rows.ToString(CultureInfo.InvariantCulture), "--loop"], "seconds=");
        return new BenchRow("historical mid CSV, one path, with reports", $"{Count(rows)} rows", rows, "steps", seconds, cpu,
            baseSeconds is null ? null : "python loop", baseSeconds);
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
        var start = new ProcessStartInfo(python!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start);
        if (process is null) return null;
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = stderr.Result;
        return process.ExitCode == 0 ? text : null;
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
