using MarketMaking.Core;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Tape;
using MarketMaking.Data.Inputs;
using MarketMaking.Data.Tape;

namespace MarketMaking.Data.Tests.Tape;

public sealed class TapeReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mm-tape-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    // 2024-01-02T09:30:00Z is 1704187800 s after the epoch (python3: datetime(2024,1,2,9,30,tzinfo=timezone.utc).timestamp()).
    [InlineData("2024-01-02T09:30:00Z", "1704187800")]
    [InlineData("2024-01-02T09:30:00.125Z", "1704187800.125")]
    [InlineData("2024-01-02 09:30:00.123456789", "1704187800.123456789")]
    [InlineData("2024-01-02T10:30:00.1+01:00", "1704187800.1")]
    [InlineData("2024-01-02T04:30:00.000001-0500", "1704187800.000001")]
    [InlineData("1970-01-01T00:00:00Z", "0")]
    public void Parse_IsoAndSeconds_GiveTheSameDouble(string iso, string seconds)
    {
        // Given one instant written both ways / When parsed / Then the doubles are identical, bit for bit
        TapeTime.Parse(iso, "f", 2, 1).Should().Be(TapeTime.Parse(seconds, "f", 2, 1));
    }

    [Theory]
    [InlineData("")]
    [InlineData("NaN")]
    [InlineData("inf")]
    [InlineData("2024-02-30T00:00:00Z")]
    [InlineData("2024-01-02T25:00:00Z")]
    [InlineData("02/01/2024 09:30")]
    [InlineData("2024-01-02T09:30:00.1234567890Z")]
    public void Parse_BadTime_ThrowsLocatedError(string text)
    {
        // Given an empty, non-finite, impossible or non-ISO time / When parsed / Then the error names file, line, column, field
        var act = () => TapeTime.Parse(text, "t.csv", 7, 1);
        act.Should().Throw<InputException>().Where(e => e.File == "t.csv" && e.Line == 7 && e.Column == 1 && e.Field == "time");
    }

    [Fact]
    public void QuoteReader_EmptySide_IsMissingNotAnError()
    {
        // Given a quote with no ask / When read / Then the ask is NaN and the line is kept for errors
        var quotes = QuoteTapeReader.Read(Write("q.csv", "ask,time,bid\n,0,99.99\n100.01,1,99.99\n")).ToArray();
        double.IsNaN(quotes[0].Ask).Should().BeTrue();
        quotes[1].Should().Be(new Quote(1, 99.99, 100.01, 3));
    }

    [Fact]
    public void TradeReader_SideColumn_ParsesBuySellAndBlank()
    {
        // Given sides in several spellings / When read / Then buy, sell, or null to infer
        var trades = TradeTapeReader.Read(Write("t.csv", "time,price,size,side\n1,1,1,BUY\n2,1,1,s\n3,1,1,\n")).ToArray();
        trades.Select(t => t.Side).Should().Equal(Aggressor.Buy, Aggressor.Sell, null);
    }

    [Fact]
    public void TradeReader_IsLazy_ErrorsOnlyWhenTheBadRowIsReached()
    {
        // Given a good first row and a bad third row / When the first row only is taken / Then no error: rows stream
        var trades = TradeTapeReader.Read(Write("t.csv", "time,price,size\n1,1,1\n2,1,1\n3,1,-1\n"));
        trades.Take(2).Should().HaveCount(2);
        var all = () => trades.ToArray();
        all.Should().Throw<InputException>().Where(e => e.Line == 4 && e.Field == "size");
    }

    [Fact]
    public void FitCsvReader_SidedAndPlainFiles()
    {
        // Given a by-side fit.csv and a plain one
        var sided = Write("s.csv", "model,side,A,k,delta0,aic\nexponential,bid,2,30,,10\nexponential,ask,1.5,20,,11\nexponential,both,1.7,25,,30\npower,bid,3,2,0.1,12\npower,ask,3,2,0.1,13\npower,both,3,2,0.1,31\n");
        var plain = Write("p.csv", "model,A,k,delta0,aic\nexponential,2,30,,5\n");

        // When read / Then the sides come back as written, and a plain file serves both sides
        var bidAsk = FitCsvReader.Read(sided, FitModelChoice.Best);
        bidAsk.BySide.Should().BeTrue();
        bidAsk.Model.Should().Be("exponential", "the pooled row's AIC picks the model for both sides");
        bidAsk.Intensity.Bid.Should().Be(new ExponentialIntensity(2, 30));
        bidAsk.Intensity.Ask.Should().Be(new ExponentialIntensity(1.5, 20));
        bidAsk.CommonK.Should().BeNull();
        FitCsvReader.Read(sided, FitModelChoice.Power).Intensity.Ask.Should().Be(new PowerLawIntensity(3, 2, 0.1));
        var single = FitCsvReader.Read(plain, FitModelChoice.Best);
        single.Intensity.Should().Be(BidAskIntensity.Symmetric(new ExponentialIntensity(2, 30)));
        single.CommonK.Should().Be(30);
        var missing = () => FitCsvReader.Read(plain, FitModelChoice.Power);
        missing.Should().Throw<InputException>().Where(e => e.Field == "--fit-model");
        var negative = () => FitCsvReader.Read(Write("n.csv", "model,A,k,aic\nexponential,-2,30,1\n"), FitModelChoice.Best);
        negative.Should().Throw<InputException>().Where(e => e.Line == 2 && e.Field == "A");
        var badSide = () => FitCsvReader.Read(Write("b.csv", "model,side,A,k,aic\nexponential,middle,2,30,1\n"), FitModelChoice.Best);
        badSide.Should().Throw<InputException>().Where(e => e.Field == "side");
    }
}
