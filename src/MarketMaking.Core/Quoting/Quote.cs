namespace MarketMaking.Core.Quoting;

/// <summary>
/// Two-sided quote around a mid price, as depths: bid = mid − δ_b, ask = mid + δ_a. A side is null when the
/// model posts nothing there (e.g. no bid at the inventory bound). For asymmetric quotes the reservation price
/// is the centre of the quotes, (bid + ask)/2, and the half-spread (ask − bid)/2.
/// </summary>
public sealed record Quote(double Mid, double? BidDepth, double? AskDepth)
{
    public double? Bid => BidDepth is double d ? Mid - d : null;
    public double? Ask => AskDepth is double d ? Mid + d : null;

    /// <summary>(bid + ask)/2 = mid + (δ_a − δ_b)/2; null when a side is missing.</summary>
    public double? ReservationPrice => BidDepth is double b && AskDepth is double a ? Mid + 0.5 * (a - b) : null;

    /// <summary>(ask − bid)/2 = (δ_a + δ_b)/2; null when a side is missing.</summary>
    public double? HalfSpread => BidDepth is double b && AskDepth is double a ? 0.5 * (a + b) : null;

    /// <summary>
    /// Drops the side a fill of <paramref name="size"/> would push beyond ±<paramref name="maxInventory"/>:
    /// the hard inventory limit every model obeys.
    /// </summary>
    public Quote WithinInventoryLimit(double inventory, double size, double? maxInventory)
    {
        if (maxInventory is not double limit) return this;
        // A tolerance of a millionth of a unit so inventories built from decimal sizes are not misjudged.
        var slack = 1e-9 * Math.Max(1.0, limit);
        return this with
        {
            BidDepth = inventory + size > limit + slack ? null : BidDepth,
            AskDepth = inventory - size < -limit - slack ? null : AskDepth,
        };
    }
}

/// <summary>A quoting model: depths at a mid price for an inventory and a time to the horizon. One method, as every extension point.</summary>
public interface IQuoteModel
{
    Quote Quote(double mid, double inventory, double tau);
}
