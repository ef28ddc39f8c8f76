using MarketMaking.Charts;
using MarketMaking.Core.Backtest;

namespace MarketMaking.Reports.Backtest;

/// <summary>
/// The backtest's figures: quotes around the mid (path 0), inventory (path 0 and the 5–95% band across paths), the P&amp;L
/// fan across paths, the P&amp;L decomposition, and the per-fill markout distribution.
/// </summary>
public static class BacktestCharts
{
    public const string QuotesPng = "backtest_quotes.png";
    public const string InventoryPng = "backtest_inventory.png";
    public const string PnlFanPng = "backtest_pnl_fan.png";
    public const string DecompositionPng = "backtest_pnl_decomposition.png";
    public const string MarkoutsPng = "backtest_markouts.png";
    public const string ComparePng = "backtest_compare.png";

    public static IReadOnlyList<string> FileNames(BacktestResult result) =>
        result.Strategies.Count > 1 ? [QuotesPng, InventoryPng, PnlFanPng, DecompositionPng, MarkoutsPng, ComparePng] : [QuotesPng, InventoryPng, PnlFanPng, DecompositionPng, MarkoutsPng];

    /// <summary>Every figure's name, the most expensive to draw first (the multi-panel figures, then the busiest plot).</summary>
    public static IReadOnlyList<string> LargestFirst { get; } = [ComparePng, MarkoutsPng, QuotesPng, InventoryPng, PnlFanPng, DecompositionPng];

    /// <summary>The figures' renderers, in the order of <see cref="FileNames"/>: independent pure functions of the result.</summary>
    public static IReadOnlyList<Func<BacktestResult, byte[]>> Renderers(BacktestResult result) =>
        result.Strategies.Count > 1 ? [Quotes, Inventory, PnlFan, Decomposition, Markouts, Compare] : [Quotes, Inventory, PnlFan, Decomposition, Markouts];

    public static byte[] Quotes(BacktestResult result)
    {
        var first = result.Strategies[0].Path0;
        var plot = new Plot { Title = "Quotes around the mid (path 0)", XLabel = "time", YLabel = "price" };
        plot.AddLine(first.Time, first.Mid, "mid", Palette.Get(6), 2);
        for (var s = 0; s < result.Strategies.Count; s++)
        {
            var strategy = result.Strategies[s];
            var pattern = s == 0 ? LinePattern.Solid : LinePattern.Dashed;
            plot.AddLine(strategy.Path0.Time, strategy.Path0.Bid, $"{strategy.Name} bid", Palette.Get(2 * s), 1.5, pattern);
            plot.AddLine(strategy.Path0.Time, strategy.Path0.Ask, $"{strategy.Name} ask", Palette.Get(2 * s + 1), 1.5, pattern);
        }
        var (buyTimes, buyPrices) = Path0Fills(result.Strategies[0].Fills, side: 1);
        var (sellTimes, sellPrices) = Path0Fills(result.Strategies[0].Fills, side: -1);
        if (buyTimes.Length > 0) plot.AddScatter(buyTimes, buyPrices, $"{result.Strategies[0].Name} buys", Palette.Get(2), MarkerShape.Circle, 7);
        if (sellTimes.Length > 0) plot.AddScatter(sellTimes, sellPrices, $"{result.Strategies[0].Name} sells", Palette.Get(3), MarkerShape.Square, 6);
        return plot.RenderPng();
    }

    public static byte[] Inventory(BacktestResult result)
    {
        var plot = new Plot
        {
            Title = $"Inventory: path 0, and 5–95% across the first {result.DistributionPaths} path(s)",
            XLabel = "time",
            YLabel = "inventory q",
        };
        for (var s = 0; s < result.Strategies.Count; s++)
        {
            var strategy = result.Strategies[s];
            var times = FanTimes(strategy.InventoryFan, strategy.Path0);
            plot.AddBand(times, strategy.InventoryFan.Values[0], strategy.InventoryFan.Values[4], $"{strategy.Name} 5–95%", Palette.Get(s), 0.2);
            plot.AddLine(strategy.Path0.Time, strategy.Path0.Inventory, $"{strategy.Name} path 0", Palette.Get(s), 2);
        }
        plot.AddHorizontalLine(0, color: Palette.Get(6));
        return plot.RenderPng();
    }

    public static byte[] PnlFan(BacktestResult result)
    {
        var plot = new Plot
        {
            Title = $"Marked-to-market P&L across the first {result.DistributionPaths} path(s): median, 25–75% and 5–95%",
            XLabel = "time",
            YLabel = "P&L",
        };
        for (var s = 0; s < result.Strategies.Count; s++)
        {
            var strategy = result.Strategies[s];
            var fan = strategy.PnlFan;
            var times = FanTimes(fan, strategy.Path0);
            plot.AddBand(times, fan.Values[0], fan.Values[4], $"{strategy.Name} 5–95%", Palette.Get(s), 0.15);
            plot.AddBand(times, fan.Values[1], fan.Values[3], $"{strategy.Name} 25–75%", Palette.Get(s), 0.3);
            plot.AddLine(times, fan.Values[2], $"{strategy.Name} median", Palette.Get(s), 2.5);
        }
        return plot.RenderPng();
    }

    public static byte[] Decomposition(BacktestResult result)
    {
        var h = result.Spec.MarkoutHorizons[0];
        string[] components = ["total P&L", "spread capture", "inventory P&L", $"adverse selection (h = {h})"];
        var plot = new Plot { Title = "P&L decomposition, mean per path ± 1 s.e.", YLabel = "per path" };
        for (var s = 0; s < result.Strategies.Count; s++)
        {
            var m = result.Strategies[s].Metrics;
            Estimate[] values = [m.Profit, m.SpreadCapture, m.InventoryPnl, m.AdverseSelection];
            var means = new double[values.Length];
            var errors = new double[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                means[i] = values[i].Value;
                errors[i] = double.IsFinite(values[i].StandardError) ? values[i].StandardError : 0.0;
            }

            plot.AddBars(components, means, result.Strategies[s].Name, Palette.Get(s), errors);
        }
        plot.AddHorizontalLine(0, color: Palette.Get(6), pattern: LinePattern.Solid, width: 1);
        return plot.RenderPng();
    }

    public static byte[] Markouts(BacktestResult result)
    {
        var horizons = result.Spec.MarkoutHorizons;
        var figure = new Figure(1, horizons.Count)
        {
            Title = $"Markout per fill and unit, side·(S(t+h) − price), fills of the first {result.DistributionPaths} path(s)",
        };
        for (var k = 0; k < horizons.Count; k++)
        {
            var panel = figure[0, k];
            panel.Title = $"h = {horizons[k]} step(s)";
            panel.XLabel = "markout";
            panel.YLabel = k == 0 ? "density" : null;
            // Shared bins over the pooled range, so the strategies' densities compare bar for bar.
            var samples = new double[result.Strategies.Count][];
            var pooled = 0;
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (var s = 0; s < samples.Length; s++)
            {
                samples[s] = Finite(result.Strategies[s].MarkoutSamples[k], out var low, out var high);
                pooled += samples[s].Length;
                if (low < min) min = low;
                if (high > max) max = high;
            }

            if (pooled < 2 || min == max) continue;
            var edges = Edges(min, max, MarkoutBins);
            for (var s = 0; s < samples.Length; s++)
            {
                if (samples[s].Length == 0) continue;
                panel.AddHistogram(edges, Density(samples[s], edges), result.Strategies[s].Name, Palette.Get(s));
            }
            panel.AddVerticalLine(0, color: Palette.Get(6));
        }
        return figure.RenderPng(Math.Max(1200, 600 * horizons.Count), 700);
    }

    /// <summary>Strategies side by side: terminal P&amp;L densities, max drawdown, inventory, tail risk (± 1 SE).</summary>
    public static byte[] Compare(BacktestResult result)
    {
        var names = result.Strategies.Select(s => s.Name).ToArray();
        var figure = new Figure(1, 4) { Title = "Strategies on the same paths" };
        var pnl = figure[0, 0];
        pnl.Title = "terminal P&L";
        pnl.XLabel = "P&L";
        pnl.YLabel = "density";
        for (var s = 0; s < names.Length; s++)
        {
            var sample = Finite(result.Strategies[s].Outcomes.Pnl, out var min, out var max);
            if (sample.Length > 1 && max > min) pnl.AddDensity(sample, names[s], Palette.Get(s));
        }
        var drawdown = figure[0, 1];
        drawdown.Title = "max drawdown (mean)";
        drawdown.AddBars(names, PerStrategy(result, m => m.MaxDrawdown.Value), "max drawdown", Palette.Get(0), PerStrategy(result, m => m.MaxDrawdown.StandardError));
        var inventory = figure[0, 2];
        inventory.Title = "inventory";
        inventory.AddBars(names, PerStrategy(result, m => m.InventoryStd), "std(q)", Palette.Get(1));
        inventory.AddBars(names, PerStrategy(result, m => m.MaxAbsInventory), "max |q|", Palette.Get(2));
        var tail = figure[0, 3];
        tail.Title = "one-step tail loss";
        tail.AddBars(names, PerStrategy(result, m => m.Var95.Value), "VaR 95%", Palette.Get(3), PerStrategy(result, m => m.Var95.StandardError));
        tail.AddBars(names, PerStrategy(result, m => m.Es95.Value), "ES 95%", Palette.Get(4), PerStrategy(result, m => m.Es95.StandardError));
        return figure.RenderPng(2400, 800);
    }

    private const int MarkoutBins = 40;

    // The helpers below are plain loops on purpose: LINQ and Dictionary over doubles and structs are compiled at
    // run time even in a ReadyToRun build, and in a one-shot report run that compilation cost more than the charts.
    // Per-sample min, max and clamp are comparisons: Math.Min/Max/Clamp are not inlined there (the samples are finite).

    private static double[] Edges(double min, double max, int bins)
    {
        var edges = new double[bins + 1];
        for (var i = 0; i <= bins; i++) edges[i] = min + (max - min) * i / bins;
        return edges;
    }

    private static double[] Density(double[] sample, double[] edges)
    {
        var bins = edges.Length - 1;
        var width = (edges[^1] - edges[0]) / bins;
        var counts = new double[bins];
        foreach (var v in sample)
        {
            var bin = (int)((v - edges[0]) / width);
            counts[bin < 0 ? 0 : bin > bins - 1 ? bins - 1 : bin]++;
        }
        for (var i = 0; i < bins; i++) counts[i] /= sample.Length * width;
        return counts;
    }

    /// <summary>Times of the fan's rows: they are a subset of path 0's recorded steps (both ascending).</summary>
    private static double[] FanTimes(FanSeries fan, PathSeries path0)
    {
        var times = new double[fan.Step.Length];
        for (var i = 0; i < times.Length; i++)
        {
            var row = RowOf(path0.Step, fan.Step[i]);
            times[i] = row >= 0 ? path0.Time[row] : double.NaN;
        }
        return times;
    }

    /// <summary>Index of <paramref name="step"/> in ascending <paramref name="steps"/>, or −1.</summary>
    internal static int RowOf(int[] steps, int step)
    {
        int lo = 0, hi = steps.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (steps[mid] == step) return mid;
            if (steps[mid] < step) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>
    /// The fills as a span: the list is an array (as the backtester makes it), and indexing a list of structs through its
    /// interface is compiled at run time.
    /// </summary>
    internal static ReadOnlySpan<FillRecord> Span(IReadOnlyList<FillRecord> fills) => fills is FillRecord[] array ? array : [.. fills];

    /// <summary>Times and prices of path 0's fills on one side, in record order.</summary>
    private static (double[] Times, double[] Prices) Path0Fills(IReadOnlyList<FillRecord> list, int side)
    {
        var fills = Span(list);
        var count = 0;
        for (var i = 0; i < fills.Length; i++) if (fills[i].Path == 0 && Math.Sign(fills[i].Side) == side) count++;
        var times = new double[count];
        var prices = new double[count];
        for (int i = 0, k = 0; i < fills.Length; i++)
        {
            var f = fills[i];
            if (f.Path != 0 || Math.Sign(f.Side) != side) continue;
            times[k] = f.Time;
            prices[k++] = f.Price;
        }
        return (times, prices);
    }

    /// <summary>
    /// The finite values (the array itself when all are) and their minimum and maximum (+∞ and −∞ when none), from the
    /// counting pass: the figures need both, and a separate pass for the range cost as much again over 2*10^5 paths.
    /// </summary>
    private static double[] Finite(double[] values, out double min, out double max)
    {
        min = double.PositiveInfinity;
        max = double.NegativeInfinity;
        var count = 0;
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) continue;
            count++;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (count == values.Length) return values;
        var finite = new double[count];
        var k = 0;
        foreach (var v in values) if (double.IsFinite(v)) finite[k++] = v;
        return finite;
    }

    private static double[] PerStrategy(BacktestResult result, Func<StrategyMetrics, double> metric)
    {
        var values = new double[result.Strategies.Count];
        for (var s = 0; s < values.Length; s++) values[s] = metric(result.Strategies[s].Metrics);
        return values;
    }
}
