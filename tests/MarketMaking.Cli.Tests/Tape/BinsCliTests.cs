using System.Globalization;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Tape;
using MarketMaking.Data.Inputs;

namespace MarketMaking.Cli.Tests.Tape;

public sealed class BinsCliTests : IDisposable
{
    private readonly TapeFixture _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Bins_ThenCalibrateBySide_WritesSidedBinsAndSidedFit()
    {
        // Given the samples' tape (bid and ask differ)
        var (quotes, trades) = _dir.WriteTape(TapeFixture.SampleSettings);
        var binsDir = _dir.PathOf("bins");
        var fitDir = _dir.PathOf("fit");

        // When binned per side and calibrated by side
        var bins = TapeFixture.Run("bins", "--trades", trades, "--quotes", quotes, "--ticks", "12", "--tick-size", "0.01", "--side", "separate", "--out", binsDir, "--quiet");
        var fit = TapeFixture.Run("calibrate", "--input", Path.Combine(binsDir, "bins.csv"), "--by-side", "--model", "exponential", "--out", fitDir, "--quiet");

        // Then both succeed; bins.csv has a side column with exposure 600 per side; fit.csv has model,side rows
        (bins.Code, bins.Err).Should().Be((0, ""));
        (fit.Code, fit.Err).Should().Be((0, ""));
        var rows = File.ReadAllLines(Path.Combine(binsDir, "bins.csv"));
        rows[0].Should().Be("delta,count,exposure,side");
        rows.Should().HaveCount(25).And.Contain(r => r.StartsWith("0.01,", StringComparison.Ordinal) && r.EndsWith(",600,bid", StringComparison.Ordinal));
        File.ReadAllText(Path.Combine(binsDir, "bins_report.md")).Should().Contain("What was skipped");
        var fitRows = File.ReadAllLines(Path.Combine(fitDir, "fit.csv"));
        fitRows[0].Should().StartWith("model,side,A,k,");
        fitRows.Skip(1).Select(r => r.Split(',')[1]).Should().Equal("bid", "ask", "both");
        File.ReadAllText(Path.Combine(fitDir, "mle_report.md")).Should().Contain("Is the book symmetric").And.Contain("robust Wald");

        // And the per-side fit reads back as two intensities for a backtest
        var intensities = FitCsvReader.Read(Path.Combine(fitDir, "fit.csv"), FitModelChoice.Exponential).Intensity;
        ((ExponentialIntensity)intensities.Bid).K.Should().BeGreaterThan(((ExponentialIntensity)intensities.Ask).K);
    }

    [Fact]
    public void Bins_SideBoth_PoolsWithExposureTwicePerSideAndNoSideColumn()
    {
        // Given a tape without a side column (sides inferred)
        var (quotes, trades) = _dir.WriteTape(TapeFixture.SampleSettings, withSide: false);
        var outDir = _dir.PathOf("out");

        // When binned pooled
        var run = TapeFixture.Run("bins", "--trades", trades, "--quotes", quotes, "--deltas", "0.01:0.1:0.01", "--out", outDir, "--quiet");

        // Then exposure is 2 × 600 and there is no side column
        run.Code.Should().Be(0, run.Err);
        var rows = File.ReadAllLines(Path.Combine(outDir, "bins.csv"));
        rows[0].Should().Be("delta,count,exposure");
        rows.Skip(1).Should().HaveCount(10).And.OnlyContain(r => r.EndsWith(",1200", StringComparison.Ordinal));
    }

    [Fact]
    public void Bins_IsoAndNumericTimes_GiveIdenticalBins()
    {
        // Given one tape written twice: times as epoch seconds with microseconds, and as ISO-8601 of the same instants
        var settings = TapeFixture.SampleSettings with { StartTime = 1704187800 };
        var (quotes, trades) = _dir.WriteTape(settings);
        var numericQ = Rewrite(quotes, "n_quotes.csv", iso: false);
        var numericT = Rewrite(trades, "n_trades.csv", iso: false);
        var isoQ = Rewrite(quotes, "i_quotes.csv", iso: true);
        var isoT = Rewrite(trades, "i_trades.csv", iso: true);
        File.ReadLines(isoT).Skip(1).First().Should().StartWith("2024-01-02T09:30:");

        // When both are binned
        var a = TapeFixture.Run("bins", "--trades", numericT, "--quotes", numericQ, "--ticks", "10", "--tick-size", "0.01", "--side", "separate", "--out", _dir.PathOf("a"), "--quiet");
        var b = TapeFixture.Run("bins", "--trades", isoT, "--quotes", isoQ, "--ticks", "10", "--tick-size", "0.01", "--side", "separate", "--out", _dir.PathOf("b"), "--quiet");

        // Then bins.csv is byte-identical
        (a.Code, b.Code).Should().Be((0, 0), a.Err + b.Err);
        File.ReadAllText(_dir.PathOf("b/bins.csv")).Should().Be(File.ReadAllText(_dir.PathOf("a/bins.csv")));
    }

    /// <summary>Rounds times to microseconds and writes them as decimal seconds or as ISO-8601 UTC.</summary>
    private string Rewrite(string source, string name, bool iso)
    {
        var lines = File.ReadAllLines(source);
        var output = new List<string> { lines[0] };
        foreach (var line in lines.Skip(1))
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            var micros = (long)Math.Round(double.Parse(line[..comma], CultureInfo.InvariantCulture) * 1e6);
            var (whole, fraction) = (micros / 1_000_000, micros % 1_000_000);
            var time = iso
                ? DateTimeOffset.FromUnixTimeSeconds(whole).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + fraction.ToString("D6", CultureInfo.InvariantCulture) + "Z"
                : whole.ToString(CultureInfo.InvariantCulture) + "." + fraction.ToString("D6", CultureInfo.InvariantCulture);
            output.Add(time + line[comma..]);
        }
        return _dir.Write(name, string.Join('\n', output) + "\n");
    }

    private const string GoodQuotes = "time,bid,ask\n0,99.99,100.01\n10,99.99,100.01\n20,99.99,100.01\n";
    private const string GoodTrades = "time,price,size,side\n1,100.02,1,buy\n2,99.97,2,sell\n3,100.05,1,\n";

    public static TheoryData<string, string, string, int?, string> BadInputs => new()
    {
        // case, quotes, trades, line, field
        { "quotes missing ask", "time,bid\n0,99.99\n", GoodTrades, 1, "ask" },
        { "trades missing size", GoodQuotes, "time,price\n1,100.02\n", 1, "size" },
        { "bad quote timestamp", "time,bid,ask\n0,99.99,100.01\n2024-13-01T00:00:00Z,99.99,100.01\n", GoodTrades, 3, "time" },
        { "bad trade timestamp", GoodQuotes, "time,price,size\n1,100.02,1\nyesterday,100.02,1\n", 3, "time" },
        { "negative size", GoodQuotes, "time,price,size\n1,100.02,1\n2,100.02,-3\n", 3, "size" },
        { "NaN price", GoodQuotes, "time,price,size\n1,NaN,1\n", 2, "price" },
        { "bid above ask", "time,bid,ask\n0,99.99,100.01\n5,100.02,100.01\n", GoodTrades, 3, "bid" },
        { "trade before first quote", "time,bid,ask\n5,99.99,100.01\n10,99.99,100.01\n", GoodTrades, 2, "time" },
        { "unsorted trades", GoodQuotes, "time,price,size\n3,100.02,1\n2,100.02,1\n", 3, "time" },
        { "unsorted quotes", "time,bid,ask\n0,99.99,100.01\n10,99.99,100.01\n5,99.99,100.01\n", GoodTrades, 4, "time" },
        { "bad side", GoodQuotes, "time,price,size,side\n1,100.02,1,up\n", 2, "side" },
        { "empty overlap", GoodQuotes, "time,price,size\n30,100.02,1\n40,100.02,1\n", null, "time" },
        { "header-only trades", GoodQuotes, "time,price,size\n", 2, "time" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bins_BadInput_ExitOneWithOneLocatedLineAndNothingWritten(string name, string quotes, string trades, int? line, string field)
    {
        // Given a bad quotes or trades file
        var q = _dir.Write("q.csv", quotes);
        var t = _dir.Write("t.csv", trades);
        var outDir = _dir.PathOf("out");

        // When binned
        var run = TapeFixture.Run("bins", "--trades", t, "--quotes", q, "--ticks", "3", "--tick-size", "0.01", "--out", outDir);

        // Then exit 1, one line naming the file, line and field, and no output directory
        run.Code.Should().Be(1, name);
        var lines = run.Err.TrimEnd('\n').Split('\n');
        lines.Should().ContainSingle(name);
        lines[0].Should().StartWith("mm-engine: error: " + _dir.Root, name).And.EndWith($"({field})", name);
        if (line is int l) lines[0].Should().MatchRegex($@"\.csv:{l}(:\d+)?: ", name);
        Directory.Exists(outDir).Should().BeFalse(name);
        Directory.GetDirectories(_dir.Root).Should().BeEmpty(name);
    }

    [Fact]
    public void Bins_CrossedSkip_ExcludesCrossedTimeInsteadOfFailing()
    {
        // Given 10 s of valid quotes and 10 s crossed
        var q = _dir.Write("q.csv", "time,bid,ask\n0,99.99,100.01\n10,100.02,100.01\n20,99.99,100.01\n");
        var t = _dir.Write("t.csv", GoodTrades);

        // When binned with --crossed skip
        var run = TapeFixture.Run("bins", "--trades", t, "--quotes", q, "--ticks", "3", "--tick-size", "0.01", "--crossed", "skip", "--out", _dir.PathOf("o"), "--quiet");

        // Then exposure is 2 × 10 and the report counts the crossed quote
        run.Code.Should().Be(0, run.Err);
        File.ReadAllLines(_dir.PathOf("o/bins.csv"))[1].Should().EndWith(",20");
        File.ReadAllText(_dir.PathOf("o/bins_report.md")).Should().Contain("| crossed quotes, bid > ask (time excluded; --crossed skip) | 1 |");
    }

    [Theory]
    [InlineData("--ticks", "3")]
    [InlineData("--deltas", "0.01:0.05")]
    [InlineData("--deltas", "0.01:0.05:0")]
    public void Bins_BadGrid_IsUsageError(string option, string value)
    {
        // Given grid options that are missing a part or wrong / When run / Then exit 2
        var run = TapeFixture.Run("bins", "--trades", _dir.Write("t.csv", GoodTrades), "--quotes", _dir.Write("q.csv", GoodQuotes), option, value, "--out", _dir.PathOf("o"));
        run.Code.Should().Be(2, run.Err);
        Directory.Exists(_dir.PathOf("o")).Should().BeFalse();
    }

    [Theory]
    [InlineData("delta,count,exposure\n0.01,5,10\n0.02,3,10\n0.03,1,10\n", "side")]
    [InlineData("delta,count,exposure,side\n0.01,5,10,bid\n0.02,3,10,bid\n0.03,1,10,bid\n", "side")]
    [InlineData("delta,count,exposure,side\n0.01,5,10,bid\n0.02,3,10,middle\n", "side")]
    public void CalibrateBySide_BadSides_ExitOne(string bins, string field)
    {
        // Given bins without a side column, with one side only, or with an unknown side
        var path = _dir.Write("bins.csv", bins);

        // When calibrated by side / Then exit 1 naming the side field, nothing written
        var run = TapeFixture.Run("calibrate", "--input", path, "--by-side", "--out", _dir.PathOf("o"));
        run.Code.Should().Be(1);
        run.Err.Should().StartWith("mm-engine: error: " + path).And.Contain($"({field})");
        Directory.Exists(_dir.PathOf("o")).Should().BeFalse();
    }

    [Fact]
    public void Samples_TapeFiles_AreTheGeneratorsOutput()
    {
        // Given the stated sample settings / When generated / Then samples/ holds exactly that tape
        // (set MM_REGENERATE_SAMPLES=1 to rewrite them after changing the generator on purpose)
        var samples = Path.Combine(RepoRoot(), "samples");
        var (quotes, trades) = _dir.WriteTape(TapeFixture.SampleSettings);
        if (Environment.GetEnvironmentVariable("MM_REGENERATE_SAMPLES") == "1")
        {
            File.Copy(quotes, Path.Combine(samples, "tape_quotes.csv"), overwrite: true);
            File.Copy(trades, Path.Combine(samples, "tape_trades.csv"), overwrite: true);
        }
        File.ReadAllText(Path.Combine(samples, "tape_quotes.csv")).Should().Be(File.ReadAllText(quotes));
        File.ReadAllText(Path.Combine(samples, "tape_trades.csv")).Should().Be(File.ReadAllText(trades));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MarketMaking.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
