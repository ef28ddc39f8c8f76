using MarketMaking.Core.Game;

namespace MarketMaking.Core.Tests.Game;

/// <summary>Small builders so each test states only what it varies.</summary>
internal static class GameFactory
{
    public static GameMarket Market(double kappa = 0.0, double beta = 10.0, ShareModel model = ShareModel.Logit, double sigma = 2.0,
        double h = 0.05, double arrivalRate = 100.0, double alpha = 0.0, double jump = 0.0) =>
        new(sigma, h, arrivalRate, kappa, model, beta, alpha, jump);

    public static GamePlayer Player(string name, double cost = 0.01, double riskAversion = 0.1) => new(name, cost, riskAversion);

    public static SpreadGame Symmetric(int makers, double kappa = 0.0, double beta = 10.0) =>
        new(Market(kappa, beta), Enumerable.Range(0, makers).Select(i => Player($"m{i}")).ToList());

    /// <summary>Winner-takes-all with marginal cost exactly <paramref name="costs"/> (no risk or adverse-selection terms), Λ0 = 1.</summary>
    public static SpreadGame WinnerTakesAll(params double[] costs) =>
        new(Market(model: ShareModel.WinnerTakesAll, arrivalRate: 1.0, sigma: 0.0), costs.Select((c, i) => Player($"m{i}", c, 0.0)).ToList());

    /// <summary>Every profile of a grid game checked the naive way: nobody gains by any unilateral move.</summary>
    public static List<int[]> BruteForceEquilibria(SpreadGame game, SpreadGrid grid)
    {
        var n = grid.Count;
        var tol = GridEquilibria.Tolerance(game, grid);
        var result = new List<int[]>();
        var total = (long)Math.Pow(n, game.N);
        for (long code = 0; code < total; code++)
        {
            var idx = new int[game.N];
            var c = code;
            for (var p = 0; p < game.N; p++) { idx[p] = (int)(c % n); c /= n; }
            var s = idx.Select(i => grid[i]).ToArray();
            var ok = true;
            for (var p = 0; p < game.N && ok; p++)
            {
                var own = game.Payoff(p, s);
                var t = (double[])s.Clone();
                for (var k = 0; k < n && ok; k++)
                {
                    t[p] = grid[k];
                    if (game.Payoff(p, t) > own + tol) ok = false;
                }
            }
            if (ok) result.Add(idx);
        }
        return result.OrderBy(i => string.Join(',', i.Select(v => v.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)))).ToList();
    }
}
