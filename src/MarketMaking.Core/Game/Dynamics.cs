namespace MarketMaking.Core.Game;

public enum LearningRule
{
    /// <summary>Every maker moves at once to its best response to the others' previous quotes.</summary>
    BestResponse,

    /// <summary>Every maker best-responds to the empirical distribution of the others' past quotes (Brown 1951).</summary>
    FictitiousPlay,
}

/// <summary>One round of repeated play.</summary>
/// <param name="Distance">Max-norm distance from the quotes to the nearest grid equilibrium (NaN when there is none).</param>
/// <param name="BeliefMean">Fictitious play: the mean of each maker's quotes so far (what the others believe on average); best-response dynamics: the quotes.</param>
public sealed record DynamicsRound(int Round, IReadOnlyList<double> HalfSpreads, IReadOnlyList<double> Payoffs, double Distance, IReadOnlyList<double> BeliefMean);

/// <param name="RoundsToTolerance">First round from which the quotes stay within <see cref="Tolerance"/> of an equilibrium to the end; null if they never settle.</param>
public sealed record DynamicsPath(LearningRule Rule, IReadOnlyList<DynamicsRound> Rounds, double Tolerance, int? RoundsToTolerance)
{
    public bool ReachedEquilibrium => RoundsToTolerance is not null;
    public double FinalDistance => Rounds[^1].Distance;
}

/// <summary>
/// Repeated play of the grid game. Ties are broken by inertia (a maker already best-responding stays put) and
/// otherwise by the tightest best response, so a path is deterministic.
/// Fictitious play keeps, for each maker, the running sum over past rounds of its payoff at every grid quote
/// against the others' quotes of that round, so each round costs O(N·n) whatever its number: with N &gt; 2 the
/// belief is the empirical joint distribution of the others' past quotes.
/// </summary>
public static class Dynamics
{
    public static DynamicsPath Run(SpreadGame game, SpreadGrid grid, IReadOnlyList<double> start, int rounds, LearningRule rule, IReadOnlyList<GridEquilibrium> equilibria, double? tolerance = null)
    {
        if (start.Count != game.N)
        {
            throw new InputException($"needs one half-spread per player ({game.N}), got {start.Count}", field: "dynamics.start");
        }
        for (var i = 0; i < start.Count; i++) Guard.InRange(start[i], 0, grid.MaxHalfSpread, $"dynamics.start[{i}]");
        Guard.AtLeast(rounds, 1, "dynamics.rounds");
        var tol = tolerance ?? grid.Tick * (1 + 1e-9);
        var n = grid.Count;
        var players = game.N;
        var idx = start.Select(grid.IndexOf).ToArray();
        var cumulative = new double[players][];
        for (var p = 0; p < players; p++) cumulative[p] = new double[n];
        var played = new double[players];
        var path = new List<DynamicsRound>(rounds + 1) { Round(game, grid, 0, idx, equilibria, idx.Select(i => grid[i]).ToArray()) };
        for (var p = 0; p < players; p++) played[p] += grid[idx[p]];
        var payoffTolerance = GridEquilibria.Tolerance(game, grid);

        for (var round = 1; round <= rounds; round++)
        {
            var profile = idx.Select(i => grid[i]).ToArray();
            var next = new int[players];
            for (var p = 0; p < players; p++)
            {
                double[] values;
                if (rule == LearningRule.BestResponse)
                {
                    values = new double[n];
                    var s = (double[])profile.Clone();
                    for (var k = 0; k < n; k++)
                    {
                        s[p] = grid[k];
                        values[k] = game.Payoff(p, s);
                    }
                }
                else
                {
                    // Add last round's others' quotes to the belief; the average payoff is the sum / rounds seen.
                    var s = (double[])profile.Clone();
                    for (var k = 0; k < n; k++)
                    {
                        s[p] = grid[k];
                        cumulative[p][k] += game.Payoff(p, s);
                    }
                    values = cumulative[p];
                }
                var scale = rule == LearningRule.FictitiousPlay ? round : 1;
                var (set, _) = GridEquilibria.ArgMaxSet(values, payoffTolerance * scale);
                next[p] = Array.BinarySearch(set, idx[p]) >= 0 ? idx[p] : set[0];
            }
            idx = next;
            for (var p = 0; p < players; p++) played[p] += grid[idx[p]];
            var belief = played.Select(v => v / (round + 1)).ToArray();
            path.Add(Round(game, grid, round, idx, equilibria, rule == LearningRule.FictitiousPlay ? belief : idx.Select(i => grid[i]).ToArray()));
        }

        int? settled = null;
        for (var r = path.Count - 1; r >= 0; r--)
        {
            if (path[r].Distance <= tol) settled = r;
            else break;
        }
        return new DynamicsPath(rule, path, tol, settled);
    }

    private static DynamicsRound Round(SpreadGame game, SpreadGrid grid, int round, int[] idx, IReadOnlyList<GridEquilibrium> equilibria, double[] belief)
    {
        var s = idx.Select(i => grid[i]).ToArray();
        var payoffs = new double[s.Length];
        game.Payoffs(s, payoffs);
        return new DynamicsRound(round, s, payoffs, Distance(s, equilibria), belief);
    }

    /// <summary>Max-norm distance from a profile to the nearest equilibrium in the list.</summary>
    public static double Distance(IReadOnlyList<double> profile, IReadOnlyList<GridEquilibrium> equilibria)
    {
        if (equilibria.Count == 0) return double.NaN;
        var best = double.PositiveInfinity;
        foreach (var eq in equilibria)
        {
            var d = 0.0;
            for (var i = 0; i < profile.Count; i++) d = Math.Max(d, Math.Abs(profile[i] - eq.HalfSpreads[i]));
            best = Math.Min(best, d);
        }
        return best;
    }
}
