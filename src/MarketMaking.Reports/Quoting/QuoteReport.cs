using System.Text;
using System.Text.Json;
using MarketMaking.Core.Quoting;

namespace MarketMaking.Reports.Quoting;

/// <summary>How `mm-engine quote` prints a quote: aligned text for people, or one JSON object.</summary>
public static class QuoteReport
{
    /// <summary>
    /// {"model","mid","inventory","tau","reservation_price","bid","ask","half_spread","bid_depth","ask_depth"};
    /// a side the model does not quote is null, and so are the reservation price and half-spread then.
    /// </summary>
    public static string Json(string model, Quote quote, double inventory, double tau)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonNumbers.Options(indented: false)))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            JsonNumbers.Write(json, "mid", quote.Mid);
            JsonNumbers.Write(json, "inventory", inventory);
            JsonNumbers.Write(json, "tau", tau);
            JsonNumbers.Write(json, "reservation_price", quote.ReservationPrice);
            JsonNumbers.Write(json, "bid", quote.Bid);
            JsonNumbers.Write(json, "ask", quote.Ask);
            JsonNumbers.Write(json, "half_spread", quote.HalfSpread);
            JsonNumbers.Write(json, "bid_depth", quote.BidDepth);
            JsonNumbers.Write(json, "ask_depth", quote.AskDepth);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string PlainText(string model, Quote quote, double inventory, double tau)
    {
        var text = new StringBuilder();
        void Line(string name, string value) => text.Append(name.PadRight(19)).Append(value).Append('\n');
        Line("model", model);
        Line("mid", Text.Num(quote.Mid));
        Line("inventory", Text.Num(inventory));
        Line("tau", Text.Num(tau));
        Line("reservation price", Value(quote.ReservationPrice));
        Line("bid", Value(quote.Bid));
        Line("ask", Value(quote.Ask));
        Line("half-spread", Value(quote.HalfSpread));
        Line("bid depth", Value(quote.BidDepth));
        Line("ask depth", Value(quote.AskDepth));
        return text.ToString();
    }

    private static string Value(double? value) => value is double v ? Text.Num(v) : "none (no quote on this side)";
}
