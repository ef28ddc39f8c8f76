using MarketMaking.Charts;
using MarketMaking.Core.Game;

namespace MarketMaking.Reports.Equilibrium;

/// <summary>
/// The equilibrium charts: best_response.png (curves with the grid equilibria marked), payoff_heatmap.png (two makers),
/// sensitivity_&lt;parameter&gt;.png, dynamics.png and pnl_distribution.png. Returns the file names written.
/// </summary>
public static class EquilibriumCharts
{
    public static IReadOnlyList<string> Write(EquilibriumResult result, OutputDirectory output)
    {
        var written = new List<string>();
        void Save(string name, byte[] png)
        {
            output.WriteBytes(name, png);
            written.Add(name);
        }

        Save("best_response.png", BestResponses(result));
        if (result.Surface is not null) Save("payoff_heatmap.png", Heatmap(result));
        foreach (var sweep in result.Sensitivity) Save($"sensitivity_{sweep.Parameter.Key()}.png", SensitivityChart(result, sweep));
        if (result.Dynamics.Count > 0) Save("dynamics.png", DynamicsChart(result));
        if (result.MonteCarlo is not null) Save("pnl_distribution.png", PnlChart(result, result.MonteCarlo));
        return written;
    }

    /// <summary>
    /// Two makers: x = desk's half-spread, y = rival's; the desk's curve is (BR_desk(s_rival), s_rival), the rival's
    /// (s_desk, BR_rival(s_desk)); they cross at the equilibria. N makers: each maker's best response against every
    /// rival quoting x, with the diagonal (symmetric equilibria sit on it).
    /// </summary>
    public static byte[] BestResponses(EquilibriumResult result)
    {
        var game = result.Game;
        var curves = result.BestResponses;
        var plot = new Plot { Title = "Best responses on the tick grid" };
        if (game.N == 2)
        {
            plot.XLabel = $"{game.Players[0].Name} half-spread";
            plot.YLabel = $"{game.Players[1].Name} half-spread";
            plot.AddLine(curves[0].Lowest, curves[0].RivalHalfSpreads, $"{game.Players[0].Name}'s best response to {game.Players[1].Name}", Palette.Get(0), 2.5);
            plot.AddLine(curves[1].RivalHalfSpreads, curves[1].Lowest, $"{game.Players[1].Name}'s best response to {game.Players[0].Name}", Palette.Get(1), 2.5);
            foreach (var eq in result.Solved.Grid.Equilibria.Take(20))
            {
                plot.AddMarker(eq.HalfSpreads[0], eq.HalfSpreads[1], "");
            }
            if (result.Solved.Grid.Equilibria.Count > 0)
            {
                var first = result.Solved.Grid.Equilibria[0];
                plot.AddMarker(first.HalfSpreads[0], first.HalfSpreads[1], $"equilibrium ({Text.Sig(first.HalfSpreads[0])}, {Text.Sig(first.HalfSpreads[1])})");
            }
        }
        else
        {
            plot.XLabel = "every rival's half-spread";
            plot.YLabel = "best response";
            for (var i = 0; i < curves.Count; i++)
            {
                plot.AddLine(curves[i].RivalHalfSpreads, curves[i].Lowest, game.Players[i].Name, Palette.Get(i), 2.5);
            }
            plot.AddLine(curves[0].RivalHalfSpreads, curves[0].RivalHalfSpreads, "diagonal", new Color(120, 120, 120), 1.5, LinePattern.Dotted);
        }
        plot.Legend = LegendLocation.UpperLeft;
        return plot.RenderPng();
    }

    /// <summary>The desk's payoff rate over (desk, rival) half-spreads, equilibria marked.</summary>
    public static byte[] Heatmap(EquilibriumResult result)
    {
        var surface = result.Surface!;
        var n = surface.Axis.Count;
        // Rows go up the y axis: row = rival's quote, column = desk's.
        var values = new double[n, n];
        for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) values[j, i] = surface.Desk[i, j];
        var game = result.Game;
        var plot = new Plot
        {
            Title = $"{game.Players[0].Name}'s payoff rate π",
            XLabel = $"{game.Players[0].Name} half-spread",
            YLabel = $"{game.Players[1].Name} half-spread",
        };
        plot.AddHeatmap(values, surface.Axis, surface.Axis, "π per unit time");
        foreach (var eq in result.Solved.Grid.Equilibria.Take(20))
        {
            plot.AddMarker(eq.HalfSpreads[0], eq.HalfSpreads[1], "", new Color(255, 255, 255));
        }
        return plot.RenderPng(1200, 1000);
    }

    /// <summary>Half-spreads (left) and payoffs (right) against the swept value; with several equilibria, the tightest.</summary>
    public static byte[] SensitivityChart(EquilibriumResult result, SensitivityResult sweep)
    {
        var game = result.Game;
        var figure = new Figure(1, 2) { Title = $"Equilibrium as {sweep.Parameter.Key()} varies (others fixed)" };
        var spreads = figure[0, 0];
        var payoffs = figure[0, 1];
        spreads.XLabel = payoffs.XLabel = sweep.Parameter.Key();
        spreads.YLabel = "equilibrium half-spread";
        payoffs.YLabel = "payoff rate π";
        var xs = sweep.Points.Select(p => p.Value).ToArray();
        for (var i = 0; i < game.N; i++)
        {
            var player = i;
            var tightest = sweep.Points.Select(p => p.HalfSpreads.Count == 0 ? -1 : Enumerable.Range(0, p.HalfSpreads.Count).MinBy(e => p.HalfSpreads[e].Sum())).ToArray();
            var s = sweep.Points.Select((p, k) => tightest[k] < 0 ? double.NaN : p.HalfSpreads[tightest[k]][player]).ToArray();
            var pi = sweep.Points.Select((p, k) => tightest[k] < 0 ? double.NaN : p.Payoffs[tightest[k]][player]).ToArray();
            spreads.AddLine(xs, s, game.Players[i].Name, Palette.Get(i), 2.5, null, MarkerShape.Circle);
            payoffs.AddLine(xs, pi, game.Players[i].Name, Palette.Get(i), 2.5, null, MarkerShape.Circle);
        }
        spreads.Legend = LegendLocation.UpperLeft;
        payoffs.Legend = LegendLocation.UpperLeft;
        return figure.RenderPng();
    }

    /// <summary>Each maker's half-spread per round under both learning rules, the reference equilibrium as dashed lines.</summary>
    public static byte[] DynamicsChart(EquilibriumResult result)
    {
        var game = result.Game;
        var plot = new Plot { Title = "Repeated play: half-spreads by round", XLabel = "round", YLabel = "half-spread" };
        var patterns = new[] { LinePattern.Solid, LinePattern.Dashed };
        foreach (var (path, r) in result.Dynamics.Select((p, r) => (p, r)))
        {
            var rounds = path.Rounds.Select(x => (double)x.Round).ToArray();
            for (var i = 0; i < game.N; i++)
            {
                var player = i;
                plot.AddLine(rounds, path.Rounds.Select(x => x.HalfSpreads[player]).ToArray(),
                    $"{game.Players[i].Name}, {EquilibriumReport.RuleName(path.Rule).Replace('_', ' ')}", Palette.Get(i), 2, patterns[r % 2]);
            }
        }
        if (result.Solved.ReferenceHalfSpreads is { } reference)
        {
            foreach (var s in reference.Distinct()) plot.AddHorizontalLine(s, null, new Color(90, 90, 90), LinePattern.Dotted);
        }
        plot.Legend = LegendLocation.UpperRight;
        return plot.RenderPng();
    }

    /// <summary>Histogram of each maker's realised P&amp;L over the horizon, with its 5% quantile.</summary>
    public static byte[] PnlChart(EquilibriumResult result, PnlMonteCarloResult mc)
    {
        var plot = new Plot
        {
            Title = $"Realised P&L over a horizon of {Text.Num(mc.Settings.Horizon)} at the equilibrium quotes ({Text.Int(mc.Settings.Paths)} paths)",
            XLabel = "P&L",
            YLabel = "density",
        };
        for (var i = 0; i < mc.Makers.Count; i++)
        {
            plot.AddHistogram(mc.Samples[i], 0, mc.Makers[i].Player, Palette.Get(i), density: true);
            plot.AddVerticalLine(mc.Makers[i].Quantile05, $"{mc.Makers[i].Player} 5% quantile", Palette.Get(i));
        }
        plot.Legend = LegendLocation.UpperRight;
        return plot.RenderPng();
    }
}
