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

    public static IReadOnlyList<string> Write(BacktestResult result, OutputDirectory output)
    {
        // The figures are independent pure renders: draw them on every core, then write them in a fixed order.
        var names = FileNames(result);
        List<Func<BacktestResult, byte[]>> renders = [Quotes, Inventory, PnlFan, Decomposition, Markouts];
        if (result.Strategies.Count > 1) renders.Add(Compare);
        var images = new byte[renders.Count][];
        Parallel.For(0, renders.Count, i => images[i] = renders[i](result));
        for (var i = 0; i < images.Length; i++) output.WriteBytes(names[i], images[i]);
        return names;
    }

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
        var fills = result.Strategies[0].Fills.Where(f => f.Path == 0).ToArray();
        var buys = fills.Where(f => f.Side > 0).ToArray();
        var sells = fills.Where(f => f.Side < 0).ToArray();
        if (buys.Length > 0) plot.AddScatter(buys.Select(f => f.Time).ToArray(), buys.Select(f => f.Price).ToArray(), $"{result.Strategies[0].Name} buys", Palette.Get(2), MarkerShape.Circle, 7);
        if (sells.Length > 0) plot.AddScatter(sells.Select(f => f.Time).ToArray(), sells.Select(f => f.Price).ToArray(), $"{result.Strategies[0].Name} sells", Palette.Get(3), MarkerShape.Square, 6);
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
            plot.AddBars(components, values.Select(v => v.Value).ToArray(), result.Strategies[s].Name, Palette.Get(s),
                values.Select(v => double.IsFinite(v.StandardError) ? v.StandardError : 0.0).ToArray());
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
            var samples = result.Strategies.Select(st => st.MarkoutSamples[k].Where(double.IsFinite).ToArray()).ToArray();
            var pooled = samples.SelectMany(x => x).ToArray();
            if (pooled.Length < 2 || pooled.Min() == pooled.Max()) continue;
            var edges = Edges(pooled.Min(), pooled.Max(), MarkoutBins);
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
            var sample = result.Strategies[s].Outcomes.Pnl.Where(double.IsFinite).ToArray();
            if (sample.Length > 1 && sample.Min() < sample.Max()) pnl.AddDensity(sample, names[s], Palette.Get(s));
        }
        var drawdown = figure[0, 1];
        drawdown.Title = "max drawdown (mean)";
        drawdown.AddBars(names, result.Strategies.Select(s => s.Metrics.MaxDrawdown.Value).ToArray(), "max drawdown", Palette.Get(0),
            result.Strategies.Select(s => s.Metrics.MaxDrawdown.StandardError).ToArray());
        var inventory = figure[0, 2];
        inventory.Title = "inventory";
        inventory.AddBars(names, result.Strategies.Select(s => s.Metrics.InventoryStd).ToArray(), "std(q)", Palette.Get(1));
        inventory.AddBars(names, result.Strategies.Select(s => s.Metrics.MaxAbsInventory).ToArray(), "max |q|", Palette.Get(2));
        var tail = figure[0, 3];
        tail.Title = "one-step tail loss";
        tail.AddBars(names, result.Strategies.Select(s => s.Metrics.Var95.Value).ToArray(), "VaR 95%", Palette.Get(3),
            result.Strategies.Select(s => s.Metrics.Var95.StandardError).ToArray());
        tail.AddBars(names, result.Strategies.Select(s => s.Metrics.Es95.Value).ToArray(), "ES 95%", Palette.Get(4),
            result.Strategies.Select(s => s.Metrics.Es95.StandardError).ToArray());
        return figure.RenderPng(2400, 800);
    }

    private const int MarkoutBins = 40;

    private static double[] Edges(double min, double max, int bins) =>
        Enumerable.Range(0, bins + 1).Select(i => min + (max - min) * i / bins).ToArray();

    private static double[] Density(double[] sample, double[] edges)
    {
        var bins = edges.Length - 1;
        var width = (edges[^1] - edges[0]) / bins;
        var counts = new double[bins];
        foreach (var v in sample) counts[Math.Clamp((int)((v - edges[0]) / width), 0, bins - 1)]++;
        return counts.Select(c => c / (sample.Length * width)).ToArray();
    }

    /// <summary>Times of the fan's rows: they are a subset of path 0's recorded steps.</summary>
    private static double[] FanTimes(FanSeries fan, PathSeries path0)
    {
        var time = new Dictionary<int, double>(path0.Step.Length);
        for (var i = 0; i < path0.Step.Length; i++) time[path0.Step[i]] = path0.Time[i];
        return fan.Step.Select(step => time.TryGetValue(step, out var t) ? t : double.NaN).ToArray();
    }
}
