using MarketMaking.Core;
using MarketMaking.Data.Inputs;

namespace MarketMaking.Data.Tests;

public class CsvMidMarketTests
{
    [Fact]
    public void Open_TimedSeries_StreamsMidsTimesAndSteps()
    {
        // Given a series longer than one chunk of the cursor's caller
        using var dir = new TempDir();
        var rows = Enumerable.Range(0, 301).Select(i => FormattableString.Invariant($"{i * 0.5},{100 + Math.Sin(i)}"));
        var path = dir.Write("mid.csv", "time,mid\n" + string.Join("\n", rows) + "\n");

        // When the market is opened for 4 lanes and read in two chunks
        var market = new CsvMidMarket(path, 1.0);
        using var cursor = market.Open(0, 4, 1);
        var mids = new double[300 * 4];
        var times = new double[300];
        var dts = new double[300];
        cursor.Next(128, mids.AsSpan(0, 128 * 4), times.AsSpan(0, 128), dts.AsSpan(0, 128));
        cursor.Next(172, mids.AsSpan(128 * 4), times.AsSpan(128), dts.AsSpan(128));

        // Then every lane sees row j+1 after step j, at its time
        market.InitialMid.Should().Be(100);
        market.Steps.Should().Be(300);
        market.Horizon.Should().Be(150);
        mids[299 * 4 + 3].Should().Be(100 + Math.Sin(300));
        times[299].Should().Be(150);
        dts.Should().OnlyContain(d => d == 0.5);
    }

    [Fact]
    public void Constructor_NoTimeColumn_UsesDt()
    {
        using var dir = new TempDir();
        var path = dir.Write("mid.csv", "mid\n100\n101\n102\n");

        var market = new CsvMidMarket(path, 0.25);

        market.Steps.Should().Be(2);
        market.Horizon.Should().Be(0.5);
    }

    [Theory]
    [InlineData("price\n100\n101\n", "missing column 'mid'")]
    [InlineData("mid\n100\nabc\n", "not a number")]
    [InlineData("mid\n100\nNaN\n", "not a finite number")]
    [InlineData("mid\n100\nInfinity\n", "not a finite number")]
    [InlineData("mid\n100\n", "at least two rows")]
    [InlineData("mid\n", "at least two rows")]
    [InlineData("time,mid\n0,100\n1,101\n1,102\n", "time must increase strictly")]
    [InlineData("time,mid\n0,100\n2,101\n1,102\n", "time must increase strictly")]
    public void Constructor_BadSeries_OneLineError(string content, string message)
    {
        using var dir = new TempDir();
        var path = dir.Write("mid.csv", content);

        var error = ((Action)(() => _ = new CsvMidMarket(path, 1.0))).Should().Throw<InputException>().Which;

        error.Message.Should().Contain(message);
        error.File.Should().Be(path);
        error.Describe().Should().NotContain("\n");
    }
}
