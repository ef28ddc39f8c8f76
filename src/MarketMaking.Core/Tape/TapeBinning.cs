namespace MarketMaking.Core.Tape;

/// <summary>What `bins` was asked to do: two time-sorted streams (read lazily) and the depth grid.</summary>
public sealed record TapeBinningRequest(string QuotesSource, string TradesSource, IEnumerable<Quote> Quotes, IEnumerable<Trade> Trades, IReadOnlyList<double> Deltas, SideSelection Side);

public sealed record TapeBinningResult(TapeBinningRequest Request, TapeBins Bins)
{
    public IReadOnlyList<SidedArrivalBin> Rows => Bins.ToArrivalBins(Request.Side);
}

public static class TapeBinning
{
    /// <summary>
    /// Merges the two sorted streams in time order (quotes first at equal times, so a quote with a trade's
    /// timestamp prevails for it) into a <see cref="TapeBinner"/>. Only the current record of each stream is held.
    /// </summary>
    public static TapeBinningResult Run(TapeBinningRequest request)
    {
        var binner = new TapeBinner(request.Deltas, request.QuotesSource, request.TradesSource);
        using var quotes = request.Quotes.GetEnumerator();
        using var trades = request.Trades.GetEnumerator();
        var hasQuote = quotes.MoveNext();
        var hasTrade = trades.MoveNext();
        if (!hasQuote)
        {
            // Said before the first trade is met, which would otherwise be blamed for coming "before the first quote".
            throw new InputException("no quotes: header only", request.QuotesSource, 2, null, "time");
        }
        while (hasQuote || hasTrade)
        {
            if (hasQuote && (!hasTrade || quotes.Current.Time <= trades.Current.Time))
            {
                binner.AddQuote(quotes.Current);
                hasQuote = quotes.MoveNext();
            }
            else
            {
                binner.AddTrade(trades.Current);
                hasTrade = trades.MoveNext();
            }
        }
        return new TapeBinningResult(request, binner.Finish());
    }
}
