using System.Text;
using MarketMaking.Core.Game;

namespace MarketMaking.Reports.Equilibrium;

/// <summary>
/// Writes everything <c>mm-engine equilibrium</c> reports: equilibria.csv, best_response.csv,
/// sensitivity_&lt;parameter&gt;.csv, dynamics.csv, monte_carlo.csv, equilibrium_report.md, and the charts
/// (<see cref="EquilibriumCharts"/>).
/// </summary>
public static class EquilibriumReport
{
    /// <summary>Grid equilibria beyond this many are in equilibria.csv but summarised in the Markdown.</summary>
    private const int MarkdownEquilibriaLimit = 12;

    public static void Write(EquilibriumResult result, OutputDirectory output)
    {
        output.WriteText("equilibria.csv", EquilibriaCsv(result));
        output.WriteText("best_response.csv", BestResponseCsv(result));
        foreach (var sweep in result.Sensitivity)
        {
            output.WriteText($"sensitivity_{sweep.Parameter.Key()}.csv", SensitivityCsv(result, sweep));
        }
        if (result.Dynamics.Count > 0) output.WriteText("dynamics.csv", DynamicsCsv(result));
        if (result.MonteCarlo is not null) output.WriteText("monte_carlo.csv", MonteCarloCsv(result.MonteCarlo));
        var charts = EquilibriumCharts.Write(result, output);
        output.WriteText("equilibrium_report.md", Markdown(result, charts));
    }

    /// <summary>
    /// equilibrium,player,half_spread,share,flow,payoff,kind,probability,source. One row per maker per equilibrium:
    /// grid equilibria (source grid), their continuum refinements (source continuum), and for mixed equilibria one
    /// row per support point with its probability (share and flow blank, payoff the expected payoff rate).
    /// </summary>
    public static string EquilibriaCsv(EquilibriumResult result)
    {
        var csv = new CsvBuilder("equilibrium", "player", "half_spread", "share", "flow", "payoff", "kind", "probability", "source");
        var players = result.Game.Players;
        var number = 0;
        foreach (var eq in result.Solved.Grid.Equilibria)
        {
            number++;
            for (var i = 0; i < players.Count; i++)
            {
                csv.Row(Text.Int(number), players[i].Name, Text.Num(eq.HalfSpreads[i]), Text.Num(eq.Shares[i]), Text.Num(eq.Flow), Text.Num(eq.Payoffs[i]), "pure", "", "grid");
            }
        }
        foreach (var eq in result.Solved.Refined)
        {
            number++;
            for (var i = 0; i < players.Count; i++)
            {
                csv.Row(Text.Int(number), players[i].Name, Text.Num(eq.HalfSpreads[i]), Text.Num(eq.Shares[i]), Text.Num(eq.Flow), Text.Num(eq.Payoffs[i]), "pure", "", "continuum");
            }
        }
        foreach (var eq in result.Solved.Mixed)
        {
            number++;
            for (var i = 0; i < eq.Supports.Count; i++)
            {
                foreach (var (spread, probability) in eq.Supports[i])
                {
                    csv.Row(Text.Int(number), players[i].Name, Text.Num(spread), "", "", Text.Num(eq.Payoffs[i]), "mixed", Text.Num(probability), "grid");
                }
            }
        }
        return csv.ToString();
    }

    /// <summary>player,rival_half_spread,best_response,best_response_max,payoff (N &gt; 2: every rival quoting rival_half_spread).</summary>
    public static string BestResponseCsv(EquilibriumResult result)
    {
        var csv = new CsvBuilder("player", "rival_half_spread", "best_response", "best_response_max", "payoff");
        foreach (var curve in result.BestResponses)
        {
            var name = result.Game.Players[curve.Player].Name;
            for (var k = 0; k < curve.RivalHalfSpreads.Count; k++)
            {
                csv.Row(name, Text.Num(curve.RivalHalfSpreads[k]), Text.Num(curve.Lowest[k]), Text.Num(curve.Highest[k]), Text.Num(curve.Payoffs[k]));
            }
        }
        return csv.ToString();
    }

    /// <summary>parameter,value,equilibrium,player,half_spread,share,payoff,kind,grid_equilibria,exhaustive.</summary>
    public static string SensitivityCsv(EquilibriumResult result, SensitivityResult sweep)
    {
        var csv = new CsvBuilder("parameter", "value", "equilibrium", "player", "half_spread", "share", "payoff", "kind", "grid_equilibria", "exhaustive");
        foreach (var point in sweep.Points)
        {
            if (point.HalfSpreads.Count == 0)
            {
                csv.Row(sweep.Parameter.Key(), Text.Num(point.Value), "", "", "", "", "", point.Kind, Text.Int(point.GridEquilibria), Text.Bool(point.Exhaustive));
            }
            for (var e = 0; e < point.HalfSpreads.Count; e++)
            {
                for (var i = 0; i < point.HalfSpreads[e].Count; i++)
                {
                    csv.Row(sweep.Parameter.Key(), Text.Num(point.Value), Text.Int(e + 1), result.Game.Players[i].Name, Text.Num(point.HalfSpreads[e][i]),
                        Text.Num(point.Shares[e][i]), Text.Num(point.Payoffs[e][i]), point.Kind, Text.Int(point.GridEquilibria), Text.Bool(point.Exhaustive));
                }
            }
        }
        return csv.ToString();
    }

    /// <summary>rule,round,player,half_spread,payoff,distance,belief_mean.</summary>
    public static string DynamicsCsv(EquilibriumResult result)
    {
        var csv = new CsvBuilder("rule", "round", "player", "half_spread", "payoff", "distance", "belief_mean");
        foreach (var path in result.Dynamics)
        {
            foreach (var round in path.Rounds)
            {
                for (var i = 0; i < round.HalfSpreads.Count; i++)
                {
                    csv.Row(RuleName(path.Rule), Text.Int(round.Round), result.Game.Players[i].Name, Text.Num(round.HalfSpreads[i]), Text.Num(round.Payoffs[i]),
                        Text.Num(round.Distance), Text.Num(round.BeliefMean[i]));
                }
            }
        }
        return csv.ToString();
    }

    /// <summary>player,half_spread,fill_rate,mean,std,quantile_05,expected_mean,expected_std,mean_fills.</summary>
    public static string MonteCarloCsv(PnlMonteCarloResult mc)
    {
        var csv = new CsvBuilder("player", "half_spread", "fill_rate", "mean", "std", "quantile_05", "expected_mean", "expected_std", "mean_fills");
        foreach (var m in mc.Makers)
        {
            csv.Row(m.Player, Text.Num(m.HalfSpread), Text.Num(m.FillRate), Text.Num(m.Mean), Text.Num(m.Std), Text.Num(m.Quantile05),
                Text.Num(m.ExpectedMean), Text.Num(m.ExpectedStd), Text.Num(m.MeanFills));
        }
        return csv.ToString();
    }

    public static string RuleName(LearningRule rule) => rule == LearningRule.BestResponse ? "best_response" : "fictitious_play";

    public static string Markdown(EquilibriumResult result, IReadOnlyList<string> charts)
    {
        var game = result.Game;
        var grid = result.Grid;
        var market = game.Market;
        var solved = result.Solved;
        var md = new StringBuilder();
        md.Append("# Equilibrium report\n\n");
        md.Append($"{game.N} market makers compete for order flow with symmetric half-spreads on a grid of {Text.Int(grid.Count)} ticks ")
          .Append($"(0 to {Text.Num(grid.MaxHalfSpread)} in steps of {Text.Num(grid.Tick)}); share model **{market.ShareModel.Name()}**.\n\n");

        md.Append("## Model\n\n");
        md.Append("- Marginal cost per fill: m_i = cost_i + γ_i·σ²·h + α·J (execution; inventory risk over the holding horizon; adverse selection).\n");
        md.Append(market.ShareModel == ShareModel.Logit
            ? "- Flow share (logit): w_i = e^(−β·s_i) / Σ_j e^(−β·s_j).\n"
            : "- Flow share (winner takes all): the lowest half-spread takes all the flow; ties split it equally.\n");
        md.Append("- Total flow: Λ(s) = Λ0·exp(−κ·Σ_j w_j·s_j).\n");
        md.Append("- Payoff rate: π_i = Λ(s)·w_i·(s_i − m_i).\n\n");
        var inputs = new MarkdownTable("parameter", "value:")
            .Row("σ (sigma)", Text.Num(market.Sigma)).Row("h (holding_horizon)", Text.Num(market.HoldingHorizon))
            .Row("Λ0 (arrival_rate)", Text.Num(market.ArrivalRate)).Row("κ (flow_elasticity)", Text.Num(market.FlowElasticity))
            .Row("β (share_elasticity)", market.ShareModel == ShareModel.Logit ? Text.Num(market.ShareElasticity) : "unused")
            .Row("α (informed_fraction)", Text.Num(market.InformedFraction)).Row("J (informed_move)", Text.Num(market.InformedMove));
        md.Append(inputs).Append('\n');
        var players = new MarkdownTable("player", "cost:", "risk aversion:", "m_i:");
        for (var i = 0; i < game.N; i++) players.Row(game.Players[i].Name, Text.Num(game.Players[i].Cost), Text.Num(game.Players[i].RiskAversion), Text.Sig(game.MarginalCosts[i], 6));
        md.Append(players).Append('\n');

        md.Append("## Method\n\n");
        md.Append($"- **Pure equilibria on the grid**: {solved.Grid.Method}. ")
          .Append(solved.Grid.Exhaustive ? "The list is complete.\n" : "The list may be incomplete.\n");
        md.Append($"  Ties count: a quote is a best response when its payoff is within {Text.Sig(GridEquilibria.RelativeTolerance)} × Λ0·(max half-spread + max m) of the best.\n");
        if (game.IsSmooth)
        {
            md.Append("- **Continuum refinement** (logit is smooth): from each grid equilibrium, Newton's method on the first-order conditions ")
              .Append("f_i = 1 − (s_i − m_i)·(β·(1 − w_i) + κ·w_i·(1 − β·(s_i − Σ_j w_j·s_j))) = 0 (∂π_i/∂s_i divided by Λ·w_i), ")
              .Append($"central-difference Jacobian, to ‖f‖∞ ≤ {Text.Sig(ContinuumEquilibrium.ResidualTolerance)}; each solution is checked to be a global best response against every grid quote.\n");
            md.Append("- **Stability**: spectral radius ρ of the best-response Jacobian ∂BR_i/∂s_j = −(∂f_i/∂s_j)/(∂f_i/∂s_i) (ρ < 1: simultaneous best responses converge locally), ")
              .Append("and simultaneous best-response iteration on the continuum from quotes 5% of the margin wider.\n");
        }
        if (solved.MixedMethod is not null) md.Append($"- **Mixed equilibria**: {solved.MixedMethod}.\n");
        md.Append('\n');

        md.Append("## Equilibria\n\n");
        var count = solved.Grid.Equilibria.Count;
        md.Append(count switch
        {
            0 => "No pure equilibrium on the grid.\n\n",
            1 => "One pure equilibrium on the grid.\n\n",
            _ => $"{Text.Int(count)} pure equilibria on the grid{(count > MarkdownEquilibriaLimit ? $" (the first {MarkdownEquilibriaLimit} shown; all in equilibria.csv)" : "")}.\n\n",
        });
        if (count > 0)
        {
            var table = new MarkdownTable(["#", .. game.Players.Select(p => p.Name + " s:"), .. game.Players.Select(p => p.Name + " share:"), "flow:", .. game.Players.Select(p => p.Name + " π:")]);
            foreach (var (eq, k) in solved.Grid.Equilibria.Take(MarkdownEquilibriaLimit).Select((e, k) => (e, k)))
            {
                table.Row([Text.Int(k + 1), .. eq.HalfSpreads.Select(Text.Num), .. eq.Shares.Select(v => Text.Sig(v)), Text.Sig(eq.Flow), .. eq.Payoffs.Select(v => Text.Sig(v))]);
            }
            md.Append(table).Append('\n');
        }
        if (solved.Refined.Count > 0)
        {
            md.Append("Refined on the continuum:\n\n");
            var table = new MarkdownTable(["#", .. game.Players.Select(p => p.Name + " s*:"), .. game.Players.Select(p => p.Name + " π:"), "residual:", "converged", "iterations:", "global best response", "ρ:", "BR iteration"]);
            foreach (var (eq, k) in solved.Refined.Select((e, k) => (e, k)))
            {
                table.Row([Text.Int(k + 1), .. eq.HalfSpreads.Select(v => Text.Sig(v, 10)), .. eq.Payoffs.Select(v => Text.Sig(v)), Text.Sig(eq.Residual), Text.Bool(eq.Outcome.Converged),
                    Text.Int(eq.Outcome.Iterations), Text.Bool(eq.GlobalBestResponse), eq.Stability is null ? "n/a" : Text.Sig(eq.Stability.SpectralRadius),
                    eq.Stability is null ? "n/a" : eq.Stability.IterationConverged ? $"converges ({Text.Int(eq.Stability.Iterations)} steps)" : "does not converge"]);
            }
            md.Append(table).Append('\n');
            foreach (var eq in solved.Refined.Where(r => r.Outcome.Boundary is not null)) md.Append($"Note: {eq.Outcome.Boundary}.\n\n");
        }
        if (solved.ClosedForm is { } closed)
        {
            md.Append("### Closed-form check\n\n");
            md.Append($"Symmetric logit makers: s* = m + N / ((N−1)·β + κ) = {Text.Sig(game.MarginalCosts[0], 10)} + {game.N} / ({game.N - 1}·{Text.Num(market.ShareElasticity)} + {Text.Num(market.FlowElasticity)}) = **{Text.Sig(closed.Predicted, 10)}**; ")
              .Append($"the solver found {string.Join(", ", closed.Solved.Select(v => Text.Sig(v, 10)))} (largest difference {Text.Sig(closed.MaxAbsDifference)}).\n\n");
        }
        if (solved.Mixed.Count > 0)
        {
            md.Append("### Mixed equilibria\n\n");
            md.Append($"Found by {solved.MixedMethod}.\n\n");
            var table = new MarkdownTable("#", "player", "support (half-spread: probability)", "expected π:", "best full-grid deviation gain:");
            foreach (var (eq, k) in solved.Mixed.Select((e, k) => (e, k)))
            {
                for (var i = 0; i < eq.Supports.Count; i++)
                {
                    table.Row(Text.Int(k + 1), game.Players[i].Name, string.Join("; ", eq.Supports[i].Select(t => $"{Text.Num(t.HalfSpread)}: {Text.Sig(t.Probability)}")),
                        Text.Sig(eq.Payoffs[i]), Text.Sig(eq.FullGridGain));
                }
            }
            md.Append(table).Append('\n');
        }

        md.Append("## Best responses\n\n");
        md.Append("best_response.csv lists each maker's best response (lowest and highest of a tied set) to every rival half-spread on the grid")
          .Append(game.N > 2 ? " (every rival quoting that half-spread)" : "").Append(". A sample:\n\n");
        var sample = new MarkdownTable(["rival half-spread:", .. game.Players.Select(p => p.Name + " best response:")]);
        var curve0 = result.BestResponses[0];
        foreach (var k in SampleIndices(grid.Count))
        {
            sample.Row([Text.Num(curve0.RivalHalfSpreads[k]), .. result.BestResponses.Select(c => c.Lowest[k] == c.Highest[k] ? Text.Num(c.Lowest[k]) : $"{Text.Num(c.Lowest[k])}–{Text.Num(c.Highest[k])}")]);
        }
        md.Append(sample).Append('\n');

        if (result.Sensitivity.Count > 0)
        {
            md.Append("## Sensitivity\n\n");
            md.Append("Each parameter swept with the others fixed; the equilibrium solved again at each value (continuum equilibrium for logit, every grid equilibrium otherwise).\n\n");
            foreach (var sweep in result.Sensitivity)
            {
                md.Append($"### {sweep.Parameter.Key()}\n\n");
                var table = new MarkdownTable(["value:", "equilibria:", .. game.Players.Select(p => p.Name + " s:"), .. game.Players.Select(p => p.Name + " π:")]);
                foreach (var point in sweep.Points)
                {
                    if (point.HalfSpreads.Count == 0)
                    {
                        table.Row([Text.Num(point.Value), "0", .. game.Players.Select(_ => "none"), .. game.Players.Select(_ => "")]);
                        continue;
                    }
                    var n = point.HalfSpreads.Count;
                    table.Row([Text.Num(point.Value), point.Kind == "continuum" ? "1 (continuum)" : Text.Int(n),
                        .. Enumerable.Range(0, game.N).Select(i => Range(point.HalfSpreads.Select(h => h[i]), 6)),
                        .. Enumerable.Range(0, game.N).Select(i => Range(point.Payoffs.Select(h => h[i]), 4))]);
                }
                md.Append(table).Append('\n');
            }
        }

        if (result.Dynamics.Count > 0)
        {
            md.Append("## Dynamics\n\n");
            var first = result.Dynamics[0];
            md.Append($"Repeated play from ({string.Join(", ", first.Rounds[0].HalfSpreads.Select(Text.Num))}) for {Text.Int(first.Rounds.Count - 1)} rounds. ")
              .Append("Best-response dynamics: every maker moves at once to its best response to the others' last quotes. ")
              .Append("Fictitious play: every maker best-responds to the empirical distribution of the others' past quotes. ")
              .Append($"Distance: max-norm to the nearest grid equilibrium; \"reached\" means within {Text.Num(first.Tolerance)} from that round to the end. Every round is in dynamics.csv.\n\n");
            var table = new MarkdownTable("rule", "reached", "rounds to tolerance:", "final quotes", "final distance:");
            foreach (var path in result.Dynamics)
            {
                table.Row(RuleName(path.Rule), Text.Bool(path.ReachedEquilibrium), path.RoundsToTolerance is int r ? Text.Int(r) : "never",
                    string.Join(", ", path.Rounds[^1].HalfSpreads.Select(Text.Num)), Text.Sig(path.FinalDistance));
            }
            md.Append(table).Append('\n');
        }

        if (result.MonteCarlo is { } mc)
        {
            md.Append("## Monte Carlo P&L at the equilibrium quotes\n\n");
            md.Append($"{Text.Int(mc.Settings.Paths)} paths over a horizon of {Text.Num(mc.Settings.Horizon)}, seed {mc.Settings.Seed}. ")
              .Append("Orders arrive as a Poisson process of rate Λ(s) and go to maker i with probability w_i. Each fill earns s_i − cost_i − γ_i·σ²·h ")
              .Append("(the inventory-risk charge, the certainty-equivalent cost of holding it), loses J when the order is informed (probability α), ")
              .Append("and is marked to market by the mid's move while held, σ·√h·Z. So the mean per fill is s_i − m_i and E[P&L] = π_i·T; the expected ")
              .Append("standard deviation is the compound-Poisson √(λ_i·T·E[X²]).\n\n");
            var table = new MarkdownTable("player", "half-spread:", "fills per unit time:", "mean P&L:", "std:", "5% quantile:", "expected mean:", "expected std:");
            foreach (var m in mc.Makers)
            {
                table.Row(m.Player, Text.Sig(m.HalfSpread, 8), Text.Sig(m.FillRate), Text.Sig(m.Mean), Text.Sig(m.Std), Text.Sig(m.Quantile05), Text.Sig(m.ExpectedMean), Text.Sig(m.ExpectedStd));
            }
            md.Append(table).Append('\n');
        }

        if (result.Guidance is { } g)
        {
            md.Append("## Decision guidance\n\n");
            var desk = game.Players[0].Name;
            var rivals = string.Join(", ", Enumerable.Range(1, game.N - 1).Select(i => $"{game.Players[i].Name} at {Text.Num(g.RivalHalfSpreads[i])}"));
            md.Append($"With {rivals}, {desk}'s best response is a half-spread of **{Text.Sig(g.BestResponseHalfSpread, 8)}**, ")
              .Append($"earning {Text.Sig(g.BestResponsePayoff)} per unit time with a {Text.Sig(100 * g.BestResponseShare, 3)}% share of the flow.");
            if (g.EquilibriumHalfSpread is double eqs)
            {
                md.Append($" Quoting its equilibrium half-spread {Text.Sig(eqs, 8)} instead would earn {Text.Sig(g.PayoffHoldingEquilibriumQuote!.Value)}; ")
                  .Append($"at the equilibrium itself (everyone at equilibrium quotes) it earns {Text.Sig(g.EquilibriumPayoff!.Value)}.");
                var tighter = g.BestResponseHalfSpread < eqs;
                md.Append(tighter
                    ? $" The rival is quoting tight, and {desk} should follow it in part (quote below its equilibrium spread) rather than hold out wide."
                    : g.BestResponseHalfSpread > eqs
                        ? $" The rival is quoting wide, and {desk} can afford to quote wider than its equilibrium spread."
                        : "");
            }
            md.Append("\n\n");
        }

        md.Append("## Assumptions and limits\n\n");
        md.Append("- Makers maximise the expected payoff rate with symmetric information about the model; a maker has no outside option (a quote that loses money on every fill is still compared with the others on the grid).\n");
        md.Append("- The grid search is exhaustive for two makers and for N makers while N·n^N ≤ 6·10^7; beyond that it verifies candidates and says so.\n");
        md.Append("- Lemke–Howson, when needed, runs on a grid coarsened to at most 101 points and finds some equilibria, not necessarily all; the report gives each one's best gain from a deviation on the full grid.\n");
        md.Append("- The Monte Carlo uses the tightest pure equilibrium when there are several (the refined continuum one for logit).\n");
        foreach (var note in result.Notes) md.Append($"- {note}.\n");
        md.Append('\n');

        if (charts.Count > 0)
        {
            md.Append("## Charts\n\n");
            foreach (var chart in charts) md.Append($"![{chart}]({chart})\n\n");
        }
        return md.ToString();
    }

    private static IEnumerable<int> SampleIndices(int n) =>
        new[] { 0, n / 20, n / 10, n / 5, n / 2, n - 1 }.Distinct().Order();

    private static string Range(IEnumerable<double> values, int digits)
    {
        var list = values.ToList();
        var min = list.Min();
        var max = list.Max();
        return min == max ? Text.Sig(min, digits) : $"{Text.Sig(min, digits)}–{Text.Sig(max, digits)}";
    }
}
