using MarketMaking.Core.Backtest;

namespace MarketMaking.Core.Scenarios;

/// <summary>A cell's criteria: mean-variance utility U = mean − ½·λ·variance of the terminal P&amp;L, and the step Sharpe.</summary>
public sealed record CellCriteria(int Cell, Estimate Utility, Estimate Sharpe);

/// <summary>
/// The best γ of a regime under one criterion, and how sure: the paired difference to the runner-up over the same
/// paths (common random numbers), its standard error and t-statistic. Null runner-up with a single γ.
/// </summary>
public sealed record BestGamma(int Regime, int BestCell, int? RunnerUpCell, Estimate Difference)
{
    public double TStatistic => Difference.Value / Difference.StandardError;

    /// <summary>|t| above 1.96: better than the runner-up at the 5% level (two-sided, normal approximation).</summary>
    public bool Significant => Math.Abs(TStatistic) > 1.959963984540054;
}

/// <summary>The sweep's answer: criteria per cell and the best γ per regime under each criterion.</summary>
public sealed record ScenarioAnalysis(ScenarioGrid Grid, IReadOnlyList<ScenarioCellResult> Cells, IReadOnlyList<CellCriteria> Criteria,
    IReadOnlyList<BestGamma> BestByUtility, IReadOnlyList<BestGamma> BestBySharpe)
{
    /// <summary>Cells must be the whole grid, in cell order.</summary>
    public static ScenarioAnalysis Analyse(ScenarioGrid grid, IReadOnlyList<ScenarioCellResult> cells)
    {
        if (cells.Count != grid.CellCount || cells.Where((c, i) => c.Cell != i).Any()) throw new ArgumentException("the whole grid, in cell order", nameof(cells));
        var utilityTerms = cells.Select(c => UtilityTerms(c.PathPnl, grid.Lambda)).ToArray();
        var criteria = cells.Select((c, i) => new CellCriteria(c.Cell, Statistics.Mean(utilityTerms[i]), Statistics.Mean(c.PathSharpe))).ToArray();
        var byUtility = new BestGamma[grid.Regimes.Count];
        var bySharpe = new BestGamma[grid.Regimes.Count];
        var gammas = grid.Gammas.Count;
        for (var r = 0; r < grid.Regimes.Count; r++)
        {
            var regimeCells = Enumerable.Range(r * gammas, gammas).ToArray();
            byUtility[r] = Best(r, regimeCells, c => criteria[c].Utility.Value, c => utilityTerms[c]);
            bySharpe[r] = Best(r, regimeCells, c => criteria[c].Sharpe.Value, c => cells[c].PathSharpe);
        }
        return new ScenarioAnalysis(grid, cells, criteria, byUtility, bySharpe);
    }

    /// <summary>
    /// Per-path terms whose mean is exactly mean − ½·λ·s² (s² the n−1 sample variance): x_i − ½·λ·(x_i − x̄)²·n/(n−1).
    /// Their standard error is the delta-method error of U, and differences of them pair paths across γ.
    /// </summary>
    public static double[] UtilityTerms(IReadOnlyList<double> pnl, double lambda)
    {
        var n = pnl.Count;
        var mean = Statistics.Mean(pnl.ToArray()).Value;
        var scale = n > 1 ? (double)n / (n - 1) : 0.0;
        var terms = new double[n];
        for (var i = 0; i < n; i++) terms[i] = pnl[i] - 0.5 * lambda * (pnl[i] - mean) * (pnl[i] - mean) * scale;
        return terms;
    }

    private static BestGamma Best(int regime, int[] cells, Func<int, double> value, Func<int, IReadOnlyList<double>> perPath)
    {
        // Highest value; NaN never wins; ties go to the first (smaller γ in config order).
        var ranked = cells.Where(c => !double.IsNaN(value(c))).OrderByDescending(value).ThenBy(c => c).ToArray();
        if (ranked.Length == 0) return new BestGamma(regime, cells[0], null, Estimate.Missing);
        if (ranked.Length == 1) return new BestGamma(regime, ranked[0], null, Estimate.Missing);
        var best = perPath(ranked[0]);
        var runnerUp = perPath(ranked[1]);
        var difference = new double[best.Count];
        for (var p = 0; p < difference.Length; p++) difference[p] = best[p] - runnerUp[p];
        return new BestGamma(regime, ranked[0], ranked[1], Statistics.Mean(difference));
    }
}
