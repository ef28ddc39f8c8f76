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
