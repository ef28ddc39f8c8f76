using System.Text.Json;
using MarketMaking.Core.Quoting;
using MarketMaking.Reports.Quoting;

namespace MarketMaking.Reports.Tests.Quoting;

public class QuoteReportTests
{
    [Fact]
    public void Json_TwoSidedQuote_HasEveryField()
    {
        // Given depths 0.5 (bid) and 0.25 (ask) around 100
        var json = JsonDocument.Parse(QuoteReport.Json("glft", new Quote(100, 0.5, 0.25), 2, 1)).RootElement;

        // Then bid 99.5, ask 100.25, centre 99.875, half-spread 0.375
        json.GetProperty("bid").GetDouble().Should().Be(99.5);
        json.GetProperty("ask").GetDouble().Should().Be(100.25);
        json.GetProperty("reservation_price").GetDouble().Should().Be(99.875);
        json.GetProperty("half_spread").GetDouble().Should().Be(0.375);
        json.GetProperty("bid_depth").GetDouble().Should().Be(0.5);
        json.GetProperty("ask_depth").GetDouble().Should().Be(0.25);
        json.GetProperty("inventory").GetDouble().Should().Be(2);
    }

    [Fact]
    public void Json_OneSidedQuote_HasNulls()
    {
        var json = JsonDocument.Parse(QuoteReport.Json("glft-exact", new Quote(100, null, 0.25), 5, 1)).RootElement;
        json.GetProperty("bid").ValueKind.Should().Be(JsonValueKind.Null);
        json.GetProperty("bid_depth").ValueKind.Should().Be(JsonValueKind.Null);
        json.GetProperty("half_spread").ValueKind.Should().Be(JsonValueKind.Null);
        json.GetProperty("ask").GetDouble().Should().Be(100.25);
    }

    [Fact]
    public void PlainText_NamesTheMissingSide()
    {
        QuoteReport.PlainText("as", new Quote(100, 0.5, null), -3, 1).Should().Contain("none (no quote on this side)");
    }
}
