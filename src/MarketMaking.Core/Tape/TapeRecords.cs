namespace MarketMaking.Core.Tape;

/// <summary>The side that initiated a trade: a buy lifts the ask, a sell hits the bid.</summary>
public enum Aggressor
{
    Buy,
    Sell,
}

/// <summary>The market maker's quote that an order reaches: sells reach the bid, buys reach the ask.</summary>
public enum QuoteSide
{
    Bid,
    Ask,
}

/// <summary>Which sides `bins` writes: both pooled (per-side exposure), one side, or each side on its own rows.</summary>
public enum SideSelection
{
    Both,
    Bid,
    Ask,
    Separate,
}

/// <summary>
/// One top-of-book quote. <see cref="Bid"/> or <see cref="Ask"/> is NaN when that side is missing (a one-sided book).
/// <see cref="Line"/> is where the record came from, for error messages (0 when not read from a file).
/// </summary>
public readonly record struct Quote(double Time, double Bid, double Ask, int Line = 0)
{
    public double Mid => 0.5 * (Bid + Ask);
}

/// <summary>One trade print; <see cref="Side"/> is the aggressor when the tape says so, null to infer it from the mid.</summary>
public readonly record struct Trade(double Time, double Price, double Size, Aggressor? Side, int Line = 0);

public static class Sides
{
    /// <summary>The quote an aggressor reaches: a buy market order would fill a resting ask, a sell a resting bid.</summary>
    public static QuoteSide Reached(Aggressor aggressor) => aggressor == Aggressor.Buy ? QuoteSide.Ask : QuoteSide.Bid;

    public static string Name(QuoteSide side) => side == QuoteSide.Bid ? "bid" : "ask";

    public static string Name(SideSelection side) => side.ToString().ToLowerInvariant();
}
