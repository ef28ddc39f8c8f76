namespace MarketMaking.Core.Strategies;

/// <summary>How the spread stage sets the spread.</summary>
public enum SpreadMode
{
    /// <summary>A base spread in bps, scaled by the volatility multiplier (clamped to [1, max_vol_scale]), floored at min_spread_bps.</summary>
    Fixed,

    /// <summary>Seed 003 §1: the spread IS the risk: vol_multiplier × conditional volatility, floored at min_spread_bps.</summary>
    Volatility,
}

/// <summary>
/// Spread stage (always on). Spreads are full spreads in basis points of the mid.
/// </summary>
/// <param name="MaxVolScale">Fixed mode: multiplier = clamp(σ_t/σ_ref, 1, MaxVolScale); 1 turns volatility scaling off (seed 002: 1.0–3.0).</param>
/// <param name="InventoryWidening">Seed 003 §1: the side that would add to the position is widened by this fraction of the spread × |q|/limit.</param>
public sealed record SpreadStage
{
    public SpreadStage(SpreadMode mode = SpreadMode.Fixed, double baseSpreadBps = 10, double minSpreadBps = 2, double volMultiplier = 2, double maxVolScale = 1,
        double inventoryWidening = 0)
    {
        Mode = mode;
        BaseSpreadBps = Guard.Positive(baseSpreadBps, "base_spread_bps");
        MinSpreadBps = Guard.NonNegative(minSpreadBps, "min_spread_bps");
        VolMultiplier = Guard.Positive(volMultiplier, "vol_multiplier");
        MaxVolScale = Guard.InRange(maxVolScale, 1, 100, "max_vol_scale");
        InventoryWidening = Guard.NonNegative(inventoryWidening, "inventory_widening");
    }

    public SpreadMode Mode { get; }
    public double BaseSpreadBps { get; }
    public double MinSpreadBps { get; }
    public double VolMultiplier { get; }
    public double MaxVolScale { get; }
    public double InventoryWidening { get; }

    /// <summary>Full spread in bps before the regime's multiplier: the spread-first computation of the seeds.</summary>
    public double SpreadBps(double volatility, double referenceVolatility) => Mode switch
    {
        SpreadMode.Volatility => Math.Max(MinSpreadBps, VolMultiplier * volatility * 1e4),
        _ => Math.Max(MinSpreadBps, BaseSpreadBps * (MaxVolScale > 1 ? Math.Clamp(volatility / referenceVolatility, 1.0, MaxVolScale) : 1.0)),
    };
}

/// <summary>
/// Skew stage: moves the centre of the quotes. Long inventory moves it down (sell more, buy less), short moves it up.
/// </summary>
/// <param name="InventorySkew">Centre shift, as a fraction of the half-spread, at the inventory limit (seed 002 "inventory_skew").</param>
/// <param name="SoftLimit">Fraction of the limit where inventory skew starts (seed 002: 0.5); the shift grows linearly to InventorySkew at the limit.</param>
/// <param name="MomentumSkew">Seed 003 §2: centre += MomentumSkew × (short MA − long MA), leaning with the trend.</param>
/// <param name="TrendSkewBps">In the trending regime: centre shifted this many bps in the trend's direction (seed 002 "trending up: favour buying").</param>
public sealed record SkewStage
{
    public SkewStage(double inventorySkew = 0.5, double softLimit = 0, double momentumSkew = 0, double trendSkewBps = 0)
    {
        InventorySkew = Guard.NonNegative(inventorySkew, "inventory_skew");
        SoftLimit = Guard.InRange(softLimit, 0, 0.99, "soft_limit");
        MomentumSkew = Guard.NonNegative(momentumSkew, "momentum_skew");
        TrendSkewBps = Guard.NonNegative(trendSkewBps, "trend_skew_bps");
    }

    public double InventorySkew { get; }
    public double SoftLimit { get; }
    public double MomentumSkew { get; }
    public double TrendSkewBps { get; }

    /// <summary>Inventory part of the skew in units of the half-spread: negative when long. <paramref name="ratio"/> = q/limit.</summary>
    public double InventoryShift(double ratio)
    {
        var excess = Math.Max(0.0, Math.Abs(ratio) - SoftLimit) / (1.0 - SoftLimit);
        return -Math.Sign(ratio) * InventorySkew * Math.Min(1.0, excess);
    }
}

/// <summary>
/// Inventory governor (seed 003 §3): exposure e = |q|/limit scales everything. Spread × (1 + ExposureWidening·e);
/// centre shifted MaxAdjustBps·e towards rebalancing; at the limit the side that would add to the position is
/// stopped (the other side keeps quoting, so the position can come back).
/// </summary>
public sealed record GovernorStage
{
    public GovernorStage(double exposureWidening = 1.0, double maxAdjustBps = 20)
    {
        ExposureWidening = Guard.NonNegative(exposureWidening, "exposure_widening");
        MaxAdjustBps = Guard.NonNegative(maxAdjustBps, "max_adjust_bps");
    }

    public double ExposureWidening { get; }
    public double MaxAdjustBps { get; }
}

/// <summary>
/// Hedge stage (seed 003 §4): after fills, trade the hedge instrument to −Ratio × inventory, so the residual risk
/// q + hedge position = (1 − Ratio)·q; the spread and skew stages then see the residual, not the raw inventory.
/// </summary>
public sealed record HedgeStage
{
    public HedgeStage(double ratio = 0.8)
    {
        Ratio = Guard.InRange(ratio, 0, 1, "hedge_ratio");
    }

    public double Ratio { get; }
}

/// <summary>
/// Seed-002 risk management: quote refresh, cancel on fill, pause rules, stop-losses.
/// </summary>
/// <param name="QuoteRefresh">Quotes are recomputed every this many steps; in between the posted prices stand.</param>
/// <param name="CancelOnFill">After a fill, the opposite side is withdrawn for one step and the quotes refreshed.</param>
/// <param name="PauseVolRatio">Pause when σ_t/σ_ref exceeds this (0 = off).</param>
/// <param name="CostBps">Pause when the realised spread of recent fills (2 × one-step markout, bps) is below this (0 = off).</param>
/// <param name="PauseSteps">How long a pause lasts.</param>
/// <param name="StopLoss">Per-path stop: when the open position loses this fraction of its value, only the reducing side is quoted, at the mid, until flat (0 = off).</param>
/// <param name="DailyStop">Stop quoting for the rest of the day when the day's P&amp;L falls below −DailyStop × Capital (0 = off).</param>
/// <param name="DayLength">A day, in the market's time units (0 = the whole horizon is one day).</param>
public sealed record RiskControls
{
    public RiskControls(int quoteRefresh = 1, bool cancelOnFill = false, double pauseVolRatio = 0, double costBps = 0, int pauseSteps = 20,
        double stopLoss = 0, double dailyStop = 0, double capital = 10_000, double dayLength = 0)
    {
        QuoteRefresh = Guard.AtLeast(quoteRefresh, 1, "quote_refresh");
        CancelOnFill = cancelOnFill;
        PauseVolRatio = Guard.NonNegative(pauseVolRatio, "pause_vol_ratio");
        CostBps = Guard.NonNegative(costBps, "cost_bps");
        PauseSteps = Guard.AtLeast(pauseSteps, 1, "pause_steps");
        StopLoss = Guard.InRange(stopLoss, 0, 1, "stop_loss");
        DailyStop = Guard.InRange(dailyStop, 0, 1, "daily_stop");
        Capital = Guard.Positive(capital, "capital");
        DayLength = Guard.NonNegative(dayLength, "day_length");
    }

    public int QuoteRefresh { get; }
    public bool CancelOnFill { get; }
    public double PauseVolRatio { get; }
    public double CostBps { get; }
    public int PauseSteps { get; }
    public double StopLoss { get; }
    public double DailyStop { get; }
    public double Capital { get; }
    public double DayLength { get; }
}
