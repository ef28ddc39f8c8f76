namespace MarketMaking.Charts.Tests;

public class TicksTests
{
    [Fact]
    public void Linear_ZeroToOne_StepsOfPointTwoWithCleanLabels()
    {
        // Given the range 0..1 and about five ticks wanted
        // When ticks are generated
        var ticks = Ticks.Linear(0, 1, 5);

        // Then they are 0, 0.2, ..., 1 labelled without float noise
        ticks.Select(t => t.Label).Should().Equal("0", "0.2", "0.4", "0.6", "0.8", "1");
        ticks.Select(t => t.Value).Should().Equal(0, 0.2, 0.4, 0.6, 0.8, 1);
    }

    [Fact]
    public void Format_PointOnePlusPointTwo_IsPointThree()
    {
        // Given the classic float sum 0.1 + 0.2 = 0.30000000000000004
        // When formatted as a tick on an axis stepping by 0.1
        // Then the label is "0.3"
        Ticks.Format(0.1 + 0.2, 0.1).Should().Be("0.3");
        Ticks.Linear(0, 0.7, 7).Select(t => t.Label).Should().Contain("0.3").And.NotContain(l => l.Length > 3);
    }

    [Theory]
    [InlineData(1.0, 5, 0.2)]
    [InlineData(10.0, 5, 2)]
    [InlineData(7.0, 5, 1)]
    [InlineData(0.003, 6, 0.0005)]
    [InlineData(120000.0, 6, 20000)]
    public void NiceStep_Spans_AreOneTwoFiveTimesAPowerOfTen(double span, int target, double expected)
    {
        // Given a span and a target count
        // When the step is chosen
        // Then it is the 1-2-5 step nearest span / target
        Ticks.NiceStep(span, target).Should().BeApproximately(expected, expected * 1e-12);
    }

    [Fact]
    public void Linear_LargeValues_UseThousandsAndMillionsSuffixes()
    {
        // Given P&L-sized ranges
        // When labelled
        // Then k and M suffixes keep them short
        Ticks.Linear(0, 100000, 5).Select(t => t.Label).Should().Equal("0", "20k", "40k", "60k", "80k", "100k");
        Ticks.Linear(0, 3e6, 6).Select(t => t.Label).Should().Equal("0", "500k", "1M", "1.5M", "2M", "2.5M", "3M");
    }

    [Fact]
    public void Linear_TinyValues_UseExponents()
    {
        // Given a range below 10^-3
        // When labelled
        var labels = Ticks.Linear(0, 0.0001, 4).Select(t => t.Label).ToList();

        // Then labels use compact exponents
        labels.Should().Equal("0", "2e-5", "4e-5", "6e-5", "8e-5", "1e-4");
    }

    [Fact]
    public void Linear_NegativeRange_HasNoMinusZero()
    {
        // Given a range straddling zero
        // When labelled
        var labels = Ticks.Linear(-1, 1, 4).Select(t => t.Label).ToList();

        // Then zero is "0" and negatives keep their sign
        labels.Should().Equal("-1", "-0.5", "0", "0.5", "1");
    }

    [Fact]
    public void Log_FourDecades_LabelsDecadesWithMinorTicksBetween()
    {
        // Given 0.001 .. 10 on a log axis
        // When ticks are generated
        var ticks = Ticks.Log(0.001, 10, 6);

        // Then the labelled ticks are the decades and the 2..9 multiples are unlabelled minors
        ticks.Where(t => t.Label.Length > 0).Select(t => t.Label).Should().Equal("0.001", "0.01", "0.1", "1", "10");
        ticks.Count(t => !t.Major).Should().Be(4 * 8);
    }

    [Fact]
    public void Log_FewDecades_LabelsTwoAndFiveToo()
    {
        // Given 1 .. 100
        // When ticks are generated
        var labels = Ticks.Log(1, 100, 6).Where(t => t.Label.Length > 0).Select(t => t.Label);

        // Then 2 and 5 multiples are labelled as well
        labels.Should().Equal("1", "2", "5", "10", "20", "50", "100");
    }

    [Fact]
    public void Log_ManyDecades_UsesExponentLabels()
    {
        // Given 1e-6 .. 1e6
        // When ticks are generated with room for about six labels
        var labels = Ticks.Log(1e-6, 1e6, 6).Where(t => t.Label.Length > 0).Select(t => t.Label).ToList();

        // Then every other decade is labelled, far ones in exponent form
        labels.Should().Equal("1e-6", "1e-4", "0.01", "1", "100", "1e4", "1e6");
    }

    [Fact]
    public void Log_InsideOneDecade_FallsBackToLinearSteps()
    {
        // Given 2 .. 8, which holds no decade
        // When ticks are generated
        var labels = Ticks.Log(2, 8, 6).Select(t => t.Label).ToList();

        // Then linear 1-2-5 ticks are used
        labels.Should().Equal("2", "3", "4", "5", "6", "7", "8");
    }

    [Fact]
    public void Linear_DegenerateRange_GivesNoTicks()
    {
        // Given empty, NaN and reversed ranges
        // When ticks are asked for / Then none are produced (the plot widens such ranges first)
        Ticks.Linear(1, 1, 5).Should().BeEmpty();
        Ticks.Linear(double.NaN, 1, 5).Should().BeEmpty();
        Ticks.Log(0, 10, 5).Should().BeEmpty();
        Ticks.Log(-1, 10, 5).Should().BeEmpty();
    }
}
