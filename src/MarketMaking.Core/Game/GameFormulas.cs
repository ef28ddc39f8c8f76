namespace MarketMaking.Core.Game;

/// <summary>
/// The model's formulas, one function each:
/// m_i = cost_i + γ_i·σ²·h + α·J;  w_i (logit or winner-takes-all);  Λ(s) = Λ0·exp(−κ·Σ_j w_j·s_j);  π_i = Λ(s)·w_i·(s_i − m_i).
/// </summary>
public static class GameFormulas
{
    /// <summary>m_i: execution cost, plus the inventory-risk charge γ·σ²·h for holding a fill over h, plus adverse selection α·J.</summary>
    public static double MarginalCost(double cost, double riskAversion, double sigma, double holdingHorizon, double informedFraction, double informedMove) =>
        cost + riskAversion * sigma * sigma * holdingHorizon + informedFraction * informedMove;

    /// <summary>
    /// w_i = e^(−β·s_i) / Σ_j e^(−β·s_j), computed as e^(−β·(s_i − s_min)) / Σ_j e^(−β·(s_j − s_min)) so that a large β·s
    /// never underflows every term to zero (the tightest quote's term is exactly 1).
    /// </summary>
    public static void LogitShares(ReadOnlySpan<double> halfSpreads, double beta, Span<double> shares)
    {
        var min = double.PositiveInfinity;
        foreach (var s in halfSpreads) min = Math.Min(min, s);
        var sum = 0.0;
        for (var i = 0; i < halfSpreads.Length; i++)
        {
            shares[i] = Math.Exp(-beta * (halfSpreads[i] - min));
            sum += shares[i];
        }
        for (var i = 0; i < halfSpreads.Length; i++) shares[i] /= sum;
    }

    /// <summary>The logit share of the first of two makers, 1/(1 + e^(β·(own − other))), in the form that cannot overflow.</summary>
    public static double LogitShareOfTwo(double own, double other, double beta)
    {
        var d = beta * (own - other);
        if (d > 0)
        {
            var e = Math.Exp(-d);
            return e / (1 + e);
        }
        return 1 / (1 + Math.Exp(d));
    }

    /// <summary>The lowest half-spread takes all the flow; makers tied at the lowest split it equally.</summary>
    public static void WinnerTakesAllShares(ReadOnlySpan<double> halfSpreads, Span<double> shares)
    {
        var min = double.PositiveInfinity;
        foreach (var s in halfSpreads) min = Math.Min(min, s);
        var winners = 0;
        foreach (var s in halfSpreads) if (s == min) winners++;
        for (var i = 0; i < halfSpreads.Length; i++) shares[i] = halfSpreads[i] == min ? 1.0 / winners : 0.0;
    }

    /// <summary>Λ(s) = Λ0·exp(−κ·Σ_j w_j·s_j): wider flow-weighted quotes drive flow away.</summary>
    public static double TotalFlow(double arrivalRate, double flowElasticity, ReadOnlySpan<double> halfSpreads, ReadOnlySpan<double> shares)
    {
        if (flowElasticity == 0) return arrivalRate;
        var weighted = 0.0;
        for (var i = 0; i < halfSpreads.Length; i++) weighted += shares[i] * halfSpreads[i];
        return arrivalRate * Math.Exp(-flowElasticity * weighted);
    }

    /// <summary>π_i = Λ·w_i·(s_i − m_i): fills per unit time times the expected margin per fill.</summary>
    public static double Payoff(double totalFlow, double share, double halfSpread, double marginalCost) =>
        totalFlow * share * (halfSpread - marginalCost);

    /// <summary>
    /// ∂π_i/∂s_i divided by Λ·w_i for the logit model:
    /// 1 − (s_i − m_i)·(β·(1 − w_i) + κ·w_i·(1 − β·(s_i − Σ_j w_j·s_j))).
    /// Zero at an interior best response; unlike ∂π_i/∂s_i itself it does not vanish where the share does.
    /// </summary>
    public static double LogitFirstOrderCondition(double halfSpread, double marginalCost, double share, double weightedHalfSpread, double beta, double kappa) =>
        1 - (halfSpread - marginalCost) * (beta * (1 - share) + kappa * share * (1 - beta * (halfSpread - weightedHalfSpread)));

    /// <summary>The symmetric logit equilibrium s* = m + N / ((N−1)·β + κ), from the first-order condition at w_i = 1/N.</summary>
    public static double SymmetricLogitHalfSpread(double marginalCost, int makers, double beta, double kappa) =>
        marginalCost + makers / ((makers - 1) * beta + kappa);
}
