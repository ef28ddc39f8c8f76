using System.Globalization;

namespace MarketMaking.Core.Game;

/// <summary>The symmetric-logit closed form against what the solver found.</summary>
public sealed record ClosedFormCheck(double Predicted, IReadOnlyList<double> Solved, double MaxAbsDifference);

/// <summary>A mixed equilibrium of the discretised two-maker game, as half-spread support points with probabilities.</summary>
/// <param name="Supports">Per maker, (half-spread, probability) for every support point.</param>
/// <param name="Payoffs">Expected payoff rates.</param>
/// <param name="GridPoints">Points per maker of the (possibly coarsened) grid the bimatrix was built on.</param>
/// <param name="FullGridGain">The most either maker could gain by deviating to any point of the full grid: 0 (to tolerance) means it is an equilibrium of the full grid game too.</param>
public sealed record MixedGridEquilibrium(IReadOnlyList<IReadOnlyList<(double HalfSpread, double Probability)>> Supports, IReadOnlyList<double> Payoffs, string Method, int GridPoints, double FullGridGain);

/// <summary>Everything known about the equilibria of one game.</summary>
public sealed record SolvedGame(
    GridSearchResult Grid,
    IReadOnlyList<RefinedEquilibrium> Refined,
    ClosedFormCheck? ClosedForm,
    IReadOnlyList<MixedGridEquilibrium> Mixed,
    string? MixedMethod)
{
    /// <summary>
    /// The equilibrium the Monte Carlo, guidance and sweeps use: the refined continuum equilibrium for logit,
    /// otherwise the grid equilibrium with the tightest quotes (the most competitive one; the conservative reading
    /// when there are several). Null when there is no pure equilibrium.
    /// </summary>
    public IReadOnlyList<double>? ReferenceHalfSpreads
    {
        get
        {
            var refined = Refined.FirstOrDefault(r => r.Outcome.Converged && r.GlobalBestResponse);
            if (refined is not null) return refined.HalfSpreads;
            return Grid.Equilibria.Count == 0 ? null : Grid.Equilibria.MinBy(e => e.HalfSpreads.Sum())!.HalfSpreads;
        }
    }
}

/// <summary>Finds the pure grid equilibria, refines them on the continuum, cross-checks the closed form and falls back to mixed equilibria.</summary>
public static class EquilibriumSolver
{
    /// <summary>Grids up to this size per maker go to support enumeration in full.</summary>
    public const int SupportEnumerationMaxPoints = 10;

    /// <summary>Larger grids are coarsened to at most this many points for Lemke–Howson.</summary>
    public const int LemkeHowsonMaxPoints = 101;

    public static SolvedGame Solve(SpreadGame game, SpreadGrid grid, bool withStability = true, IEnumerable<double[]>? extraStarts = null)
    {
        var search = GridEquilibria.Find(game, grid, extraStarts);
        var refined = new List<RefinedEquilibrium>();
        if (game.IsSmooth)
        {
            foreach (var eq in search.Equilibria)
            {
                // Interior only: a grid equilibrium at a margin ≤ 0 has no first-order condition to refine.
                if (Enumerable.Range(0, game.N).All(i => eq.HalfSpreads[i] > game.MarginalCosts[i]))
                {
                    refined.Add(ContinuumEquilibrium.Refine(game, grid, eq, withStability));
                    // Neighbouring grid equilibria refine to the same point: a handful is enough.
                    if (refined.Count >= 20) break;
                }
            }
            refined = Distinct(refined);
        }

        ClosedFormCheck? closed = null;
        if (game.IsSmooth && game.IsSymmetric && refined.Count > 0)
        {
            var predicted = GameFormulas.SymmetricLogitHalfSpread(game.MarginalCosts[0], game.N, game.Market.ShareElasticity, game.Market.FlowElasticity);
            var solved = refined[0].HalfSpreads;
            closed = new ClosedFormCheck(predicted, solved, solved.Max(s => Math.Abs(s - predicted)));
        }

        IReadOnlyList<MixedGridEquilibrium> mixed = [];
        string? mixedMethod = null;
        if (search.Equilibria.Count == 0 && game.N == 2)
        {
            (mixed, mixedMethod) = SolveMixed(game, grid);
        }
        return new SolvedGame(search, refined, closed, mixed, mixedMethod);
    }

    /// <summary>Mixed equilibria of the two-maker grid game: support enumeration when small, else Lemke–Howson on a coarsened grid.</summary>
    public static (IReadOnlyList<MixedGridEquilibrium> Equilibria, string Method) SolveMixed(SpreadGame game, SpreadGrid grid)
    {
        var n = grid.Count;
        var step = n <= LemkeHowsonMaxPoints ? 1 : (int)Math.Ceiling((n - 1) / (double)(LemkeHowsonMaxPoints - 1));
        var points = Enumerable.Range(0, (n - 1) / step + 1).Select(k => grid[k * step]).ToArray();
        var size = points.Length;
        var a = new double[size, size];
        var b = new double[size, size];
        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j < size; j++)
            {
                a[i, j] = game.TwoPlayerPayoff(0, points[i], points[j]);
                b[i, j] = game.TwoPlayerPayoff(1, points[j], points[i]);
            }
        }
        IReadOnlyList<MixedEquilibrium> found;
        string method;
        var where = step == 1
            ? $"the full {size.ToString(CultureInfo.InvariantCulture)}-point grid"
            : $"the grid coarsened to every {step.ToString(CultureInfo.InvariantCulture)}th tick ({size.ToString(CultureInfo.InvariantCulture)} points)";
        if (size <= SupportEnumerationMaxPoints)
        {
            found = MixedEquilibria.SupportEnumeration(a, b);
            method = $"{MixedEquilibria.SupportEnumerationName} on {where}: every equilibrium with equal-size supports";
        }
        else
        {
            // One path per dropped label, labels spread over both makers' strategies.
            var labels = Enumerable.Range(0, 8).Select(k => (int)((long)k * (2 * size - 1) / 7)).Distinct();
            found = MixedEquilibria.LemkeHowson(a, b, labels);
            method = $"{MixedEquilibria.LemkeHowsonName} on {where}, 8 dropped labels spread over both makers: finds some equilibria, not necessarily all";
        }
        var result = found.Select(eq => ToGrid(game, grid, points, eq)).ToList();
        return (result, method);
    }

    private static MixedGridEquilibrium ToGrid(SpreadGame game, SpreadGrid grid, double[] points, MixedEquilibrium eq)
    {
        var supports = new List<IReadOnlyList<(double, double)>>
        {
            points.Select((p, k) => (p, eq.RowStrategy[k])).Where(t => t.Item2 > 1e-12).ToList(),
            points.Select((p, k) => (p, eq.ColumnStrategy[k])).Where(t => t.Item2 > 1e-12).ToList(),
        };
        // Largest gain from a deviation to any full-grid quote, against the other's mixture.
        var gain = 0.0;
        for (var player = 0; player < 2; player++)
        {
            var other = supports[1 - player];
            var own = player == 0 ? eq.RowPayoff : eq.ColumnPayoff;
            for (var k = 0; k < grid.Count; k++)
            {
                var v = 0.0;
                foreach (var (s, p) in other) v += p * game.TwoPlayerPayoff(player, grid[k], s);
                gain = Math.Max(gain, v - own);
            }
        }
        return new MixedGridEquilibrium(supports, [eq.RowPayoff, eq.ColumnPayoff], eq.Method, points.Length, gain);
    }

    private static List<RefinedEquilibrium> Distinct(List<RefinedEquilibrium> refined)
    {
        var result = new List<RefinedEquilibrium>();
        foreach (var r in refined)
        {
            var duplicate = result.Any(q => q.Outcome.Converged && r.Outcome.Converged &&
                Enumerable.Range(0, r.HalfSpreads.Count).All(i => Math.Abs(q.HalfSpreads[i] - r.HalfSpreads[i]) <= 1e-8));
            if (!duplicate) result.Add(r);
        }
        return result;
    }
}
