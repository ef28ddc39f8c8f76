using MarketMaking.Core;
using MarketMaking.Data.Inputs;

namespace MarketMaking.Data.Tests;

public class MidSeriesReaderTests
{
    [Fact]
    public void Read_MidAndTime_ReadsBoth()
    {
        using var dir = new TempDir();
        var series = MidSeriesReader.Read(dir.Write("mid.csv", "time,mid\n0,100\n0.5,100.5\n1,100.25\n"));

        series.Mid.Should().Equal(100, 100.5, 100.25);
        series.Time.Should().Equal(0, 0.5, 1);
    }

    [Theory]
    [InlineData("price\n1\n2\n", "missing column 'mid'")]
    [InlineData("mid\n100\n", "at least two rows")]
    [InlineData("time,mid\n0,100\n0,101\n", "time must increase")]
    [InlineData("mid\n100\nabc\n", "not a number")]
    [InlineData("mid\n100\n-inf\n", "not a finite number")]
    public void Read_BadSeries_Throws(string content, string message)
    {
        using var dir = new TempDir();
        var act = () => MidSeriesReader.Read(dir.Write("mid.csv", content));
        act.Should().Throw<InputException>().WithMessage($"*{message}*");
    }
}
