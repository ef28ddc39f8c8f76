using MarketMaking.Core.Game;
using MarketMaking.Core.Random;
using static MarketMaking.Core.Tests.Game.GameFactory;

namespace MarketMaking.Core.Tests.Game;

public class MixedEquilibriaTests
{
    private static readonly double[,] PenniesA = { { 1, -1 }, { -1, 1 } };
    private static readonly double[,] PenniesB = { { -1, 1 }, { 1, -1 } };

    [Fact]
    public void SupportEnumeration_MatchingPennies_FindsTheUniqueHalfHalf()
    {
        var found = MixedEquilibria.SupportEnumeration(PenniesA, PenniesB);
        found.Should().ContainSingle();
        found[0].RowStrategy.Should().Equal([0.5, 0.5], (a, b) => Math.Abs(a - b) < 1e-12);
        found[0].ColumnStrategy.Should().Equal([0.5, 0.5], (a, b) => Math.Abs(a - b) < 1e-12);
        found[0].RowPayoff.Should().BeApproximately(0, 1e-12);
    }

    [Fact]
    public void LemkeHowson_MatchingPennies_FindsTheUniqueHalfHalf()
    {
        var found = MixedEquilibria.LemkeHowson(PenniesA, PenniesB);
        found.Should().ContainSingle();
        found[0].RowStrategy.Should().Equal([0.5, 0.5], (a, b) => Math.Abs(a - b) < 1e-12);
        found[0].Method.Should().Be(MixedEquilibria.LemkeHowsonName);
    }

    [Fact]
    public void SupportEnumeration_BattleOfTheSexes_FindsAllThree()
    {
        // Given A = [[3,0],[0,2]], B = [[2,0],[0,3]]: two pure equilibria and x = (3/5, 2/5), y = (2/5, 3/5)
        double[,] a = { { 3, 0 }, { 0, 2 } };
        double[,] b = { { 2, 0 }, { 0, 3 } };
        var found = MixedEquilibria.SupportEnumeration(a, b);
        found.Should().HaveCount(3);
        found.Should().Contain(e => Math.Abs(e.RowStrategy[0] - 0.6) < 1e-12 && Math.Abs(e.ColumnStrategy[0] - 0.4) < 1e-12
            && Math.Abs(e.RowPayoff - 1.2) < 1e-12 && Math.Abs(e.ColumnPayoff - 1.2) < 1e-12);
        found.Should().Contain(e => e.RowStrategy[0] == 1 && e.ColumnStrategy[0] == 1);
        found.Should().Contain(e => e.RowStrategy[1] == 1 && e.ColumnStrategy[1] == 1);
    }

    [Fact]
    public void LemkeHowson_RockPaperScissors_FindsUniform()
    {
        double[,] a = { { 0, -1, 1 }, { 1, 0, -1 }, { -1, 1, 0 } };
        var b = new double[3, 3];
        for (var i = 0; i < 3; i++) for (var j = 0; j < 3; j++) b[i, j] = -a[i, j];
        var found = MixedEquilibria.LemkeHowson(a, b);
        found.Should().ContainSingle();
        found[0].RowStrategy.Should().OnlyContain(p => Math.Abs(p - 1.0 / 3) < 1e-12);
        found[0].ColumnStrategy.Should().OnlyContain(p => Math.Abs(p - 1.0 / 3) < 1e-12);
    }

    [Fact]
    public void LemkeHowson_RandomGames_EveryResultIsAnEquilibriumFoundBySupportEnumeration()
    {
        // Given random 5×4 games (nondegenerate with probability one): support enumeration lists all equilibria
        var rng = new Xoshiro256StarStar(42);
        for (var g = 0; g < 20; g++)
        {
            var a = new double[5, 4];
            var b = new double[5, 4];
            for (var i = 0; i < 5; i++) for (var j = 0; j < 4; j++) { a[i, j] = rng.NextDouble(); b[i, j] = rng.NextDouble(); }
            var all = MixedEquilibria.SupportEnumeration(a, b);
            var lh = MixedEquilibria.LemkeHowson(a, b);
            // Then Lemke–Howson finds at least one, each among support enumeration's, and the count is odd (Lemke–Howson's theorem)
            lh.Should().NotBeEmpty();
            (all.Count % 2).Should().Be(1);
            foreach (var e in lh)
            {
                all.Should().Contain(q => q.RowStrategy.Zip(e.RowStrategy).All(t => Math.Abs(t.First - t.Second) < 1e-8)
                    && q.ColumnStrategy.Zip(e.ColumnStrategy).All(t => Math.Abs(t.First - t.Second) < 1e-8));
            }
        }
    }

    [Fact]
    public void LemkeHowson_DegenerateWinnerTakesAllGame_TerminatesWithVerifiedEquilibria()
    {
        // Given a 41-point winner-takes-all pricing bimatrix, full of ties
        var game = WinnerTakesAll(0.025, 0.025);
        var grid = new SpreadGrid(0.4, 0.01);
        var a = new double[grid.Count, grid.Count];
        var b = new double[grid.Count, grid.Count];
        for (var i = 0; i < grid.Count; i++)
        {
            for (var j = 0; j < grid.Count; j++)
            {
                a[i, j] = game.TwoPlayerPayoff(0, grid[i], grid[j]);
                b[i, j] = game.TwoPlayerPayoff(1, grid[j], grid[i]);
            }
        }
        // When / Then paths from two labels end (each within its pivot cap) and every result is verified
        var found = MixedEquilibria.LemkeHowson(a, b, [20, 60]);
        found.Should().NotBeEmpty();
        found.Should().OnlyContain(e => MixedEquilibria.IsEquilibrium(a, b, e.RowStrategy, e.ColumnStrategy));
    }

    [Fact]
    public void SolveMixed_SmallPricingGame_SupportEnumerationIncludesEveryPureGridEquilibrium()
    {
        // Given the hand-checked winner-takes-all game (m = 0.025) on 10 points: pure equilibria (0.03,0.03) and (0.04,0.04)
        var game = WinnerTakesAll(0.025, 0.025);
        var grid = new SpreadGrid(0.09, 0.01);
        // When the mixed solver runs on it (support enumeration: the grid is small)
        var (mixed, method) = EquilibriumSolver.SolveMixed(game, grid);
        // Then it reports its method, finds both pure equilibria as degenerate mixtures, and each is an equilibrium of the grid game
        method.Should().StartWith(MixedEquilibria.SupportEnumerationName);
        mixed.Should().Contain(e => e.Supports[0].Single().HalfSpread == grid[3] && e.Supports[1].Single().HalfSpread == grid[3]);
        mixed.Should().Contain(e => e.Supports[0].Single().HalfSpread == grid[4] && e.Supports[1].Single().HalfSpread == grid[4]);
        mixed.Should().OnlyContain(e => e.FullGridGain <= 1e-12);
    }

    [Fact]
    public void SolveMixed_LargeGrid_CoarsensForLemkeHowsonAndReportsTheFullGridGain()
    {
        // Given a 2001-point logit game, coarsened to 101 points
        var game = Symmetric(2);
        var (mixed, method) = EquilibriumSolver.SolveMixed(game, new SpreadGrid());
        method.Should().StartWith(MixedEquilibria.LemkeHowsonName).And.Contain("coarsened");
        // Then the coarse game's equilibrium (pure here: 0.22 or 0.24 around s* = 0.23) is reported with its gain on the full grid
        mixed.Should().NotBeEmpty();
        mixed.Should().OnlyContain(e => e.GridPoints == 101 && e.FullGridGain >= 0 && e.FullGridGain < 0.05);
    }
}
