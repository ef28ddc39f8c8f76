using System.Globalization;
using System.Text;
using MarketMaking.Core;
using MarketMaking.Data.Csv;

namespace MarketMaking.Data.Tests;

/// <summary>
/// The byte-level number reader must read every file exactly as the CsvHelper-based <see cref="CsvColumnReader"/>
/// does: the same values (bits), the same located errors. The reference here is that reader.
/// </summary>
public class CsvNumberStreamTests
{
    private static readonly string[] Columns = ["mid", "time"];

    [Theory]
    [InlineData("mid,time\n100,0\n100.5,0.5\n")]
    [InlineData("\uFEFFtime,mid\r\n0,100\r\n1,101.25\r\n")]
    [InlineData("mid\n100\n\n101\n")]
    [InlineData("\n\nmid\n100\n101")]
    [InlineData("time , mid\n 0 , 100 \n1,\t101\t\n")]
    [InlineData("mid,time\n\"100\",0\n\"101\",1\n")]
    [InlineData("mid,time\n100,0\n\"10\n1\",1\n102,2\n")]
    [InlineData("\"mid\",\"time\"\n100,0\n101,1\n")]
    [InlineData("mid\r100\r101\r")]
    [InlineData("mid\n-0\n+1.5e3\n1E-5\n.5\n5.\n0.000000000000000000000001\n12345678901234567890\n9007199254740993\n1e22\n1e23\n4.9e-324\n")]
    [InlineData("mid,time\n100,0\n101,1,extra\n")]
    [InlineData("mid\nNaN\n")]
    [InlineData("mid\n1\ninf\n")]
    [InlineData("mid\n1\n-Infinity\n")]
    [InlineData("mid\n1\n1e400\n")]
    [InlineData("mid\n1\n0x10\n")]
    [InlineData("mid\n1\nabc\n")]
    [InlineData("mid\n1\n\"\"\n")]
    [InlineData("mid,time\n1,0\n,1\n")]
    [InlineData("mid,time\n1,0\n2\n")]
    [InlineData("time,mid\n0,1\n1\n")]
    [InlineData("time,mid\nx,y\n")]
    [InlineData("mid;time\n1;2\n")]
    [InlineData("mid,time\n1,0\n\n\n2,x\n")]
    [InlineData("mid\n1\n1.\u00e9\n")]
    [InlineData("mid\n1\n1e\n")]
    [InlineData("mid\n1\n--1\n")]
    [InlineData("mid\n1\n1 2\n")]
    [InlineData("mid\n1\n2\0\n")]
    [InlineData("mid,time\n1,0\n2,\01\n")]
    [InlineData("mid\n1\n   \n2\n")]
    [InlineData("mid\n1\n2\n\n\n")]
    [InlineData("mid,time\n1,0\n\n \n2,1\n\n")]
    [InlineData("mid\n1\n0,5\n")]
    [InlineData("mid,time\n1,0,,\n2,1, \n")]
    [InlineData("time,x,mid\n0,a\n")]
    [InlineData("time,,mid\n0\n")]
    [InlineData("mid\n1\n\t\n2\n")]
    [InlineData("mid\n1\n\tabc\n")]
    [InlineData("mid\n1\n\t2\t\n")]
    [InlineData("mid,time\n1,0\n2,1,\t\n")]
    public void Read_AnyFile_SameAsGeneralReader(string content)
    {
        // Given a file, read by both readers
        using var dir = new TempDir();
        var path = dir.Write("mid.csv", content);

        // When each reads every row
        var expected = Outcome(() => ReadGeneral(path));
        var actual = Outcome(() => ReadFast(path));

        // Then the values, or the error with its place, are the same
        actual.Should().Be(expected);
    }

    [Fact]
    public void TryParsePlain_RoundTripNumbers_SameBitsAsDoubleParse()
    {
        // Given numbers of every magnitude printed in the forms files hold
        var rng = new MarketMaking.Core.Random.Xoshiro256StarStar(7);
        for (var i = 0; i < 200_000; i++)
        {
            var value = (rng.NextDouble() - 0.5) * Math.Pow(10, (int)(rng.NextDouble() * 30) - 15);
            foreach (var text in new[] { value.ToString("R", CultureInfo.InvariantCulture), value.ToString("F4", CultureInfo.InvariantCulture), value.ToString("E6", CultureInfo.InvariantCulture) })
            {
                // When the fast path takes it
                if (!CsvNumberStream.TryParsePlain(Encoding.ASCII.GetBytes(text), out var fast)) continue;

                // Then it gives double.Parse's bits
                BitConverter.DoubleToInt64Bits(fast).Should().Be(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), text);
            }
        }
    }

    [Fact]
    public void Read_RandomDecimals_SameBitsAsDoubleParse()
    {
        // Given a long series of decimals of every shape a price file holds: 0 to 9 integer digits, 0 to 9 decimals,
        // signs, leading and trailing zeros (so the eight-bytes-at-a-time path and the digit loop both take some)
        var rng = new MarketMaking.Core.Random.Xoshiro256StarStar(11);
        var texts = new List<string>();
        for (var i = 0; i < 100_000; i++)
        {
            var sign = (rng.NextDouble() * 4) switch { < 1 => "-", < 1.5 => "+", _ => "" };
            var integer = Digits(ref rng, (int)(rng.NextDouble() * 10));
            var fraction = Digits(ref rng, (int)(rng.NextDouble() * 10));
            var point = fraction.Length > 0 || rng.NextDouble() < 0.1 ? "." : "";
            if (integer.Length + fraction.Length == 0) integer = "0";
            texts.Add(sign + integer + point + fraction);
        }
        using var dir = new TempDir();
        var path = dir.Write("mid.csv", "mid\n" + string.Join("\n", texts) + "\n");

        // When the stream reads it
        using var csv = CsvNumberStream.Open(path, ["mid"], Columns, "mid");
        var values = new double[2];
        foreach (var text in texts)
        {
            csv.Read(values).Should().BeTrue();

            // Then every value has double.Parse's bits
            BitConverter.DoubleToInt64Bits(values[0]).Should().Be(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), text);
        }
        csv.Read(values).Should().BeFalse();
    }

    [Theory]
    [InlineData("mid", "\n", true)]
    [InlineData("mid", "\r\n", false)]
    [InlineData("time,mid", "\n", false)]
    [InlineData("time,mid", "\r\n", true)]
    [InlineData("mid,time", "\n", true)]
    [InlineData("mid", "\n", true, 4)]
    [InlineData("mid", "\n", false, 0)]
    [InlineData("mid", "\r\n", true, 2)]
    [InlineData("time,mid", "\n", true, 2)]
    [InlineData("mid,time", "\n", true, 6)]
    public void NextBlock_RandomShapes_SameBitsAsDoubleParse(string header, string newline, bool finalNewline, int decimals = -1)
    {
        // Given a series over several buffers whose cells take every shape: 0 to 9 digits either side of the point,
        // signs, leading zeros, no point, exponents, long mantissas (or, with a count of decimals, mostly prices with
        // that many around zero, so that runs of lines share a shape); times increasing in several spellings
        var rng = new MarketMaking.Core.Random.Xoshiro256StarStar(31);
        var timed = header.Contains("time", StringComparison.Ordinal);
        var mids = new List<string>();
        var times = new List<string>();
        var text = new StringBuilder(header);
        // 1.3 MB: more than one buffer (1 MB), where four numbers at once are read
        for (var i = 0; text.Length < 1_300_000; i++)
        {
            text.Append(newline);
            var mid = decimals < 0 || rng.NextDouble() < 0.01 ? RandomCell(ref rng)
                : ((rng.NextDouble() - 0.3) * Math.Pow(10, (int)(rng.NextDouble() * 6))).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            var time = (i * 0.001).ToString((rng.NextDouble() * 4) switch { < 2 => "F3", < 3 => "R", _ => "E12" }, CultureInfo.InvariantCulture);
            mids.Add(mid);
            times.Add(time);
            text.Append(!timed ? mid : header.StartsWith("time", StringComparison.Ordinal) ? time + "," + mid : mid + "," + time);
        }
        if (finalNewline) text.Append(newline);
        using var dir = new TempDir();
        var path = dir.Write("mid.csv", text.ToString());

        // When the rows are read in blocks of varying sizes
        using var rows = new MarketMaking.Data.Inputs.MidRows(path);
        var midValues = new double[410];
        var timeValues = new double[410];
        var row = 0;
        for (var size = 1; ; size = size % 397 + 13)
        {
            var read = rows.NextBlock(midValues.AsSpan(0, size), timeValues.AsSpan(0, size));
            if (read == 0) break;

            // Then every value has double.Parse's bits
            for (var r = 0; r < read; r++, row++)
            {
                BitConverter.DoubleToInt64Bits(midValues[r]).Should().Be(BitConverter.DoubleToInt64Bits(double.Parse(mids[row], CultureInfo.InvariantCulture)), mids[row]);
                var time = timed ? double.Parse(times[row], CultureInfo.InvariantCulture) : double.NaN;
                BitConverter.DoubleToInt64Bits(timeValues[r]).Should().Be(BitConverter.DoubleToInt64Bits(time), times[row]);
            }
        }
        row.Should().Be(mids.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void ReadPlainRows_Limit_SameRowsAsRead(int seed)
    {
        // Given a series of fixed-decimal prices and a part's end at random offsets (a line's start, inside a line)
        var rng = new MarketMaking.Core.Random.Xoshiro256StarStar((ulong)seed + 40);
        var text = new StringBuilder("mid\n");
        for (var i = 0; i < 20_000; i++) text.Append(FormattableString.Invariant($"{100 + (i % 977) * 0.0625:F4}\n"));
        using var dir = new TempDir();
        var path = dir.Write("mid.csv", text.ToString());
        for (var trial = 0; trial < 20; trial++)
        {
            var limit = 4 + (long)(rng.NextDouble() * (text.Length - 4));

            // When the rows before it are read in blocks, and one by one
            using var blocks = CsvNumberStream.Open(path, ["mid"], Columns, "mid");
            using var single = CsvNumberStream.Open(path, ["mid"], Columns, "mid");
            blocks.Limit = single.Limit = limit;
            var expected = new List<string>();
            var values = new double[2];
            while (single.Read(values)) expected.Add($"{single.Line}:{Bits(values[0])}");
            var actual = new List<string>();
            var mids = new double[333];
            var times = new double[333];
            while (true)
            {
                var read = blocks.ReadPlainRows(mids, times, -1, double.NegativeInfinity);
                if (read == 0)
                {
                    if (!blocks.Read(values)) break;
                    actual.Add($"{blocks.Line}:{Bits(values[0])}");
                    continue;
                }
                for (var r = 0; r < read; r++) actual.Add($"{blocks.Line - read + r + 1}:{Bits(mids[r])}");
            }

            // Then they are the same rows: those starting before the part's end
            actual.Should().Equal(expected, FormattableString.Invariant($"limit {limit}"));
        }
    }

    private static string RandomCell(ref MarketMaking.Core.Random.Xoshiro256StarStar rng)
    {
        var sign = (rng.NextDouble() * 4) switch { < 1 => "-", < 1.3 => "+", _ => "" };
        var integer = Digits(ref rng, (int)(rng.NextDouble() * 10));
        var fraction = Digits(ref rng, (int)(rng.NextDouble() * 10));
        var point = fraction.Length > 0 || rng.NextDouble() < 0.1 ? "." : "";
        if (integer.Length + fraction.Length == 0) integer = "0";
        var exponent = rng.NextDouble() < 0.05 ? FormattableString.Invariant($"e{(int)(rng.NextDouble() * 40) - 20}") : "";
        var longMantissa = rng.NextDouble() < 0.02 ? Digits(ref rng, 12) : "";
        return sign + integer + point + fraction + longMantissa + exponent;
    }

    [Theory]
    [InlineData("-0")]
    [InlineData("+1.5e3")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("0.000000000000000000000001")]
    [InlineData("12345678901234567890")]
    [InlineData("1234567.1234567")]
    [InlineData("12345678.5")]
    [InlineData("5.12345678")]
    [InlineData("999999999999999.9")]
    [InlineData("99999999.9999999")]
    [InlineData("1e")]
    [InlineData("1.5E-3")]
    [InlineData("--1")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("1 ")]
    [InlineData(" 1")]
    [InlineData("1\t")]
    [InlineData("0,5")]
    [InlineData("1\r")]
    [InlineData("\"1\"")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1:5")]
    [InlineData("1/5")]
    public void Read_CellInsideALongFile_SameAsGeneralReader(string cell)
    {
        // Given a cell with rows before and after it, so that the fast paths see it with bytes to spare
        using var dir = new TempDir();
        var rows = Enumerable.Range(0, 50).Select(i => FormattableString.Invariant($"{100 + i * 0.25},{i}"));
        var path = dir.Write("mid.csv", "mid,time\n" + string.Join("\n", rows) + "\n" + cell + ",50\n" + string.Join("\n", rows) + "\n");

        // When both readers read it, Then they agree row for row (values or the located error)
        Outcome(() => ReadFast(path)).Should().Be(Outcome(() => ReadGeneral(path)));
    }

    private static string Digits(ref MarketMaking.Core.Random.Xoshiro256StarStar rng, int count)
    {
        var digits = new char[count];
        for (var d = 0; d < count; d++) digits[d] = (char)('0' + (int)(rng.NextDouble() * 10));
        return new string(digits);
    }

    [Theory]
    [InlineData("")]
    [InlineData("300000,1\r\n300001,2\r\n")]
    [InlineData("300000,\"1\"\n300001,2\n")]
    [InlineData("300000,1\n300001,x\n")]
    public void Read_LongFile_StreamsAcrossBuffers(string tail)
    {
        // Given more rows than one buffer holds, then a tail that may hold CRLF, quotes or a bad cell
        using var dir = new TempDir();
        var text = new StringBuilder("time,mid\n");
        for (var i = 0; i < 300_000; i++) text.Append(i).Append(',').Append((100 + i * 0.01).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        text.Append(tail);
        var path = dir.Write("mid.csv", text.ToString());

        // When both readers read it, Then they agree row for row
        Outcome(() => ReadFast(path)).Should().Be(Outcome(() => ReadGeneral(path)));
    }

    private static string Outcome(Func<List<string>> read)
    {
        try
        {
            return string.Join(";", read());
        }
        catch (InputException e)
        {
            return "error " + e.Describe();
        }
    }

    private static List<string> ReadFast(string path)
    {
        using var csv = CsvNumberStream.Open(path, ["mid"], Columns, "mid");
        var rows = new List<string>();
        var values = new double[2];
        while (csv.Read(values)) rows.Add($"{csv.Line}:{Bits(values[0])},{Bits(values[1])}");
        return rows;
    }

    private static List<string> ReadGeneral(string path)
    {
        using var csv = CsvColumnReader.Open(path, ["mid"], "mid");
        var mid = csv.ColumnIndex("mid");
        var time = csv.ColumnIndex("time");
        var rows = new List<string>();
        while (csv.Read())
        {
            var m = csv.GetDouble(mid, "mid");
            var t = time >= 0 ? csv.GetDouble(time, "time") : double.NaN;
            rows.Add($"{csv.Line}:{Bits(m)},{Bits(t)}");
        }
        return rows;
    }

    private static string Bits(double value) => BitConverter.DoubleToInt64Bits(value).ToString("X16", CultureInfo.InvariantCulture);
}
