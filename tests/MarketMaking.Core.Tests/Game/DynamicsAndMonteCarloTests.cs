using MarketMaking.Core.Game;
using MarketMaking.Core.Backtest;
using static MarketMaking.Core.Tests.Game.GameFactory;

namespace MarketMaking.Core.Tests.Game;

public class DynamicsAndMonteCarloTests
{
    [Fact]
    public void BestResponseDynamics_StableLogitGame_ReachesTheGridEquilibrium()
    {
        // Given the example (ρ = 0.5) from (1.0, 0.2)
        var game = Symmetric(2);
        var grid = new SpreadGrid();
        var eqs = GridEquilibria.Find(game, grid).Equilibria;
        // When 50 rounds of simultaneous best responses are played
        var path = Dynamics.Run(game, grid, [1.0, 0.2], 50, LearningRule.BestResponse, eqs);
        // Then it settles within a tick of an equilibrium, the distance to it halving each round (ρ = 0.5) so well inside 50 rounds
        path.Rounds.Should().HaveCount(51);
        path.Rounds[0].HalfSpreads.Should().Equal(1.0, 0.2);
        path.ReachedEquilibrium.Should().BeTrue();
        path.RoundsToTolerance.Should().BeLessThan(20);
        path.FinalDistance.Should().BeLessThanOrEqualTo(0.001 + 1e-12);
    }

    [Fact]
    public void FictitiousPlay_StableLogitGame_ApproachesTheEquilibriumAtTheUsualSlowRate()
    {
        // Given the example on a 1001-point grid, from (1.0, 0.2)
        var game = Symmetric(2);
        var grid = new SpreadGrid(1.0, 0.001);
        var eqs = GridEquilibria.Find(game, grid).Equilibria;
        var path = Dynamics.Run(game, grid, [1.0, 0.2], 800, LearningRule.FictitiousPlay, eqs);
        // Then plays approach s* = 0.23, but slowly: the far start keeps weight 1/t in the belief, and against a rival
        // at 1.0 a maker wins nearly all the flow, so the distance shrinks roughly like 1/t, not geometrically
        var at100 = path.Rounds[100].Distance;
        var at800 = path.Rounds[800].Distance;
        at100.Should().BeLessThan(path.Rounds[1].Distance);
        at800.Should().BeLessThan(at100 / 2);
        path.Rounds[^1].BeliefMean.Should().OnlyContain(b => b > 0.2 && b < 0.3);
    }

    [Fact]
    public void Dynamics_WrongStartLength_IsAnInputError()
    {
        var game = Symmetric(2);
        var act = () => Dynamics.Run(game, new SpreadGrid(), [0.1], 5, LearningRule.BestResponse, []);
        act.Should().Throw<InputException>().Which.Field.Should().Be("dynamics.start");
    }

    [Fact]
    public void MonteCarlo_MeanAndStd_MatchTheCompoundPoissonMoments()
    {
        // Given asymmetric makers with adverse selection, quoting fixed spreads
        var game = new SpreadGame(Market(kappa: 0.5, alpha: 0.2, jump: 0.1), [Player("desk"), Player("rival", 0.02, 0.3)]);
        var result = PnlMonteCarlo.Run(game, [0.25, 0.3], new MonteCarloSettings(1.0, 20000, 7));
        foreach (var maker in result.Makers)
        {
            // Then the mean is π_i·T within 4 standard errors, and the std within 3% of √(λT·E[X²])
            maker.Mean.Should().BeApproximately(maker.ExpectedMean, 4 * maker.ExpectedStd / Math.Sqrt(20000));
            maker.Std.Should().BeApproximately(maker.ExpectedStd, 0.03 * maker.ExpectedStd);
            maker.Quantile05.Should().BeLessThan(maker.Mean);
        }
        var payoffs = new double[2];
        game.Payoffs([0.25, 0.3], payoffs);
        result.Makers[0].ExpectedMean.Should().BeApproximately(payoffs[0], 1e-12);
    }

    [Fact]
    public void MonteCarlo_SameSeed_IsIdenticalRegardlessOfScheduling()
    {
        var game = Symmetric(2);
        var a = PnlMonteCarlo.Run(game, [0.23, 0.23], new MonteCarloSettings(1.0, 5000, 3));
        var b = PnlMonteCarlo.Run(game, [0.23, 0.23], new MonteCarloSettings(1.0, 5000, 3));
        a.Samples[0].Should().Equal(b.Samples[0]);
        a.Makers.Should().BeEquivalentTo(b.Makers);
        var c = PnlMonteCarlo.Run(game, [0.23, 0.23], new MonteCarloSettings(1.0, 5000, 4));
        c.Samples[0].Should().NotEqual(a.Samples[0]);
    }

    [Fact]
    public void Quantile_Interpolates_LikeNumpy()
    {
        // numpy.quantile([1, 2, 3, 4, 10], 0.05) = 1.2
        Statistics.Quantile([10, 2, 1, 4, 3], 0.05).Should().BeApproximately(1.2, 1e-15);
    }
}
