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
    public void Open_LongTimedSeries_PrefetchedCursorStreamsTheSameSteps()
    {
        // Given a timed series long enough to be read ahead on a second thread
        using var dir = new TempDir();
        var rows = 2 * PrefetchedMidRows.BlockRows + 301;
        var path = dir.Write("mid.csv", "time,mid\n" + string.Join("\n", Enumerable.Range(0, rows).Select(i => FormattableString.Invariant($"{i * 0.5 + (i % 3) * 0.125},{100 + Math.Sin(i):R}"))) + "\n");

        // When the market is opened for 4 lanes and read in chunks of 128 steps
        var market = new CsvMidMarket(path, 1.0);
        using var cursor = market.Open(0, 4, 1);
        var steps = market.Steps;
        var mids = new double[steps * 4];
        var times = new double[steps];
        var dts = new double[steps];
        for (var start = 0; start < steps; start += 128)
        {
            var count = Math.Min(128, steps - start);
            cursor.Next(count, mids.AsSpan(start * 4, count * 4), times.AsSpan(start, count), dts.AsSpan(start, count));
        }

        // Then every lane sees row j+1 after step j, at its time since the start, after its own step length
        steps.Should().Be(rows - 1);
        for (var j = 0; j < steps; j++)
        {
            var t = (j + 1) * 0.5 + ((j + 1) % 3) * 0.125;
            var previous = j * 0.5 + (j % 3) * 0.125;
            mids[j * 4 + 3].Should().Be(100 + Math.Sin(j + 1));
            times[j].Should().Be(t - 0.0);
            dts[j].Should().Be(t - previous);
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(3)]
    public void Open_LongSeriesWithoutTime_PrefetchedCursorStepsByDt(int lanes)
    {
        // Given a mid series without times, long enough to be read ahead on a second thread
        using var dir = new TempDir();
        var rows = 2 * PrefetchedMidRows.BlockRows + 301;
        var path = dir.Write("mid.csv", "mid\n" + string.Join("\n", Enumerable.Range(0, rows).Select(i => FormattableString.Invariant($"{100 + Math.Sin(i):F4}"))) + "\n");

        // When the market is opened and read in chunks of 100 steps
        var market = new CsvMidMarket(path, 0.1);
        using var cursor = market.Open(0, lanes, 1);
        var steps = market.Steps;
        var mids = new double[steps * lanes];
        var times = new double[steps];
        var dts = new double[steps];
        for (var start = 0; start < steps; start += 100)
        {
            var count = Math.Min(100, steps - start);
            cursor.Next(count, mids.AsSpan(start * lanes, count * lanes), times.AsSpan(start, count), dts.AsSpan(start, count));
        }

        // Then every lane sees row j+1 after step j, at (j+1)·dt, after a step of dt
        var rowMids = Enumerable.Range(1, steps)
            .Select(i => double.Parse(FormattableString.Invariant($"{100 + Math.Sin(i):F4}"), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        mids.SequenceEqual(Enumerable.Range(0, steps * lanes).Select(k => rowMids[k / lanes])).Should().BeTrue();
        times.SequenceEqual(Enumerable.Range(0, steps).Select(j => (j + 1) * 0.1)).Should().BeTrue();
        dts.Should().OnlyContain(d => d == 0.1);
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

    [Theory]
    [InlineData("valid", true)]
    [InlineData("valid", false)]
    [InlineData("equal time at the middle", true)]
    [InlineData("bad cell in the second half", true)]
    [InlineData("bad cell in the first half", true)]
    [InlineData("blank line before the middle", true)]
    [InlineData("blank line before the middle", false)]
    [InlineData("quoted cell in the second half", false)]
    [InlineData("no final line feed", true)]
    [InlineData("blank lines at the end", false)]
    [InlineData("crlf", true)]
    [InlineData("crlf, bad cell in the second half", true)]
    public void Constructor_LongFile_SameAsOnePass(string variant, bool timed)
    {
        // Given a file long enough to be validated in two parts, maybe with a flaw near where the parts meet
        using var dir = new TempDir();
        var lines = new List<string> { timed ? "time,mid" : "mid" };
        for (var i = 0; i < 20_000; i++) lines.Add(Row(i, FormattableString.Invariant($"{100 + (i % 1000) * 0.0125}")));
        string Row(int i, string mid) => timed ? FormattableString.Invariant($"{i * 0.25},{mid}") : mid;
        var middle = Middle(lines);
        switch (variant)
        {
            case "equal time at the middle": lines[middle] = lines[middle - 1]; break;
            case "bad cell in the second half": lines[middle + 100] = Row(middle + 99, "1e999"); break;
            case "bad cell in the first half": lines[middle - 100] = Row(middle - 101, "x"); break;
            // Spaces, so that the middle stays where it was: the blank line ends the first part.
            case "blank line before the middle": lines[middle - 1] = new string(' ', lines[middle - 1].Length); break;
            case "quoted cell in the second half": lines[middle + 5] = Row(middle + 4, "\"101\""); break;
            case "crlf, bad cell in the second half": lines[middle + 100] = Row(middle + 99, "1,5"); break;
        }
        var newline = variant.StartsWith("crlf", StringComparison.Ordinal) ? "\r\n" : "\n";
        var text = string.Join(newline, lines) + (variant switch { "no final line feed" => "", "blank lines at the end" => "\n\n \n", _ => newline });
        var path = dir.Write("mid.csv", text);

        // When the market validates it in two parts, Then it finds what one pass of MidRows finds: the same rows, or the same error
        Outcome(() =>
        {
            var market = new CsvMidMarket(path, 1.0, twoPartBytes: 1024);
            return FormattableString.Invariant($"{market.Steps} {market.InitialMid:R} {market.Horizon:R}");
        }).Should().Be(Outcome(() =>
        {
            using var series = new MidRows(path);
            var (count, first, firstTime, lastTime) = (0, 0.0, 0.0, 0.0);
            while (series.Next(out var mid, out var time))
            {
                if (count++ == 0) (first, firstTime) = (mid, time);
                lastTime = time;
            }
            return FormattableString.Invariant($"{count - 1} {first:R} {(timed ? lastTime - firstTime : count - 1.0):R}");
        }));
    }

    /// <summary>Index of the line that starts first after the middle byte of the file the lines make.</summary>
    private static int Middle(List<string> lines)
    {
        var length = lines.Sum(l => l.Length + 1);
        var at = 0;
        for (var i = 0; ; i++)
        {
            if (at >= length / 2) return i;
            at += lines[i].Length + 1;
        }
    }

    private static string Outcome(Func<string> read)
    {
        try
        {
            return read();
        }
        catch (InputException e)
        {
            return "error " + e.Describe();
        }
    }
}
