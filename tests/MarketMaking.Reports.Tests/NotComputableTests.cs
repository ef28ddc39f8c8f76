using System.Text;
using MarketMaking.Core.Calibration;

namespace MarketMaking.Reports.Tests;

public class NotComputableTests
{
    [Fact]
    public void AppendTable_NoNa_NoFootnote()
    {
        // Given a table without n/a, When appended, Then only the table
        var md = new StringBuilder();
        NotComputable.AppendTable(md, new MarkdownTable("x", "y:").Row("a", Text.Sig(1.5)), ["never shown"]);
        md.ToString().Should().NotContain(NotComputable.Prefix);
    }

    [Fact]
    public void AppendTable_Na_FootnoteWithDistinctReasonsOrAFallback()
    {
        // Given a table with a NaN figure, When appended with a repeated reason, and with none
        var withReasons = new StringBuilder();
        NotComputable.AppendTable(withReasons, new MarkdownTable("x", "y:").Row("a", Text.Sig(double.NaN)), ["singular", "singular", ""]);
        var without = new StringBuilder();
        NotComputable.AppendTable(without, new MarkdownTable("x", "y:").Row("a", Text.Sig(double.NaN)), []);

        // Then the line after the table names each reason once, or says the data do not determine the figures
        withReasons.ToString().Should().EndWith("\n\nn/a: not computable: singular.\n\n");
        without.ToString().Should().Contain("n/a: not computable: the data do not determine these figures.");
    }

    [Fact]
    public void Reasons_NoWarnings_FallsBackToTheOutcome()
    {
        // Given a fit without warnings that stopped on a boundary without converging
        var reasons = NotComputable.Reasons([], new OptimizerOutcome(false, 50, "Newton", "k -> 0"), "standard error", "power").ToList();

        // Then both facts are given, labelled with the model
        reasons.Should().Equal("power: the optimiser (Newton) did not converge", "power: the estimate is on a boundary: k -> 0");
        NotComputable.Reasons(["a standard error is NaN", "other"], new OptimizerOutcome(true, 3, "Newton", null), "standard error").Should().Equal("a standard error is NaN");
    }
}
