namespace MarketMaking.Core.Game;

/// <summary>
/// The desk's (player 0) answer to "how tight should we quote against the rival's current quote?":
/// its best response, what that earns, and how that compares with the equilibrium.
/// </summary>
/// <param name="RivalHalfSpreads">The others' current half-spreads (the desk's own entry is NaN).</param>
/// <param name="PayoffHoldingEquilibriumQuote">The desk quoting its equilibrium half-spread against the rivals' current quotes.</param>
/// <param name="EquilibriumPayoff">The desk's payoff when everyone quotes the equilibrium; null without a pure equilibrium.</param>
public sealed record DecisionGuidance(
    IReadOnlyList<double> RivalHalfSpreads,
    double BestResponseHalfSpread,
    double BestResponsePayoff,
    double BestResponseShare,
    double? EquilibriumHalfSpread,
    double? PayoffHoldingEquilibriumQuote,
    double? EquilibriumPayoff)
{
    public static DecisionGuidance Compute(SpreadGame game, SpreadGrid grid, IReadOnlyList<double> current, IReadOnlyList<double>? equilibrium)
    {
        var s = current.ToArray();
        var best = ContinuumEquilibrium.BestResponse(game, grid, 0, s);
        s[0] = best;
        var payoff = game.Payoff(0, s);
        var shares = new double[s.Length];
        game.Shares(s, shares);
        double? eqSpread = null, holding = null, eqPayoff = null;
        if (equilibrium is not null)
        {
            eqSpread = equilibrium[0];
            var h = current.ToArray();
            h[0] = equilibrium[0];
            holding = game.Payoff(0, h);
            eqPayoff = game.Payoff(0, equilibrium.ToArray());
        }
        var rivals = current.ToArray();
        rivals[0] = double.NaN;
        return new DecisionGuidance(rivals, best, payoff, shares[0], eqSpread, holding, eqPayoff);
    }
}
