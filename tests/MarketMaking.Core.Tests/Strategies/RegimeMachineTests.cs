using MarketMaking.Core.Strategies;

namespace MarketMaking.Core.Tests.Strategies;

public class RegimeMachineTests
{
    [Fact]
    public void Update_VolOscillatingAroundEntryThreshold_DoesNotFlipFlop()
    {
        // Given entry 1.5 / exit 1.2 and a vol ratio alternating 1.49, 1.51 for 200 steps
        var machine = new RegimeMachine(new RegimeSettings(volEnter: 1.5, volExit: 1.2, minDwell: 5), 1);
        var states = new List<Regime>();
        for (var i = 0; i < 200; i++) states.Add(machine.Update(0, i % 2 == 0 ? 1.49 : 1.51, 0, 0));

        // Then it enters high_vol once and stays: one transition
        machine.Transitions[0].Should().Be(1);
        states[^1].Should().Be(Regime.HighVol);
    }

    [Fact]
    public void Update_WithoutHysteresis_FlipsEveryStep()
    {
        // Given equal bands and no dwell (the check above can fail: this is what it guards against)
        var machine = new RegimeMachine(new RegimeSettings(volEnter: 1.5, volExit: 1.5, minDwell: 0), 1);
        for (var i = 0; i < 200; i++) machine.Update(0, i % 2 == 0 ? 1.49 : 1.51, 0, 0);

        machine.Transitions[0].Should().BeGreaterThan(150);
    }

    [Fact]
    public void Update_TrendOscillatingAcrossBothBands_HeldForMinimumDwell()
    {
        // Given trend bands 0.004 / 0.002, dwell 10, a trend strength swinging 0 ↔ 0.005 every step
        var machine = new RegimeMachine(new RegimeSettings(trendEnter: 0.004, trendExit: 0.002, minDwell: 10), 1);
        var states = new List<Regime>();
        for (var i = 0; i < 220; i++) states.Add(machine.Update(0, 1.0, i % 2 == 0 ? 0.0 : 0.005, 0));

        // Then every regime spell lasts at least the dwell: at most one change per 11 steps
        machine.Transitions[0].Should().BeLessThanOrEqualTo(220 / 11 + 1);
        var run = 1;
        for (var i = 1; i < states.Count; i++)
        {
            if (states[i] != states[i - 1])
            {
                run.Should().BeGreaterThanOrEqualTo(10);
                run = 0;
            }
            run++;
        }
    }

    [Fact]
    public void Update_HighVolTakesPrecedenceAndExitsBelowExitBand()
    {
        var machine = new RegimeMachine(new RegimeSettings(volEnter: 1.5, volExit: 1.2, minDwell: 0), 1);

        machine.Update(0, 2.0, 0.01, 0).Should().Be(Regime.HighVol);
        machine.Update(0, 1.3, 0, 0).Should().Be(Regime.HighVol);
        machine.Update(0, 1.1, 0, 0).Should().Be(Regime.MeanReversion);
    }

    [Fact]
    public void Update_NewsShock_PausesForNewsPauseSteps()
    {
        var machine = new RegimeMachine(new RegimeSettings(newsThreshold: 5, newsPause: 3, minDwell: 10), 1);

        machine.Update(0, 1.0, 0, 6).Should().Be(Regime.News);
        machine.Update(0, 1.0, 0, 0).Should().Be(Regime.News);
        machine.Update(0, 1.0, 0, 0).Should().Be(Regime.News);
        machine.Update(0, 1.0, 0, 0).Should().Be(Regime.MeanReversion);
    }

    [Theory]
    [InlineData(double.NaN, 1.2)]
    [InlineData(0.0, 0.0)]
    [InlineData(-1.0, 1.2)]
    [InlineData(1.2, 1.5)]
    public void RegimeSettings_InvalidVolBands_Rejected(double enter, double exit)
    {
        var act = () => new RegimeSettings(volEnter: enter, volExit: exit);

        act.Should().Throw<InputException>();
    }

    [Fact]
    public void LaneTrend_Momentum_MatchesMovingAverages()
    {
        // Given mids 1..30 on one lane (padding lanes equal), short 5, long 20
        var trend = new LaneTrend(5, 20, 1);
        for (var i = 1; i <= 30; i++) trend.Observe([i]);

        // Then short MA = 28, long MA = 20.5 (the means of 26..30 and 11..30)
        trend.Gap(0).Should().BeApproximately(28 - 20.5, 1e-12);
        trend.Momentum(0).Should().BeApproximately((28 - 20.5) / 20.5, 1e-12);
    }

    [Theory]
    [InlineData(0, 20)]
    [InlineData(5, 5)]
    [InlineData(5, 1)]
    public void LaneTrend_InvalidWindows_Rejected(int shortWindow, int longWindow)
    {
        var act = () => new LaneTrend(shortWindow, longWindow, 1);

        act.Should().Throw<InputException>();
    }
}
