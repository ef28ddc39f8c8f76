using MarketMaking.Core.Backtest;

namespace MarketMaking.Core.Tests.Backtest;

public class PaperReproductionTests
{
    /// <summary>
    /// Tables 1–3 of Avellaneda and Stoikov (2008), 1000 simulations: average spread, profit mean and std,
    /// final inventory mean and std, for the inventory strategy and the symmetric benchmark.
    /// </summary>
    public static TheoryData<double, double[], double[]> Published => new()
    {
        { 0.1, [1.49, 65.0, 6.6, 0.08, 2.9], [1.49, 68.4, 12.7, 0.26, 8.4] },
        { 0.01, [1.35, 68.6, 8.7, 0.12, 5.1], [1.35, 68.8, 12.8, 0.09, 8.7] },
        { 1.0, [3.02, 31.4, 5.0, 0.02, 1.7], [3.02, 44.0, 11.0, 0.00, 5.1] },
    };

    [Theory]
    [MemberData(nameof(Published))]
    public void Run_PaperSetting_ReproducesPublishedTablesWithinMonteCarloError(double gamma, double[] inventory, double[] symmetric)
    {
        // Given the paper's setting and 1000 paths, as the paper ran
        var spec = PaperSetting.Spec(gamma, 1000);

        // When both strategies run on the same paths
        var result = Backtester.Run(spec);

        // Then each figure lies within Monte Carlo error of the published one
        Check(result.Strategies[0].Metrics, inventory, gamma);
        Check(result.Strategies[1].Metrics, symmetric, gamma);
    }

    private static void Check(StrategyMetrics m, double[] published, double gamma)
    {
        // The spread has no inventory term, so it is deterministic. The paper's figures match the continuous-time
        // average τ̄ = T/2; averaging over the 200 quoting times τ_i = T − i·dt (as the simulation quotes) gives
        // τ̄ = T/2 + dt/2, a spread wider by γσ²·dt/2 (0.01 at γ = 1). Allow that plus the paper's rounding.
        m.AvgSpread.Value.Should().BeApproximately(published[0], 0.005 + gamma * 4.0 * 0.005 / 2 + 1e-9);
        // Means: 4 standard errors plus the paper's rounding and its own sampling error (1000 paths, same size as ours):
        // the difference of two independent means has SE √2 times ours.
        m.Profit.Value.Should().BeApproximately(published[1], 4 * Math.Sqrt(2) * m.Profit.StandardError + 0.05);
        m.FinalInventory.Value.Should().BeApproximately(published[3], 4 * Math.Sqrt(2) * m.FinalInventory.StandardError + 0.005);
        // Standard deviations: SE of a sample std ≈ σ/√(2n) (normal approximation); 4·√2 of those, plus 5% for the fat tails of P&L.
        m.ProfitStd.Should().BeApproximately(published[2], 4 * Math.Sqrt(2) * m.ProfitStd / Math.Sqrt(2 * m.Paths) + 0.05 * published[2]);
        m.FinalInventoryStd.Should().BeApproximately(published[4], 4 * Math.Sqrt(2) * m.FinalInventoryStd / Math.Sqrt(2 * m.Paths) + 0.05 * published[4]);
    }
}
