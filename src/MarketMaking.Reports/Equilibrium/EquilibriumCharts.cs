using MarketMaking.Core.Game;

namespace MarketMaking.Reports.Equilibrium;

/// <summary>
/// The equilibrium charts. MarketMaking.Charts (the project's PNG renderer) was not on main when this was written,
/// so this writes nothing yet and the report lists no charts. To fill in, render from <see cref="EquilibriumResult"/>:
/// <list type="bullet">
/// <item>best_response.png — two makers: <c>BestResponses[0]</c> (x = rival half-spread, y = desk's best response) and
/// <c>BestResponses[1]</c> mirrored (x = its best response, y = rival), grid equilibria <c>Solved.Grid.Equilibria</c> marked.</item>
/// <item>payoff_heatmap.png — <c>Surface.Desk[i, j]</c> over (<c>Surface.Axis[i]</c> desk, <c>Surface.Axis[j]</c> rival), equilibria marked.</item>
/// <item>sensitivity_&lt;parameter&gt;.png — one per <c>Sensitivity</c> entry: each maker's half-spread (and payoff) against the value.</item>
/// <item>dynamics.png — each <c>Dynamics</c> path: half-spreads per round, one line per maker and rule, the equilibrium as a reference line.</item>
/// <item>pnl_distribution.png — histograms of <c>MonteCarlo.Samples[i]</c> per maker, the 5% quantile marked.</item>
/// </list>
/// Return the file names written; the Markdown report links them.
/// </summary>
public static class EquilibriumCharts
{
    public static IReadOnlyList<string> Write(EquilibriumResult result, OutputDirectory output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        return [];
    }
}
