namespace MarketMaking.Core.Quoting;

/// <summary>
/// A quoting strategy: an immutable, thread-safe description that hands each batch of Monte Carlo paths its own
/// <see cref="IQuoter"/> (where any per-path mutable state lives: volatility filters, regime states, pause timers).
/// </summary>
public interface IQuotingStrategy
{
    /// <summary>The name reports use (e.g. "avellaneda-stoikov").</summary>
    string Name { get; }

    /// <summary>A fresh quoter for <see cref="QuoterSetup.Lanes"/> paths that start together.</summary>
    IQuoter CreateQuoter(in QuoterSetup setup);
}

/// <summary>
/// One step for every path of a batch: state in, quotes out. Called once per step per batch, never per path, so the
/// call costs nothing per path; implementations must not allocate here. Lanes are independent paths: a lane's
/// quotes may depend only on that lane's inputs (this is what keeps results identical for any thread count).
/// </summary>
public interface IQuoter
{
    void Quote(in QuoteRequest request, in QuoteResponse response);
}

/// <summary>
/// A quoter whose quotes are affine in inventory and the same function of (S, q) on every lane:
/// bid = S − q·slope − half, ask = S − q·slope + half, both at the run's quote size. Avellaneda–Stoikov, the symmetric
/// benchmark and GLFT's closed form are of this kind. The engine may then skip <see cref="IQuoter.Quote"/> and run a
/// kernel that keeps each path's state in registers across steps; the results are bit-identical either way.
/// </summary>
public interface IAffineQuoter
{
    void Coefficients(int step, double time, double tau, double dt, out double slope, out double half);
}

/// <summary>What a strategy knows when it is created for a batch.</summary>
/// <param name="Lanes">Number of paths in the batch (a multiple of 8; trailing lanes may be padding).</param>
/// <param name="FirstPath">Path index of lane 0.</param>
/// <param name="Steps">Steps in the horizon.</param>
/// <param name="Horizon">T, in the market's time units.</param>
/// <param name="Dt">Nominal step length.</param>
/// <param name="QuoteSize">Default quote size v (config <c>quote_size</c>).</param>
public readonly record struct QuoterSetup(int Lanes, long FirstPath, int Steps, double Horizon, double Dt, double QuoteSize);

/// <summary>The state of every lane at the start of a step (before this step's fills).</summary>
public readonly ref struct QuoteRequest
{
    public QuoteRequest(int step, double time, double tau, double dt, ReadOnlySpan<double> mid, ReadOnlySpan<double> inventory,
        ReadOnlySpan<double> cash, ReadOnlySpan<double> lastBidFill, ReadOnlySpan<double> lastAskFill,
        ReadOnlySpan<double> hedgeMid = default, ReadOnlySpan<double> hedgePosition = default)
    {
        HedgeMid = hedgeMid;
        HedgePosition = hedgePosition;
        Step = step;
        Time = time;
        Tau = tau;
        Dt = dt;
        Mid = mid;
        Inventory = inventory;
        Cash = cash;
        LastBidFill = lastBidFill;
        LastAskFill = lastAskFill;
    }

    public int Step { get; }

    /// <summary>t, from the start of the run.</summary>
    public double Time { get; }

    /// <summary>τ = T − t.</summary>
    public double Tau { get; }

    /// <summary>Length of this step.</summary>
    public double Dt { get; }

    public ReadOnlySpan<double> Mid { get; }
    public ReadOnlySpan<double> Inventory { get; }
    public ReadOnlySpan<double> Cash { get; }

    /// <summary>Quantity bought in the previous step (0 if none): lets a strategy react to fills (cancel on fill, refresh).</summary>
    public ReadOnlySpan<double> LastBidFill { get; }

    /// <summary>Quantity sold in the previous step.</summary>
    public ReadOnlySpan<double> LastAskFill { get; }

    /// <summary>The hedge instrument's mid per lane; empty when the market has none.</summary>
    public ReadOnlySpan<double> HedgeMid { get; }

    /// <summary>Position held in the hedge instrument per lane; empty when the market has none.</summary>
    public ReadOnlySpan<double> HedgePosition { get; }
}

/// <summary>
/// Where a strategy writes its quotes: prices and sizes per lane. A size of 0 (or a NaN price) means "not posted".
/// The engine resets sizes to <see cref="QuoterSetup.QuoteSize"/> before each call, and afterwards withdraws any
/// quote whose fill could breach the inventory cap.
/// </summary>
public readonly ref struct QuoteResponse
{
    public QuoteResponse(Span<double> bid, Span<double> ask, Span<double> bidSize, Span<double> askSize, Span<double> hedge = default)
    {
        Hedge = hedge;
        Bid = bid;
        Ask = ask;
        BidSize = bidSize;
        AskSize = askSize;
    }

    public Span<double> Bid { get; }
    public Span<double> Ask { get; }
    public Span<double> BidSize { get; }
    public Span<double> AskSize { get; }

    /// <summary>
    /// Quantity of the hedge instrument to trade now at its mid (positive buys), per lane; zeroed before each call,
    /// executed in full at the mid plus <see cref="Backtest.BacktestSpec.HedgeCost"/> per unit. Empty without a hedge instrument.
    /// </summary>
    public Span<double> Hedge { get; }
}

/// <summary>
/// A strategy that reports per-path quantities of its own (time in each regime, pauses, hedge residual, …): the
/// engine collects them for every path, stored by path index, and the reports show their means.
/// </summary>
public interface IDiagnosticStrategy
{
    /// <summary>Names of the values, in the order <see cref="IDiagnosticQuoter.Diagnostics"/> writes them.</summary>
    IReadOnlyList<string> DiagnosticNames { get; }
}

/// <summary>The quoter of an <see cref="IDiagnosticStrategy"/>.</summary>
public interface IDiagnosticQuoter
{
    /// <summary>Called once after the last step with the final state (mid, inventory, cash, hedge position).</summary>
    void Finish(in QuoteRequest final);

    /// <summary>Writes lane's values in the order of <see cref="IDiagnosticStrategy.DiagnosticNames"/>.</summary>
    void Diagnostics(int lane, Span<double> values);
}
