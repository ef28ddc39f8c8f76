using System.Globalization;

namespace MarketMaking.Core.Game;

public sealed record DynamicsSettings
{
    public DynamicsSettings(IReadOnlyList<double> start, int rounds)
    {
        if (start is null || start.Count == 0) throw new InputException("is missing: one half-spread per player", field: "dynamics.start");
        for (var i = 0; i < start.Count; i++) Guard.NonNegative(start[i], $"dynamics.start[{i.ToString(CultureInfo.InvariantCulture)}]");
        Start = start.ToArray();
        Rounds = Guard.AtLeast(rounds, 1, "dynamics.rounds");
    }

    public IReadOnlyList<double> Start { get; }
    public int Rounds { get; }
}

/// <summary>Everything the equilibrium analysis needs, validated as a whole.</summary>
public sealed record EquilibriumConfig
{
    public EquilibriumConfig(GameMarket market, IReadOnlyList<GamePlayer> players, SpreadGrid? grid = null,
        IReadOnlyList<SensitivitySweep>? sensitivity = null, DynamicsSettings? dynamics = null, MonteCarloSettings? monteCarlo = null)
    {
        Game = new SpreadGame(market, players);
        Grid = grid ?? new SpreadGrid();
        Sensitivity = sensitivity ?? [];
        // A swept value the model would reject is a configuration error, found before anything runs.
        foreach (var sweep in Sensitivity)
        {
            foreach (var value in sweep.Values)
            {
                try
                {
                    MarketMaking.Core.Game.Sensitivity.Vary(Game, sweep.Parameter, value);
                }
                catch (InputException e)
                {
                    throw new InputException($"value {Guard.Format(value)} is invalid: {e.Message}", field: "sensitivity." + sweep.Parameter.Key(), inner: e);
                }
            }
        }
        if (dynamics is not null)
        {
            if (dynamics.Start.Count != Game.N)
            {
                throw new InputException($"needs one half-spread per player ({Game.N.ToString(CultureInfo.InvariantCulture)}), got {dynamics.Start.Count.ToString(CultureInfo.InvariantCulture)}", field: "dynamics.start");
            }
            for (var i = 0; i < dynamics.Start.Count; i++)
            {
                Guard.InRange(dynamics.Start[i], 0, Grid.MaxHalfSpread, $"dynamics.start[{i.ToString(CultureInfo.InvariantCulture)}]");
            }
        }
        Dynamics = dynamics;
        MonteCarlo = monteCarlo;
    }

    public SpreadGame Game { get; }
    public SpreadGrid Grid { get; }
    public IReadOnlyList<SensitivitySweep> Sensitivity { get; }
    public DynamicsSettings? Dynamics { get; }
    public MonteCarloSettings? MonteCarlo { get; }
}

/// <summary>A best-response curve on the grid: for each rival half-spread (every rival quoting it when N &gt; 2), the best-response set's ends and the best payoff.</summary>
public sealed record BestResponseCurve(int Player, IReadOnlyList<double> RivalHalfSpreads, IReadOnlyList<double> Lowest, IReadOnlyList<double> Highest, IReadOnlyList<double> Payoffs);

/// <summary>Payoff rates of both makers over a coarse (s_1, s_2) lattice, for the heatmap.</summary>
public sealed record PayoffSurface(IReadOnlyList<double> Axis, double[,] Desk, double[,] Rival);

/// <summary>Everything the report shows.</summary>
public sealed record EquilibriumResult(
    EquilibriumConfig Config,
    SolvedGame Solved,
    IReadOnlyList<BestResponseCurve> BestResponses,
    PayoffSurface? Surface,
    IReadOnlyList<SensitivityResult> Sensitivity,
    IReadOnlyList<DynamicsPath> Dynamics,
    PnlMonteCarloResult? MonteCarlo,
    DecisionGuidance? Guidance,
    IReadOnlyList<string> Notes)
{
    public SpreadGame Game => Config.Game;
    public SpreadGrid Grid => Config.Grid;
}

/// <summary>The one Core entry point of <c>mm-engine equilibrium</c>.</summary>
public static class EquilibriumAnalysis
{
    public const int SurfacePoints = 201;

    /// <param name="cancel">Checked between the stages (grid search, each sensitivity sweep, each dynamics rule, Monte Carlo): Ctrl-C stops within one stage.</param>
    public static EquilibriumResult Run(EquilibriumConfig config, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        var game = config.Game;
        var grid = config.Grid;
        var notes = new List<string>();
        var starts = config.Dynamics is null ? null : new[] { config.Dynamics.Start.ToArray() };
        var solved = EquilibriumSolver.Solve(game, grid, withStability: true, starts);
        var reference = solved.ReferenceHalfSpreads;
        if (solved.Grid.Equilibria.Count == 0)
        {
            notes.Add(game.N == 2
                ? "no pure equilibrium on the grid: mixed equilibria of the discretised game are reported instead"
                : "no pure equilibrium found on the grid");
        }
        if (!solved.Grid.Exhaustive)
        {
            notes.Add("the grid search was not exhaustive (too many makers for this grid): the equilibria listed are verified, but others may exist");
        }

        cancel.ThrowIfCancellationRequested();
        var curves = BestResponseCurves(game, grid, solved.Grid.BestResponses);
        var surface = game.N == 2 ? Surface(game, grid) : null;
        var sweeps = config.Sensitivity.Select(s =>
        {
            cancel.ThrowIfCancellationRequested();
            return Sensitivity.Run(game, grid, s);
        }).ToList();

        var dynamics = new List<DynamicsPath>();
        if (config.Dynamics is not null)
        {
            foreach (var rule in new[] { LearningRule.BestResponse, LearningRule.FictitiousPlay })
            {
                cancel.ThrowIfCancellationRequested();
                dynamics.Add(Dynamics.Run(game, grid, config.Dynamics.Start, config.Dynamics.Rounds, rule, solved.Grid.Equilibria));
            }
        }

        cancel.ThrowIfCancellationRequested();
        PnlMonteCarloResult? monteCarlo = null;
        if (config.MonteCarlo is not null)
        {
            if (reference is null) notes.Add("Monte Carlo skipped: there is no pure equilibrium to quote at");
            else monteCarlo = PnlMonteCarlo.Run(game, reference, config.MonteCarlo);
        }

        // The rival's current quote is the dynamics start; without one the guidance is the equilibrium itself.
        var current = config.Dynamics?.Start ?? reference;
        var guidance = current is null ? null : DecisionGuidance.Compute(game, grid, current, reference);
        if (config.Dynamics is null) notes.Add("no dynamics.start given: the decision guidance takes the rivals at their equilibrium quotes");

        return new EquilibriumResult(config, solved, curves, surface, sweeps, dynamics, monteCarlo, guidance, notes);
    }

    /// <summary>Two makers: from the exhaustive search's best-response sets. N makers: each maker against every rival quoting the same half-spread.</summary>
    public static IReadOnlyList<BestResponseCurve> BestResponseCurves(SpreadGame game, SpreadGrid grid, TwoPlayerBestResponses? sets)
    {
        var n = grid.Count;
        var values = grid.Values();
        var curves = new List<BestResponseCurve>();
        for (var p = 0; p < game.N; p++)
        {
            var lowest = new double[n];
            var highest = new double[n];
            var payoff = new double[n];
            var player = p;
            if (sets is not null)
            {
                for (var k = 0; k < n; k++)
                {
                    lowest[k] = grid[sets.Sets[p][k][0]];
                    highest[k] = grid[sets.Sets[p][k][^1]];
                    payoff[k] = sets.BestPayoffs[p][k];
                }
            }
            else
            {
                Parallel.For(0, n, k =>
                {
                    var profile = Enumerable.Repeat(grid[k], game.N).ToArray();
                    var (set, best) = GridEquilibria.BestResponse(game, grid, player, profile);
                    lowest[k] = grid[set[0]];
                    highest[k] = grid[set[^1]];
                    payoff[k] = best;
                });
            }
            curves.Add(new BestResponseCurve(p, values, lowest, highest, payoff));
        }
        return curves;
    }

    public static PayoffSurface Surface(SpreadGame game, SpreadGrid grid)
    {
        var step = Math.Max(1, (int)Math.Ceiling((grid.Count - 1) / (double)(SurfacePoints - 1)));
        var axis = Enumerable.Range(0, (grid.Count - 1) / step + 1).Select(k => grid[k * step]).ToArray();
        var desk = new double[axis.Length, axis.Length];
        var rival = new double[axis.Length, axis.Length];
        for (var i = 0; i < axis.Length; i++)
        {
            for (var j = 0; j < axis.Length; j++)
            {
                desk[i, j] = game.TwoPlayerPayoff(0, axis[i], axis[j]);
                rival[i, j] = game.TwoPlayerPayoff(1, axis[j], axis[i]);
            }
        }
        return new PayoffSurface(axis, desk, rival);
    }
}

/// <summary>Ready-made configurations (the demo uses the issue's example).</summary>
public static class EquilibriumExamples
{
    /// <summary>
    /// The issue's example: σ = 2, h = 0.05, Λ0 = 100, logit with β = 10, two makers with cost 0.01 and γ = 0.1
    /// (m = 0.03, closed form s* = 0.23), the three sweeps, dynamics from (1.0, 0.2), and a Monte Carlo on the given seed.
    /// </summary>
    public static EquilibriumConfig IssueExample(ulong seed = 1, int paths = 10_000) => new(
        new GameMarket(sigma: 2.0, holdingHorizon: 0.05, arrivalRate: 100, flowElasticity: 0.0, ShareModel.Logit, shareElasticity: 10),
        [new GamePlayer("desk", 0.01, 0.1), new GamePlayer("rival", 0.01, 0.1)],
        new SpreadGrid(),
        [
            new SensitivitySweep(SensitivityParameter.Sigma, [0.5, 1, 2, 4, 8]),
            new SensitivitySweep(SensitivityParameter.ShareElasticity, [2, 5, 10, 20, 50]),
            new SensitivitySweep(SensitivityParameter.Cost, [0, 0.01, 0.02, 0.05]),
        ],
        new DynamicsSettings([1.0, 0.2], 50),
        new MonteCarloSettings(1.0, paths, seed));
}
