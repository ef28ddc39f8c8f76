using MarketMaking.Core.Calibration;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.RootFinding;

namespace MarketMaking.Core.Game;

/// <summary>A solution of the first-order conditions with how it was reached.</summary>
public sealed record FirstOrderSolution(IReadOnlyList<double> HalfSpreads, double Residual, OptimizerOutcome Outcome);

/// <summary>Local stability of an equilibrium under best-response play.</summary>
/// <param name="SpectralRadius">ρ of the best-response Jacobian ∂BR_i/∂s_j = −(∂f_i/∂s_j)/(∂f_i/∂s_i); ρ &lt; 1 means simultaneous best responses converge locally.</param>
/// <param name="IterationConverged">Whether simultaneous (continuum) best-response iteration started 5% of the margin away returned to it.</param>
public sealed record EquilibriumStability(double SpectralRadius, bool IterationConverged, int Iterations)
{
    public bool LocallyStable => SpectralRadius < 1;
}

/// <summary>A grid equilibrium refined on the continuum.</summary>
/// <param name="GlobalBestResponse">True when no maker can do better anywhere on the grid against the refined quotes: the first-order point is a maximum, not just a stationary point.</param>
public sealed record RefinedEquilibrium(
    GridEquilibrium Grid,
    IReadOnlyList<double> HalfSpreads,
    IReadOnlyList<double> Shares,
    double Flow,
    IReadOnlyList<double> Payoffs,
    double Residual,
    OptimizerOutcome Outcome,
    bool GlobalBestResponse,
    EquilibriumStability? Stability);

/// <summary>
/// Equilibria of the smooth (logit) game on the continuum: Newton's method on the system f_i(s) = 0, where f_i is
/// ∂π_i/∂s_i / (Λ·w_i) (<see cref="GameFormulas.LogitFirstOrderCondition"/>), with a central-difference Jacobian and
/// step halving when the residual would grow. Converged means ‖f‖∞ ≤ 1e-9 after the step fell below 1e-12.
/// </summary>
public static class ContinuumEquilibrium
{
    public const double ResidualTolerance = 1e-9;
    private const int MaxIterations = 100;
    private const string NewtonMethod = "Newton on the first-order conditions (central-difference Jacobian, step halving)";

    /// <summary>f(s): each maker's scaled first-order condition at the profile.</summary>
    public static double[] FirstOrderConditions(SpreadGame game, ReadOnlySpan<double> halfSpreads)
    {
        if (!game.IsSmooth) throw new InvalidOperationException("first-order conditions exist only for the logit share model");
        var n = halfSpreads.Length;
        var shares = new double[n];
        game.Shares(halfSpreads, shares);
        var weighted = 0.0;
        for (var j = 0; j < n; j++) weighted += shares[j] * halfSpreads[j];
        var f = new double[n];
        for (var i = 0; i < n; i++)
        {
            f[i] = GameFormulas.LogitFirstOrderCondition(halfSpreads[i], game.MarginalCosts[i], shares[i], weighted, game.Market.ShareElasticity, game.Market.FlowElasticity);
        }
        return f;
    }

    /// <summary>∂f_i/∂s_j by central differences.</summary>
    public static Matrix<double> Jacobian(SpreadGame game, IReadOnlyList<double> halfSpreads)
    {
        var n = halfSpreads.Count;
        var jac = Matrix<double>.Build.Dense(n, n);
        var s = halfSpreads.ToArray();
        for (var j = 0; j < n; j++)
        {
            var h = 1e-6 * Math.Max(1.0, Math.Abs(s[j]));
            var original = s[j];
            s[j] = original + h;
            var up = FirstOrderConditions(game, s);
            s[j] = original - h;
            var down = FirstOrderConditions(game, s);
            s[j] = original;
            for (var i = 0; i < n; i++) jac[i, j] = (up[i] - down[i]) / (2 * h);
        }
        return jac;
    }

    public static FirstOrderSolution SolveFirstOrderConditions(SpreadGame game, IReadOnlyList<double> start)
    {
        var s = start.ToArray();
        var f = FirstOrderConditions(game, s);
        var norm = MaxAbs(f);
        var iterations = 0;
        var converged = false;
        while (iterations < MaxIterations)
        {
            iterations++;
            var jac = Jacobian(game, s);
            var step = jac.Solve(Vector<double>.Build.DenseOfArray(f)).Negate();
            if (!step.All(double.IsFinite)) break;
            var scale = 1.0;
            double[] next;
            double[] nextF;
            double nextNorm;
            var halvings = 0;
            while (true)
            {
                next = new double[s.Length];
                for (var i = 0; i < s.Length; i++) next[i] = Math.Max(0.0, s[i] + scale * step[i]);
                nextF = FirstOrderConditions(game, next);
                nextNorm = MaxAbs(nextF);
                if (nextNorm <= norm || halvings++ >= 40 || norm <= ResidualTolerance) break;
                scale /= 2;
            }
            var moved = 0.0;
            for (var i = 0; i < s.Length; i++) moved = Math.Max(moved, Math.Abs(next[i] - s[i]));
            s = next;
            f = nextF;
            norm = nextNorm;
            if (moved <= 1e-12 * Math.Max(1.0, MaxAbs(s)) || norm == 0)
            {
                converged = norm <= ResidualTolerance;
                break;
            }
        }
        var boundary = s.Any(v => v == 0) ? "a half-spread is at zero" : null;
        return new FirstOrderSolution(s, norm, new OptimizerOutcome(converged, iterations, NewtonMethod, boundary));
    }

    /// <summary>Refines a grid equilibrium of the logit game on the continuum, checks it is a best response and measures its stability.</summary>
    public static RefinedEquilibrium Refine(SpreadGame game, SpreadGrid grid, GridEquilibrium start, bool withStability = true)
    {
        var solution = SolveFirstOrderConditions(game, start.HalfSpreads);
        var s = solution.HalfSpreads.ToArray();
        var outcome = solution.Outcome;
        if (s.Any(v => v > grid.MaxHalfSpread))
        {
            outcome = outcome with { Boundary = "beyond grid.max_half_spread" };
        }
        var shares = new double[s.Length];
        game.Shares(s, shares);
        var payoffs = new double[s.Length];
        game.Payoffs(s, payoffs);
        var flow = GameFormulas.TotalFlow(game.Market.ArrivalRate, game.Market.FlowElasticity, s, shares);
        var global = outcome.Converged && IsGlobalBestResponse(game, grid, s);
        var stability = outcome.Converged && withStability ? Stability(game, grid, s) : null;
        return new RefinedEquilibrium(start, s, shares, flow, payoffs, solution.Residual, outcome, global, stability);
    }

    /// <summary>No maker gains more than the grid tolerance by moving to any grid half-spread.</summary>
    public static bool IsGlobalBestResponse(SpreadGame game, SpreadGrid grid, IReadOnlyList<double> halfSpreads)
    {
        var s = halfSpreads.ToArray();
        var tolerance = GridEquilibria.Tolerance(game, grid);
        for (var i = 0; i < s.Length; i++)
        {
            var own = game.Payoff(i, s);
            var (_, best) = GridEquilibria.BestResponse(game, grid, i, s);
            if (best > own + tolerance) return false;
        }
        return true;
    }

    /// <summary>Spectral radius of the best-response Jacobian, and whether simultaneous best-response iteration returns from a small perturbation.</summary>
    public static EquilibriumStability Stability(SpreadGame game, SpreadGrid grid, IReadOnlyList<double> equilibrium)
    {
        var jac = Jacobian(game, equilibrium);
        var n = equilibrium.Count;
        var response = Matrix<double>.Build.Dense(n, n);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (i != j) response[i, j] = -jac[i, j] / jac[i, i];
            }
        }
        var radius = response.Evd().EigenValues.Max(e => e.Magnitude);

        var s = new double[n];
        for (var i = 0; i < n; i++) s[i] = equilibrium[i] + 0.05 * Math.Max(equilibrium[i] - game.MarginalCosts[i], grid.Tick);
        var converged = false;
        var iterations = 0;
        while (iterations < 200)
        {
            iterations++;
            var next = new double[n];
            for (var i = 0; i < n; i++) next[i] = BestResponse(game, grid, i, s);
            s = next;
            var distance = 0.0;
            for (var i = 0; i < n; i++) distance = Math.Max(distance, Math.Abs(s[i] - equilibrium[i]));
            if (distance <= 1e-9)
            {
                converged = true;
                break;
            }
            if (!double.IsFinite(distance) || distance > 10 * grid.MaxHalfSpread) break;
        }
        return new EquilibriumStability(radius, converged, iterations);
    }

    /// <summary>
    /// Maker i's best response on the continuum: the best grid point, then the root of f_i within a tick of it
    /// (Brent). A best response at the edge of the grid, with no sign change of f_i, stays on the grid point.
    /// </summary>
    public static double BestResponse(SpreadGame game, SpreadGrid grid, int player, IReadOnlyList<double> profile)
    {
        var s = profile.ToArray();
        var (set, _) = GridEquilibria.BestResponse(game, grid, player, s);
        var k = set[0];
        if (!game.IsSmooth) return grid[k];
        double Foc(double x)
        {
            s[player] = x;
            return FirstOrderConditions(game, s)[player];
        }
        var lower = Math.Max(0.0, grid[k] - grid.Tick);
        var upper = grid[k] + grid.Tick;
        var fl = Foc(lower);
        var fu = Foc(upper);
        if (fl > 0 && fu < 0 && Brent.TryFindRoot(Foc, lower, upper, 1e-14, 200, out var root))
        {
            return root;
        }
        return grid[k];
    }

    private static double MaxAbs(IEnumerable<double> values) => values.Aggregate(0.0, (m, v) => Math.Max(m, Math.Abs(v)));
}
