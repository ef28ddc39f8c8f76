namespace MarketMaking.Core.Game;

/// <summary>Parameters the sensitivity section can sweep, by configuration key.</summary>
public enum SensitivityParameter
{
    Sigma,
    ShareElasticity,
    FlowElasticity,
    ArrivalRate,

    /// <summary>Every maker's execution cost set to the value.</summary>
    Cost,
}

public static class SensitivityParameters
{
    public static readonly IReadOnlyDictionary<string, SensitivityParameter> ByKey = new Dictionary<string, SensitivityParameter>(StringComparer.Ordinal)
    {
        ["sigma"] = SensitivityParameter.Sigma,
        ["share_elasticity"] = SensitivityParameter.ShareElasticity,
        ["flow_elasticity"] = SensitivityParameter.FlowElasticity,
        ["arrival_rate"] = SensitivityParameter.ArrivalRate,
        ["cost"] = SensitivityParameter.Cost,
    };

    public static string Key(this SensitivityParameter parameter) => ByKey.First(kv => kv.Value == parameter).Key;
}

/// <summary>One sweep as configured: a parameter and the values it takes, the rest held fixed.</summary>
public sealed record SensitivitySweep
{
    public SensitivitySweep(SensitivityParameter parameter, IReadOnlyList<double> values)
    {
        var field = "sensitivity." + parameter.Key();
        if (values is null || values.Count == 0) throw new InputException("needs at least one value", field: field);
        foreach (var v in values) Guard.Finite(v, field);
        Parameter = parameter;
        Values = values.ToArray();
    }

    public SensitivityParameter Parameter { get; }
    public IReadOnlyList<double> Values { get; }
}

/// <summary>The equilibria at one value of a swept parameter.</summary>
/// <param name="Kind">continuum (refined logit), grid (pure grid equilibria) or none.</param>
public sealed record SensitivityPoint(double Value, IReadOnlyList<IReadOnlyList<double>> HalfSpreads, IReadOnlyList<IReadOnlyList<double>> Payoffs, IReadOnlyList<IReadOnlyList<double>> Shares, string Kind, int GridEquilibria, bool Exhaustive);

public sealed record SensitivityResult(SensitivityParameter Parameter, IReadOnlyList<SensitivityPoint> Points);

public static class Sensitivity
{
    /// <summary>Solves the game again at each value. A value the model rejects (say σ &lt; 0) is an input error naming the sweep.</summary>
    public static SensitivityResult Run(SpreadGame game, SpreadGrid grid, SensitivitySweep sweep)
    {
        var points = new List<SensitivityPoint>();
        foreach (var value in sweep.Values)
        {
            SpreadGame varied;
            try
            {
                varied = Vary(game, sweep.Parameter, value);
            }
            catch (InputException e)
            {
                throw new InputException($"value {Guard.Format(value)} is invalid: {e.Message}", field: "sensitivity." + sweep.Parameter.Key());
            }
            var solved = EquilibriumSolver.Solve(varied, grid, withStability: false);
            var refined = solved.Refined.Where(r => r.Outcome.Converged && r.GlobalBestResponse).ToList();
            if (refined.Count > 0)
            {
                points.Add(new SensitivityPoint(value, refined.Select(r => r.HalfSpreads).ToList(), refined.Select(r => r.Payoffs).ToList(),
                    refined.Select(r => r.Shares).ToList(), "continuum", solved.Grid.Equilibria.Count, solved.Grid.Exhaustive));
            }
            else
            {
                var eqs = solved.Grid.Equilibria;
                points.Add(new SensitivityPoint(value, eqs.Select(e => e.HalfSpreads).ToList(), eqs.Select(e => e.Payoffs).ToList(),
                    eqs.Select(e => e.Shares).ToList(), eqs.Count > 0 ? "grid" : "none", eqs.Count, solved.Grid.Exhaustive));
            }
        }
        return new SensitivityResult(sweep.Parameter, points);
    }

    public static SpreadGame Vary(SpreadGame game, SensitivityParameter parameter, double value) => parameter switch
    {
        SensitivityParameter.Sigma => game.With(game.Market.WithSigma(value)),
        SensitivityParameter.ShareElasticity => game.With(game.Market.WithShareElasticity(value)),
        SensitivityParameter.FlowElasticity => game.With(game.Market.WithFlowElasticity(value)),
        SensitivityParameter.ArrivalRate => game.With(game.Market.WithArrivalRate(value)),
        SensitivityParameter.Cost => game.With(game.Players.Select(p => p.WithCost(value)).ToList()),
        _ => throw new ArgumentOutOfRangeException(nameof(parameter)),
    };
}
