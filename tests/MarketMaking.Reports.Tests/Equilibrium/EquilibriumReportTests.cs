using System.Globalization;
using MarketMaking.Core.Game;
using MarketMaking.Reports.Equilibrium;

namespace MarketMaking.Reports.Tests.Equilibrium;

public class EquilibriumReportTests
{
    private static EquilibriumResult SmallWinnerTakesAll() => EquilibriumAnalysis.Run(new EquilibriumConfig(
        new GameMarket(0, 0, 1, 0, ShareModel.WinnerTakesAll, 1),
        [new GamePlayer("desk", 0.025, 0), new GamePlayer("rival", 0.025, 0)],
        new SpreadGrid(0.09, 0.01)));

    [Fact]
    public void EquilibriaCsv_MixedEquilibria_OneRowPerSupportPointWithProbability()
    {
        // Given a result carrying mixed equilibria of the discretised game (support enumeration on 10 points)
        var result = SmallWinnerTakesAll();
        var (mixed, method) = EquilibriumSolver.SolveMixed(result.Game, result.Grid);
        var withMixed = result with { Solved = result.Solved with { Mixed = mixed, MixedMethod = method } };

        // When the CSV is written
        var rows = EquilibriumReport.EquilibriaCsv(withMixed).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => r.Split(',')).ToList();

        // Then pure rows have no probability, mixed rows do, and each maker's probabilities sum to one per equilibrium
        rows.Where(r => r[6] == "pure").Should().OnlyContain(r => r[7] == "" && r[3] != "");
        var mixedRows = rows.Where(r => r[6] == "mixed").ToList();
        mixedRows.Should().NotBeEmpty();
        mixedRows.Should().OnlyContain(r => r[3] == "" && r[4] == "" && r[7] != "");
        foreach (var group in mixedRows.GroupBy(r => (r[0], r[1])))
        {
            group.Sum(r => double.Parse(r[7], CultureInfo.InvariantCulture)).Should().BeApproximately(1.0, 1e-9);
        }
        EquilibriumReport.Markdown(withMixed, []).Should().Contain("### Mixed equilibria").And.Contain(MixedEquilibria.SupportEnumerationName);
    }

    [Fact]
    public void Markdown_WinnerTakesAll_ListsBothEquilibriaAndNoClosedForm()
    {
        var md = EquilibriumReport.Markdown(SmallWinnerTakesAll(), []);
        md.Should().Contain("2 pure equilibria on the grid").And.Contain("| 1 | 0.03 | 0.03 |").And.Contain("| 2 | 0.04 | 0.04 |");
        md.Should().NotContain("Closed-form check").And.NotContain("## Charts");
    }

    [Fact]
    public void BestResponseCsv_HasOneRowPerMakerAndRivalQuote()
    {
        var csv = EquilibriumReport.BestResponseCsv(SmallWinnerTakesAll()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        csv[0].Should().Be("player,rival_half_spread,best_response,best_response_max,payoff");
        csv.Should().HaveCount(1 + 2 * 10);
        // Against a rival at 0.05 the desk undercuts to 0.04 (earns 0.015) rather than tie (0.0125)
        csv.Should().Contain("desk,0.05,0.04,0.04,0.015");
    }
}
