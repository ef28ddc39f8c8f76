using MarketMaking.Charts;
using MarketMaking.Core.Scenarios;

namespace MarketMaking.Reports.Scenarios;

/// <summary>The sweep's figures, small multiples with one panel per regime and one colour per γ (seed 001, section 3.1).</summary>
public static class ScenarioCharts
{
    public const string QuotesPng = "scenarios_quotes.png";
    public const string PnlPng = "scenarios_pnl.png";
    public const string InventoryPng = "scenarios_inventory.png";
    public const string VarPng = "scenarios_var.png";
    public const string MarkoutsPng = "scenarios_markouts.png";
    public const string CriterionPng = "scenarios_criterion.png";

    public static readonly IReadOnlyList<(string File, string Caption)> Captions =
    [
        (QuotesPng, "quotes around the mid on path 0 (the same mid for every γ of a regime): bid − mid and ask − mid per γ"),
        (PnlPng, "marked-to-market P&L over time across paths: median and 5–95% band per γ"),
        (InventoryPng, "inventory over time across paths: median and 5–95% band per γ"),
        (VarPng, "one-step P&L VaR 95% and 99% per γ (± 1 batch-means s.e.)"),
        (MarkoutsPng, "per-fill markout distribution per γ"),
        (CriterionPng, "mean-variance utility over regime × γ, coloured within each regime (best = 1), values in the cells"),
    ];

    public static void Write(ScenarioAnalysis analysis, OutputDirectory output)
    {
        Func<byte[]>[] renderers =
        [
            () => Quotes(analysis),
            () => Bands(analysis, c => c.PnlFan, "Marked-to-market P&L across paths: median and 5–95% per γ", "P&L"),
            () => Bands(analysis, c => c.InventoryFan, "Inventory across paths: median and 5–95% per γ", "inventory q"),
            () => Var(analysis),
            () => Markouts(analysis),
            () => Criterion(analysis),
        ];
        // Each figure renders on its own (same bytes whatever the order); files are written in a fixed order.
        var images = new byte[renderers.Length][];
        Parallel.For(0, renderers.Length, i => images[i] = renderers[i]());
        for (var i = 0; i < images.Length; i++) output.WriteBytes(Captions[i].File, images[i]);
    }

    private static string GammaLabel(double gamma) => $"γ = {Text.Sig(gamma)}";

    /// <summary>Panels in a grid of up to 3 columns; unused panels stay blank.</summary>
    private static (Figure Figure, Plot[] Panels) Panels(ScenarioAnalysis analysis, string title)
    {
        var n = analysis.Grid.Regimes.Count;
        var columns = n <= 3 ? n : n == 4 ? 2 : 3;
        var rows = (n + columns - 1) / columns;
        var figure = new Figure(rows, columns) { Title = title };
        var panels = new Plot[n];
        for (var r = 0; r < n; r++)
        {
            panels[r] = figure[r / columns, r % columns];
            var regime = analysis.Grid.Regimes[r];
            panels[r].Title = $"{regime.Name} (μ = {Text.Sig(regime.Drift)}, σ = {Text.Sig(regime.Sigma)})";
        }
        return (figure, panels);
    }

    private static byte[] Render(Figure figure) => figure.RenderPng(Math.Max(1600, 800 * figure.Columns), 120 + (620 * figure.Rows));

    public static byte[] Quotes(ScenarioAnalysis analysis)
    {
        var (figure, panels) = Panels(analysis, "Quotes around the mid, path 0: ask − mid above, bid − mid below, per γ");
        for (var r = 0; r < panels.Length; r++)
        {
            var panel = panels[r];
            panel.XLabel = "time";
            panel.YLabel = "quote − mid";
            var cells = ScenarioReport.RegimeCells(analysis, r).ToArray();
            // The last row (the horizon) has no quotes.
            double[] Offset(double[] quote, ScenarioCellResult cell) => quote[..^1].Select((q, i) => q - cell.Path0Mid[i]).ToArray();
            // Bands widest first, so the narrower ones stay visible on top; lines and legend in γ order.
            foreach (var (cell, g) in cells.Select((c, g) => (c, g)).Reverse())
            {
                panel.AddBand(cell.Path0Time[..^1], Offset(cell.Path0Bid, cell), Offset(cell.Path0Ask, cell), null, Palette.Get(g), 0.12);
            }
            foreach (var (cell, g) in cells.Select((c, g) => (c, g)))
            {
                panel.AddLine(cell.Path0Time[..^1], Offset(cell.Path0Ask, cell), GammaLabel(cell.Gamma), Palette.Get(g), 2);
                panel.AddLine(cell.Path0Time[..^1], Offset(cell.Path0Bid, cell), null, Palette.Get(g), 2);
            }
            panel.AddHorizontalLine(0, "mid", Palette.Get(6), LinePattern.Solid, 1);
        }
        return Render(figure);
    }

    private static byte[] Bands(ScenarioAnalysis analysis, Func<ScenarioCellResult, double[][]> fan, string title, string yLabel)
    {
        var (figure, panels) = Panels(analysis, title);
        for (var r = 0; r < panels.Length; r++)
        {
            var panel = panels[r];
            panel.XLabel = "time";
            panel.YLabel = yLabel;
            var cells = ScenarioReport.RegimeCells(analysis, r).ToArray();
            foreach (var (cell, g) in cells.Select((c, g) => (c, g)))
            {
                var values = fan(cell);
                panel.AddBand(cell.FanTime, values[0], values[4], null, Palette.Get(g), 0.15);
                panel.AddLine(cell.FanTime, values[2], GammaLabel(cell.Gamma), Palette.Get(g), 2.5);
            }
        }
        return Render(figure);
    }

    public static byte[] Var(ScenarioAnalysis analysis)
    {
        var (figure, panels) = Panels(analysis, "One-step P&L value at risk per γ (a positive loss)");
        for (var r = 0; r < panels.Length; r++)
        {
            var panel = panels[r];
            panel.YLabel = "VaR";
            var cells = ScenarioReport.RegimeCells(analysis, r).ToArray();
            var categories = cells.Select(c => GammaLabel(c.Gamma)).ToArray();
            panel.AddBars(categories, cells.Select(c => c.Metrics.Var95).ToArray(), "VaR 95%", Palette.Get(0), cells.Select(c => Finite(c.Metrics.Var95Se)).ToArray());
            panel.AddBars(categories, cells.Select(c => c.Metrics.Var99).ToArray(), "VaR 99%", Palette.Get(1), cells.Select(c => Finite(c.Metrics.Var99Se)).ToArray());
        }
        return Render(figure);
    }

    /// <summary>
    /// Densities from the stored quantiles (0, 1, …, 100 %): the CDF is linear between them, so the density on a shared
    /// bin is the probability between its edges over its width. The x range is the pooled 1–99 % range of the panel.
    /// </summary>
    public static byte[] Markouts(ScenarioAnalysis analysis)
    {
        var horizon = analysis.Cells[0].Metrics.MarkoutHorizon;
        var (figure, panels) = Panels(analysis, $"Markout per fill and unit, side·(S(t+{horizon}) − price), per γ");
        for (var r = 0; r < panels.Length; r++)
        {
            var panel = panels[r];
            panel.XLabel = "markout";
            panel.YLabel = "density";
            var cells = ScenarioReport.RegimeCells(analysis, r).Where(c => c.MarkoutQuantiles.All(double.IsFinite)).ToArray();
            if (cells.Length == 0) continue;
            var min = cells.Min(c => c.MarkoutQuantiles[1]);
            var max = cells.Max(c => c.MarkoutQuantiles[^2]);
            if (!(max > min)) continue;
            const int bins = 60;
            var width = (max - min) / bins;
            var centres = Enumerable.Range(0, bins).Select(b => min + ((b + 0.5) * width)).ToArray();
            foreach (var cell in ScenarioReport.RegimeCells(analysis, r).Select((c, g) => (c, g)).Where(x => cells.Contains(x.c)))
            {
                var density = centres.Select(x => (Cdf(cell.c.MarkoutQuantiles, x + (width / 2)) - Cdf(cell.c.MarkoutQuantiles, x - (width / 2))) / width).ToArray();
                panel.AddLine(centres, density, GammaLabel(cell.c.Gamma), Palette.Get(cell.g), 2.5);
            }
            panel.AddVerticalLine(0, color: Palette.Get(6));
        }
        return Render(figure);
    }

    /// <summary>The CDF at x from quantiles at probabilities 0, 1/100, …, 1, linear in between (flat steps collapse to a jump).</summary>
    private static double Cdf(double[] quantiles, double x)
    {
        var n = quantiles.Length - 1;
        if (x <= quantiles[0]) return 0;
        if (x >= quantiles[n]) return 1;
        var i = 0;
        while (i < n && quantiles[i + 1] <= x) i++;
        var span = quantiles[i + 1] - quantiles[i];
        var within = span > 0 ? (x - quantiles[i]) / span : 0;
        return (i + within) / n;
    }

    public static byte[] Criterion(ScenarioAnalysis analysis)
    {
        var grid = analysis.Grid;
        var values = new double[grid.Regimes.Count, grid.Gammas.Count];
        var plot = new Plot
        {
            Title = $"Mean-variance utility: profit mean − 0.5·{Text.Sig(grid.Lambda)}·variance, scaled within each regime",
            XLabel = "γ column: " + string.Join(", ", grid.Gammas.Select((g, i) => $"{i} = {Text.Sig(g)}")),
            YLabel = "regime row",
        };
        var labels = new List<(int Row, int Column, string Text, bool Best)>();
        for (var r = 0; r < grid.Regimes.Count; r++)
        {
            var row = Enumerable.Range(0, grid.Gammas.Count).Select(g => analysis.Criteria[(r * grid.Gammas.Count) + g].Utility.Value).ToArray();
            var low = row.Min();
            var high = row.Max();
            for (var g = 0; g < row.Length; g++)
            {
                values[r, g] = high > low ? (row[g] - low) / (high - low) : 1;
                var best = analysis.BestByUtility[r].BestCell == (r * grid.Gammas.Count) + g;
                labels.Add((r, g, $"{grid.Regimes[r].Name}, {GammaLabel(grid.Gammas[g])}: {Text.Sig(row[g], 4)}{(best ? " best" : "")}", best));
            }
        }
        plot.AddHeatmap(values, Enumerable.Range(0, grid.Gammas.Count).Select(g => (double)g).ToArray(), Enumerable.Range(0, grid.Regimes.Count).Select(r => (double)r).ToArray(),
            "utility scaled per regime (best = 1)");
        // Labels after the heatmap so they are drawn on top (the renderer gives text a light halo).
        foreach (var (r, g, text, best) in labels)
        {
            plot.AddMarker(g - 0.4, r, text, Color.Black, best ? MarkerShape.Diamond : MarkerShape.Circle, best ? 12 : 4);
        }
        return plot.RenderPng(1800, 260 + (170 * grid.Regimes.Count));
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0.0;
}
