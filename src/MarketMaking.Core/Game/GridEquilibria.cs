using System.Globalization;

namespace MarketMaking.Core.Game;

/// <summary>A pure equilibrium on the tick grid: every maker's half-spread is among its best responses to the others'.</summary>
public sealed record GridEquilibrium(IReadOnlyList<int> Indices, IReadOnlyList<double> HalfSpreads, IReadOnlyList<double> Shares, double Flow, IReadOnlyList<double> Payoffs);

/// <summary>For two makers: each maker's best-response set on the grid for every grid half-spread of the rival.</summary>
public sealed class TwoPlayerBestResponses
{
    internal TwoPlayerBestResponses(SpreadGrid grid, int[][][] sets, double[][] bestPayoffs)
    {
        Grid = grid;
        Sets = sets;
        BestPayoffs = bestPayoffs;
    }

    public SpreadGrid Grid { get; }

    /// <summary>Sets[player][rival index] = the grid indices (ascending) that are best responses, ties within tolerance included.</summary>
    public IReadOnlyList<int[][]> Sets { get; }

    /// <summary>BestPayoffs[player][rival index] = the best payoff against that rival quote.</summary>
    public IReadOnlyList<double[]> BestPayoffs { get; }
}

/// <summary>What the grid search did and found.</summary>
/// <param name="Exhaustive">True when every profile of the grid was covered, so the list is complete.</param>
/// <param name="Method">In words, for the report.</param>
public sealed record GridSearchResult(IReadOnlyList<GridEquilibrium> Equilibria, bool Exhaustive, string Method, long PayoffEvaluations, TwoPlayerBestResponses? BestResponses);

/// <summary>
/// Best responses and pure Nash equilibria on the tick grid.
/// <para>
/// Two makers: for each rival quote the best-response set of each maker is computed once (2·n² payoff evaluations);
/// a profile is an equilibrium iff each half-spread lies in the other's best-response set, which is then a lookup.
/// This is exhaustive: every equilibrium of the grid game is listed, however many there are.
/// N makers: exhaustive over all n^N profiles while N·n^N stays under <see cref="ExhaustiveBudget"/>; beyond that,
/// candidates (every symmetric profile, fixed points of best-response dynamics from spread-out starts, the
/// neighbourhood of the continuum solution) are each verified, and the result says it is not exhaustive.
/// </para>
/// "As good as the best" means within 1e-12 of <see cref="SpreadGame.PayoffScale"/>, so exact ties (winner-takes-all) count.
/// </summary>
public static class GridEquilibria
{
    public const double RelativeTolerance = 1e-12;
    public const long ExhaustiveBudget = 60_000_000;

    public static double Tolerance(SpreadGame game, SpreadGrid grid) => RelativeTolerance * game.PayoffScale(grid);

    /// <summary>Maker <paramref name="player"/>'s best-response set on the grid to the others' quotes in <paramref name="profile"/> (its own entry is ignored).</summary>
    public static (int[] Set, double BestPayoff) BestResponse(SpreadGame game, SpreadGrid grid, int player, ReadOnlySpan<double> profile)
    {
        var values = new double[grid.Count];
        var s = profile.ToArray();
        for (var k = 0; k < grid.Count; k++)
        {
            s[player] = grid[k];
            values[k] = game.Payoff(player, s);
        }
        return ArgMaxSet(values, Tolerance(game, grid));
    }

    public static GridSearchResult Find(SpreadGame game, SpreadGrid grid, IEnumerable<double[]>? extraStarts = null)
    {
        if (game.N == 2) return FindTwoPlayer(game, grid);
        var n = (double)grid.Count;
        if (game.N * Math.Pow(n, game.N) <= ExhaustiveBudget) return FindExhaustive(game, grid);
        return FindByCandidates(game, grid, extraStarts ?? []);
    }

    /// <summary>Two makers: best-response sets of both, then the profiles in both.</summary>
    public static TwoPlayerBestResponses BestResponses(SpreadGame game, SpreadGrid grid)
    {
        if (game.N != 2) throw new ArgumentException("best-response curves are computed for two makers", nameof(game));
        var n = grid.Count;
        var tolerance = Tolerance(game, grid);
        var sets = new int[2][][];
        var best = new double[2][];
        var values = grid.Values();
        // On a grid the share depends only on the index difference k − r: one table of 2n − 1 shares replaces an
        // exponential per profile, and with κ = 0 the inner loop has no transcendental call at all.
        var shareByDifference = new double[2 * n - 1];
        for (var d = -(n - 1); d <= n - 1; d++)
        {
            shareByDifference[d + n - 1] = game.Market.ShareModel == ShareModel.Logit
                ? GameFormulas.LogitShareOfTwo(d * grid.Tick, 0.0, game.Market.ShareElasticity)
                : d < 0 ? 1.0 : d > 0 ? 0.0 : 0.5;
        }
        var arrivalRate = game.Market.ArrivalRate;
        var kappa = game.Market.FlowElasticity;
        for (var p = 0; p < 2; p++)
        {
            var player = p;
            var marginalCost = game.MarginalCosts[p];
            sets[p] = new int[n][];
            best[p] = new double[n];
            // Rows are independent and each writes its own slot: the result does not depend on scheduling.
            Parallel.For(0, n, () => new double[n], (rival, _, row) =>
            {
                var other = values[rival];
                var offset = n - 1 - rival;
                for (var k = 0; k < n; k++)
                {
                    var w = shareByDifference[k + offset];
                    var flow = kappa == 0 ? arrivalRate : arrivalRate * Math.Exp(-kappa * (w * values[k] + (1 - w) * other));
                    row[k] = GameFormulas.Payoff(flow, w, values[k], marginalCost);
                }
                (sets[player][rival], best[player][rival]) = ArgMaxSet(row, tolerance);
                return row;
            }, _ => { });
        }
        return new TwoPlayerBestResponses(grid, sets, best);
    }

    private static GridSearchResult FindTwoPlayer(SpreadGame game, SpreadGrid grid)
    {
        var br = BestResponses(game, grid);
        var found = new List<GridEquilibrium>();
        var n = grid.Count;
        for (var k1 = 0; k1 < n; k1++)
        {
            foreach (var k0 in br.Sets[0][k1])
            {
                if (Array.BinarySearch(br.Sets[1][k0], k1) >= 0)
                {
                    found.Add(Describe(game, grid, [k0, k1]));
                }
            }
        }
        found.Sort(CompareByIndices);
        var evaluations = 2L * n * n;
        return new GridSearchResult(found, true,
            $"exhaustive: best-response sets of both makers for each of the {n.ToString(CultureInfo.InvariantCulture)} rival quotes ({evaluations.ToString(CultureInfo.InvariantCulture)} payoff evaluations); a profile is an equilibrium iff each quote is in the other's best-response set",
            evaluations, br);
    }

    private static GridSearchResult FindExhaustive(SpreadGame game, SpreadGrid grid)
    {
        var n = grid.Count;
        var players = game.N;
        var tolerance = Tolerance(game, grid);
        var others = (long)Math.Pow(n, players - 1);
        var found = new List<GridEquilibrium>();
        var gate = new object();
        long evaluations = 0;
        Parallel.For(0L, others, () => (Profile: new double[players], Values: new double[n], Count: 0L), (code, _, local) =>
        {
            // Decode the others' quotes (players 1..N−1) from the mixed-radix code.
            var idx = new int[players];
            var c = code;
            for (var p = 1; p < players; p++)
            {
                idx[p] = (int)(c % n);
                c /= n;
                local.Profile[p] = grid[idx[p]];
            }
            for (var k = 0; k < n; k++)
            {
                local.Profile[0] = grid[k];
                local.Values[k] = game.Payoff(0, local.Profile);
            }
            local.Count += n;
            var (set, _) = ArgMaxSet(local.Values, tolerance);
            foreach (var k0 in set)
            {
                idx[0] = k0;
                local.Profile[0] = grid[k0];
                var (isEquilibrium, used) = OthersBestRespond(game, grid, idx, tolerance, firstPlayer: 1);
                local.Count += used;
                if (isEquilibrium)
                {
                    var eq = Describe(game, grid, (int[])idx.Clone());
                    lock (gate) found.Add(eq);
                }
            }
            return local;
        }, local => Interlocked.Add(ref evaluations, local.Count));
        found.Sort(CompareByIndices);
        return new GridSearchResult(found, true,
            $"exhaustive over all {Math.Pow(n, players).ToString("0", CultureInfo.InvariantCulture)} profiles: maker 1's best-response set for every profile of the others, each candidate checked against every other maker's best response",
            evaluations, null);
    }

    private static GridSearchResult FindByCandidates(SpreadGame game, SpreadGrid grid, IEnumerable<double[]> extraStarts)
    {
        var n = grid.Count;
        var players = game.N;
        var tolerance = Tolerance(game, grid);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var found = new List<GridEquilibrium>();
        long evaluations = 0;

        void Consider(int[] idx)
        {
            var key = string.Join(',', idx);
            if (!seen.Add(key)) return;
            var (ok, used) = OthersBestRespond(game, grid, idx, tolerance, firstPlayer: 0);
            evaluations += used;
            if (ok) found.Add(Describe(game, grid, (int[])idx.Clone()));
        }

        // 1. Every symmetric profile.
        for (var k = 0; k < n; k++) Consider(Enumerable.Repeat(k, players).ToArray());

        // 2. Fixed points of sequential best-response dynamics from spread-out symmetric starts and any given starts.
        var starts = new List<int[]>();
        for (var j = 0; j <= 8; j++) starts.Add(Enumerable.Repeat((int)((long)(n - 1) * j / 8), players).ToArray());
        foreach (var s in extraStarts)
        {
            if (s.Length == players) starts.Add(s.Select(grid.IndexOf).ToArray());
        }
        foreach (var start in starts)
        {
            var idx = (int[])start.Clone();
            for (var round = 0; round < 500; round++)
            {
                var moved = false;
                for (var p = 0; p < players; p++)
                {
                    var (set, _) = BestResponse(game, grid, p, idx.Select(i => grid[i]).ToArray());
                    evaluations += n;
                    if (Array.BinarySearch(set, idx[p]) < 0)
                    {
                        idx[p] = set[0];
                        moved = true;
                    }
                }
                if (!moved)
                {
                    Consider(idx);
                    break;
                }
            }
        }

        // 3. The neighbourhood (±2 ticks per maker) of the continuum first-order-condition solution for smooth models.
        if (game.IsSmooth && Math.Pow(5, players) <= 100_000)
        {
            var mean = game.MarginalCosts.Average();
            var guess = Enumerable.Repeat(GameFormulas.SymmetricLogitHalfSpread(mean, players, game.Market.ShareElasticity, game.Market.FlowElasticity), players).ToArray();
            var refined = ContinuumEquilibrium.SolveFirstOrderConditions(game, guess);
            if (refined.Outcome.Converged)
            {
                var centre = refined.HalfSpreads.Select(grid.IndexOf).ToArray();
                var total = (int)Math.Pow(5, players);
                for (var code = 0; code < total; code++)
                {
                    var idx = new int[players];
                    var c = code;
                    var inside = true;
                    for (var p = 0; p < players; p++)
                    {
                        idx[p] = centre[p] + c % 5 - 2;
                        c /= 5;
                        inside &= idx[p] >= 0 && idx[p] < n;
                    }
                    if (inside) Consider(idx);
                }
            }
        }

        found.Sort(CompareByIndices);
        return new GridSearchResult(found, false,
            $"candidates, not exhaustive ({players.ToString(CultureInfo.InvariantCulture)} makers × {n.ToString(CultureInfo.InvariantCulture)} ticks is beyond the exhaustive budget of {ExhaustiveBudget.ToString(CultureInfo.InvariantCulture)} evaluations): every symmetric profile, fixed points of best-response dynamics from 9+ starts and the ±2-tick neighbourhood of the continuum solution, each verified against every maker's grid best response",
            evaluations, null);
    }

    /// <summary>Whether players firstPlayer.. each best-respond at the profile; returns the payoff evaluations used.</summary>
    private static (bool IsEquilibrium, long Evaluations) OthersBestRespond(SpreadGame game, SpreadGrid grid, int[] idx, double tolerance, int firstPlayer)
    {
        var n = grid.Count;
        var profile = idx.Select(i => grid[i]).ToArray();
        long used = 0;
        for (var p = firstPlayer; p < game.N; p++)
        {
            var own = game.Payoff(p, profile);
            var original = profile[p];
            var ok = true;
            for (var k = 0; k < n; k++)
            {
                profile[p] = grid[k];
                used++;
                if (game.Payoff(p, profile) > own + tolerance)
                {
                    ok = false;
                    break;
                }
            }
            profile[p] = original;
            if (!ok) return (false, used);
        }
        return (true, used);
    }

    /// <summary>Whether a profile of grid indices is a pure equilibrium of the grid game.</summary>
    public static bool IsEquilibrium(SpreadGame game, SpreadGrid grid, IReadOnlyList<int> indices) =>
        OthersBestRespond(game, grid, indices.ToArray(), Tolerance(game, grid), firstPlayer: 0).IsEquilibrium;

    public static GridEquilibrium Describe(SpreadGame game, SpreadGrid grid, int[] indices)
    {
        var s = indices.Select(i => grid[i]).ToArray();
        var shares = new double[s.Length];
        game.Shares(s, shares);
        var payoffs = new double[s.Length];
        game.Payoffs(s, payoffs);
        var flow = GameFormulas.TotalFlow(game.Market.ArrivalRate, game.Market.FlowElasticity, s, shares);
        return new GridEquilibrium(indices, s, shares, flow, payoffs);
    }

    /// <summary>Indices whose value is within <paramref name="tolerance"/> of the maximum, ascending.</summary>
    internal static (int[] Set, double Best) ArgMaxSet(ReadOnlySpan<double> values, double tolerance)
    {
        var best = double.NegativeInfinity;
        foreach (var v in values) best = Math.Max(best, v);
        var count = 0;
        foreach (var v in values) if (v >= best - tolerance) count++;
        var set = new int[count];
        var j = 0;
        for (var k = 0; k < values.Length; k++) if (values[k] >= best - tolerance) set[j++] = k;
        return (set, best);
    }

    private static int CompareByIndices(GridEquilibrium a, GridEquilibrium b)
    {
        for (var i = 0; i < a.Indices.Count; i++)
        {
            var c = a.Indices[i].CompareTo(b.Indices[i]);
            if (c != 0) return c;
        }
        return 0;
    }
}
