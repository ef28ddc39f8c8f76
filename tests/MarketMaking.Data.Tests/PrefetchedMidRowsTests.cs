using System.Globalization;
using System.Text;
using MarketMaking.Core;
using MarketMaking.Data.Inputs;

namespace MarketMaking.Data.Tests;

/// <summary>The prefetching reader must hand over exactly the rows and errors of <see cref="MidRows"/>, whatever the thread timing.</summary>
public class PrefetchedMidRowsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("x,x\n")]
    [InlineData("5,1\n")]
    public void Next_LongSeries_SameRowsAndErrorAsMidRows(string tail)
    {
        // Given a timed series of several blocks, then maybe a bad cell or a time that goes back near its end
        using var dir = new TempDir();
        var text = new StringBuilder("time,mid\n");
        var rows = 3 * PrefetchedMidRows.BlockRows + 17;
        for (var i = 0; i < rows; i++) text.Append(CultureInfo.InvariantCulture, $"{i * 0.5},{100 + Math.Sin(i):R}\n");
        text.Append(tail);
        var path = dir.Write("mid.csv", text.ToString());

        // When both readers read every row
        var expected = Outcome(path, prefetch: false);
        var actual = Outcome(path, prefetch: true);

        // Then the rows (bits) and the error, if any, are the same
        actual.Should().Be(expected);
        expected.Should().Contain(tail == "" ? $"rows {rows}" : "error");
    }

    [Fact]
    public void Take_ChunksOfAnySize_SameRowsAsMidRows()
    {
        // Given a series of a few blocks
        using var dir = new TempDir();
        var rows = 2 * PrefetchedMidRows.BlockRows + 5;
        var path = dir.Write("mid.csv", "time,mid\n" + string.Join("\n", Enumerable.Range(0, rows).Select(i => FormattableString.Invariant($"{i},{100 + Math.Cos(i):R}"))) + "\n");

        // When it is taken in chunks of varying sizes, some across the blocks' ends
        using var prefetched = new PrefetchedMidRows(path);
        var mids = new List<double>();
        var times = new List<double>();
        for (var size = 1; ; size = size % 300 + 7)
        {
            var m = new double[size];
            var t = new double[size];
            var taken = prefetched.Take(m, t);
            if (taken == 0) break;
            taken.Should().BeInRange(1, size);
            mids.AddRange(m.Take(taken));
            times.AddRange(t.Take(taken));
        }

        // Then it hands over every row once, in order, as MidRows reads them
        using var plain = new MidRows(path);
        var expected = new List<double>();
        while (plain.Next(out var mid, out _)) expected.Add(mid);
        mids.Should().Equal(expected);
        times.Should().Equal(Enumerable.Range(0, rows).Select(i => (double)i));
    }

    [Fact]
    public async Task Dispose_BeforeTheEnd_StopsTheReader()
    {
        // Given a series of many blocks, of which the consumer reads one row
        using var dir = new TempDir();
        var path = dir.Write("mid.csv", "mid\n" + string.Join("\n", Enumerable.Range(0, 10 * PrefetchedMidRows.BlockRows).Select(i => (100 + i % 7).ToString(CultureInfo.InvariantCulture))) + "\n");
        var rows = new PrefetchedMidRows(path);
        rows.Next(out var mid, out _).Should().BeTrue();

        // When it is disposed, Then it returns (the reader thread stopped) and the file can be replaced
        var dispose = Task.Run(rows.Dispose);
        (await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(10)))).Should().BeSameAs(dispose);
        mid.Should().Be(100);
        File.WriteAllText(path, "mid\n1\n2\n");
    }

    private static string Outcome(string path, bool prefetch)
    {
        var hash = new StringBuilder();
        var count = 0;
        try
        {
            using var prefetched = prefetch ? new PrefetchedMidRows(path) : null;
            using var plain = prefetch ? null : new MidRows(path);
            double mid, time;
            while (prefetch ? prefetched!.Next(out mid, out time) : plain!.Next(out mid, out time))
            {
                count++;
                hash.Append(BitConverter.DoubleToInt64Bits(mid)).Append(',').Append(BitConverter.DoubleToInt64Bits(time)).Append(';');
            }
            return $"rows {count} {hash}";
        }
        catch (InputException e)
        {
            return $"rows {count} {hash} error {e.Describe()}";
        }
    }
}
