using System.Text;
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

    [Theory]
    [InlineData("", true)]
    [InlineData("", false)]
    [InlineData("{t},x", true)]
    [InlineData("{p},100", true)]
    [InlineData("{t},100,5", true)]
    [InlineData("{t}, 100", true)]
    [InlineData("\"{t}\",100", true)]
    [InlineData("{t},100\r", true)]
    [InlineData("", true, "\n \n")]
    [InlineData("", false, "\n\n")]
    [InlineData("1e3", false)]
    [InlineData("123456789012345678", false)]
    [InlineData(" ", false)]
    [InlineData("", false, "")]
    [InlineData("", true, "\r\n", "\r\n")]
    [InlineData("", false, "\r\n", "\r\n")]
    [InlineData("{t},x", true, "\r\n", "\r\n")]
    [InlineData("{t},100\r", true, "", "\r\n")]
    [InlineData("{t},\"100\"", true, "\r\n", "\r\n")]
    [InlineData("{p},100", true, "\r\n", "\r\n")]
    public void NextBlock_AnyFlaw_SameRowsAndErrorAsNext(string flaw, bool timed, string end = "\n", string newline = "\n")
    {
        // Given a long series (several buffers) with a flaw, if any, in the middle: {t} is the row's time, {p} the previous row's
        using var dir = new TempDir();
        var text = new StringBuilder(timed ? "time,mid" : "mid").Append(newline);
        const int rows = 100_000;
        for (var i = 0; i < rows; i++)
        {
            var mid = FormattableString.Invariant($"{100 + (i % 977) * 0.0625}");
            var row = timed ? FormattableString.Invariant($"{i * 0.5},{mid}") : mid;
            if (i == rows / 2 && flaw != "") row = flaw.Replace("{t}", FormattableString.Invariant($"{i * 0.5}")).Replace("{p}", FormattableString.Invariant($"{(i - 1) * 0.5}"));
            text.Append(row).Append(i == rows - 1 ? end : newline);
        }
        var path = dir.Write("mid.csv", text.ToString());

        // When it is read row by row, and in blocks of varying sizes
        var expected = Outcome(path, block: 0);
        var actual = Outcome(path, block: 1);
        var large = Outcome(path, block: 4096);

        // Then the rows (bits) and the error, if any, are the same
        actual.Should().Be(expected);
        large.Should().Be(expected);
    }

    [Theory]
    [InlineData(50_000, 0.0, "\n")]
    [InlineData(50_001, 0.0, "\n")]
    [InlineData(50_001, -0.25, "\r\n")]
    [InlineData(50_002, -1000.0, "\n")]
    [InlineData(50_003, 0.001, "\n")]
    public void NextBlock_FixedDecimalsTimeNotIncreasing_SameRowsAndErrorAsNext(int row, double shift, string newline)
    {
        // Given prices and times printed with fixed decimals (read several lines at a time), one time not above the one before
        using var dir = new TempDir();
        var text = new StringBuilder("time,mid").Append(newline);
        for (var i = 0; i < 100_000; i++)
        {
            var time = i == row ? (row - 1) * 0.5 + shift : i * 0.5;
            text.Append(FormattableString.Invariant($"{time:F3},{100 + (i % 977) * 0.0625:F4}")).Append(newline);
        }
        var path = dir.Write("mid.csv", text.ToString());

        // When it is read row by row, and in blocks, Then the rows and the error are the same
        var expected = Outcome(path, block: 0);
        expected.Should().Contain(shift > 0 ? "rows 100000" : "time must increase");
        Outcome(path, block: 1).Should().Be(expected);
        Outcome(path, block: 4096).Should().Be(expected);
    }

    /// <param name="block">0: row by row with Next; 1: NextBlock with sizes 1, 8, 15, …; more: NextBlock with that size.</param>
    private static string Outcome(string path, int block)
    {
        // Rows folded into one number (order matters), cheaper than text for 10^5 rows.
        var hash = 17L;
        var count = 0;
        try
        {
            using var rows = new MidRows(path);
            var mids = new double[Math.Max(block, 310)];
            var times = new double[mids.Length];
            for (var size = 1; ; size = block == 1 ? size % 300 + 7 : block)
            {
                var read = block == 0 ? (rows.Next(out mids[0], out times[0]) ? 1 : 0) : rows.NextBlock(mids.AsSpan(0, size), times.AsSpan(0, size));
                if (read == 0) break;
                for (var r = 0; r < read; r++)
                {
                    count++;
                    hash = ((hash * 31) + BitConverter.DoubleToInt64Bits(mids[r])) * 31 + BitConverter.DoubleToInt64Bits(times[r]);
                }
            }
            return $"rows {count} {hash}";
        }
        catch (InputException e)
        {
            return $"rows {count} {hash} error {e.Describe()}";
        }
    }
}
