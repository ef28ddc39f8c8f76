using MarketMaking.Core.Calibration;

namespace MarketMaking.Core.Tape;

/// <summary>What the binner read, counted and skipped, and why: the bins report prints it.</summary>
public sealed record TapeDiagnostics
{
    public long QuotesRead { get; init; }
    public long QuotesMissingSide { get; init; }
    public long QuotesLocked { get; init; }
    public long QuotesCrossed { get; init; }

    /// <summary>Quotes replaced by a later quote with the same timestamp: they prevailed for no time.</summary>
    public long QuotesSuperseded { get; init; }

    public long TradesRead { get; init; }
    public long SidesInferred { get; init; }

    /// <summary>Prints folded into an earlier print of the same aggressor at the same timestamp (one order sweeping the book).</summary>
    public long PrintsMergedIntoSweeps { get; init; }

    public long SkippedZeroSize { get; init; }
    public long SkippedNoValidQuote { get; init; }
    public long SkippedAtMid { get; init; }
    public long SkippedAfterLastQuote { get; init; }
    public long BidOrders { get; init; }
    public long AskOrders { get; init; }

    /// <summary>Orders counted on a side but short of the first depth on the grid (including prints on the wrong side of the mid).</summary>
    public long OrdersBelowGrid { get; init; }

    public double InvalidQuoteTime { get; init; }
    public double FirstQuoteTime { get; init; }
    public double LastQuoteTime { get; init; }
    public double FirstTradeTime { get; init; }
    public double LastTradeTime { get; init; }
}

/// <summary>Per-side counts of orders that reached each depth, and the time observed with a valid quote.</summary>
public sealed record TapeBins(string QuotesSource, string TradesSource, double[] Deltas, long[] BidCounts, long[] AskCounts, double ObservedTime, TapeDiagnostics Diagnostics)
{
    /// <summary>
    /// Rows for `calibrate`. Each side was observed for <see cref="ObservedTime"/>; pooled (<see cref="SideSelection.Both"/>)
    /// rows add both sides' counts over twice that time, so the fitted A is the per-side intensity.
    /// </summary>
    public IReadOnlyList<SidedArrivalBin> ToArrivalBins(SideSelection selection)
    {
        var rows = new List<SidedArrivalBin>(Deltas.Length * 2);
        if (selection == SideSelection.Both)
        {
            for (var i = 0; i < Deltas.Length; i++)
            {
                rows.Add(new SidedArrivalBin(null, new ArrivalBin(Deltas[i], BidCounts[i] + AskCounts[i], 2 * ObservedTime)));
            }
            return rows;
        }
        if (selection is SideSelection.Bid or SideSelection.Separate)
        {
            AddSide(rows, QuoteSide.Bid, BidCounts);
        }
        if (selection is SideSelection.Ask or SideSelection.Separate)
        {
            AddSide(rows, QuoteSide.Ask, AskCounts);
        }
        return rows;
    }

    private void AddSide(List<SidedArrivalBin> rows, QuoteSide side, long[] counts)
    {
        for (var i = 0; i < Deltas.Length; i++)
        {
            rows.Add(new SidedArrivalBin(side, new ArrivalBin(Deltas[i], counts[i], ObservedTime)));
        }
    }
}

/// <summary>A bins.csv row: the side is null for pooled rows.</summary>
public readonly record struct SidedArrivalBin(QuoteSide? Side, ArrivalBin Bin);

/// <summary>
/// Streaming accumulator from a quote and trade tape to per-side arrival counts by depth. Feed events in time
/// order (<see cref="TapeBinning.Run"/> merges two sorted files); memory is O(grid), whatever the tape's length.
/// <para>Rules, in the order they apply:</para>
/// <list type="bullet">
/// <item>The prevailing quote for a trade is the last quote at or before it: at equal timestamps quotes apply before
/// trades, and of several quotes with one timestamp the last one prevails (the others held for no time).</item>
/// <item>A quote is valid when both sides are present and bid &lt; ask. Time under a missing, locked or crossed quote is
/// not exposure, and trades in it are skipped.</item>
/// <item>The window observed is [first quote, last quote]: a trade before the first quote is an error, trades after
/// the last quote are skipped (nothing says the book was still there).</item>
/// <item>The aggressor is the tape's side, else buy if the price is above the mid, sell if below; prints at the mid
/// with no side are skipped. Zero-size prints are skipped.</item>
/// <item>Prints of one aggressor side with one timestamp are one market order sweeping the book: it counts once,
/// at its farthest depth. (Counting each print would count one order several times at the shallow depths.)</item>
/// <item>An order of depth D (price − mid for a buy, mid − price for a sell) counts at every grid depth δ ≤ D: a
/// resting quote there would have been reached. Depths are compared with a tolerance of 1e-10·|mid| so that a price
/// exactly on a tick is not lost to rounding.</item>
/// </list>
/// </summary>
public sealed class TapeBinner
{
    private const double RelativeTolerance = 1e-10;

    private readonly double[] _deltas;
    private readonly string _quotesSource;
    private readonly string _tradesSource;

    // reached[side][m] = orders whose depth reached exactly m grid points; counts follow by a suffix sum.
    private readonly long[][] _reached;

    // Orders after the current quote's time: kept apart until a later quote shows the book was still observed.
    private readonly long[][] _tail;
    private readonly Pending[] _pending = new Pending[2];

    private bool _hasQuote;
    private Quote _quote;
    private bool _quoteValid;
    private double _lastEventTime = double.NegativeInfinity;
    private double _validTime;
    private double _invalidTime;
    private long _tailOrders;
    private long _tradesSinceQuote;
    private long _quotesRead, _quotesMissingSide, _quotesLocked, _quotesCrossed, _quotesSuperseded;
    private long _tradesRead, _sidesInferred, _printsMerged, _skippedZeroSize, _skippedNoValidQuote, _skippedAtMid;
    private double _firstQuoteTime = double.NaN, _firstTradeTime = double.NaN, _lastTradeTime = double.NaN;

    public TapeBinner(IReadOnlyList<double> deltas, string quotesSource, string tradesSource)
    {
        _deltas = DepthGrid.Validate(deltas);
        _quotesSource = quotesSource;
        _tradesSource = tradesSource;
        _reached = [new long[_deltas.Length + 1], new long[_deltas.Length + 1]];
        _tail = [new long[_deltas.Length + 1], new long[_deltas.Length + 1]];
    }

    public void AddQuote(in Quote quote)
    {
        CheckOrder(quote.Time, _quotesSource, quote.Line);
        FlushPending();
        if (_hasQuote)
        {
            var held = quote.Time - _quote.Time;
            if (_quoteValid) _validTime += held; else _invalidTime += held;
            if (held == 0) _quotesSuperseded++;
            // A later quote shows the book was still observed through the trades since the previous one.
            if (_tailOrders > 0) MergeTail();
            _tradesSinceQuote = 0;
        }
        else
        {
            _firstQuoteTime = quote.Time;
        }
        _hasQuote = true;
        _quote = quote;
        _quoteValid = false;
        _quotesRead++;
        if (double.IsNaN(quote.Bid) || double.IsNaN(quote.Ask)) _quotesMissingSide++;
        else if (quote.Bid == quote.Ask) _quotesLocked++;
        else if (quote.Bid > quote.Ask) _quotesCrossed++;
        else _quoteValid = true;
    }

    public void AddTrade(in Trade trade)
    {
        CheckOrder(trade.Time, _tradesSource, trade.Line);
        if (!(trade.Size >= 0) || !double.IsFinite(trade.Size))
        {
            throw new InputException($"size must be a finite number >= 0, got {Guard.Format(trade.Size)}", _tradesSource, LineOrNull(trade.Line), null, "size");
        }
        Guard.Finite(trade.Price, "price");
        if (_tradesRead++ == 0) _firstTradeTime = trade.Time;
        _lastTradeTime = trade.Time;
        if (_hasQuote && trade.Time > _quote.Time) _tradesSinceQuote++;
        if (!_hasQuote)
        {
            throw new InputException(
                $"trade at time {Guard.Format(trade.Time)} comes before the first quote: there is no mid to measure its depth from (trim the trades or add an earlier quote)",
                _tradesSource, LineOrNull(trade.Line), null, "time");
        }
        if (trade.Size == 0)
        {
            _skippedZeroSize++;
            return;
        }
        if (!_quoteValid)
        {
            _skippedNoValidQuote++;
            return;
        }
        var mid = _quote.Mid;
        Aggressor aggressor;
        if (trade.Side is Aggressor given)
        {
            aggressor = given;
        }
        else if (trade.Price != mid)
        {
            aggressor = trade.Price > mid ? Aggressor.Buy : Aggressor.Sell;
            _sidesInferred++;
        }
        else
        {
            _skippedAtMid++;
            return;
        }
        var depth = aggressor == Aggressor.Buy ? trade.Price - mid : mid - trade.Price;
        var reached = GridPointsReached(depth, RelativeTolerance * Math.Max(Math.Abs(mid), 1.0));
        var side = (int)Sides.Reached(aggressor);
        ref var pending = ref _pending[side];
        if (pending.Active && pending.Time == trade.Time)
        {
            pending.Reached = Math.Max(pending.Reached, reached);
            _printsMerged++;
            return;
        }
        Flush(side);
        pending = new Pending(true, trade.Time, reached);
    }

    /// <summary>Ends the tape: orders after the last quote are dropped, and the counts by depth are formed.</summary>
    public TapeBins Finish()
    {
        FlushPending();
        if (!_hasQuote)
        {
            throw new InputException("no quotes: header only", _quotesSource, 2, null, "time");
        }
        if (_tradesRead == 0)
        {
            throw new InputException("no trades: header only", _tradesSource, 2, null, "time");
        }
        var bid = _reached[(int)QuoteSide.Bid];
        var ask = _reached[(int)QuoteSide.Ask];
        var stats = new TapeDiagnostics
        {
            QuotesRead = _quotesRead,
            QuotesMissingSide = _quotesMissingSide,
            QuotesLocked = _quotesLocked,
            QuotesCrossed = _quotesCrossed,
            QuotesSuperseded = _quotesSuperseded,
            TradesRead = _tradesRead,
            SidesInferred = _sidesInferred,
            PrintsMergedIntoSweeps = _printsMerged,
            SkippedZeroSize = _skippedZeroSize,
            SkippedNoValidQuote = _skippedNoValidQuote,
            SkippedAtMid = _skippedAtMid,
            SkippedAfterLastQuote = _tailOrders,
            BidOrders = bid.Sum(),
            AskOrders = ask.Sum(),
            OrdersBelowGrid = bid[0] + ask[0],
            InvalidQuoteTime = _invalidTime,
            FirstQuoteTime = _firstQuoteTime,
            LastQuoteTime = _quote.Time,
            FirstTradeTime = _firstTradeTime,
            LastTradeTime = _lastTradeTime,
        };
        if (_tradesRead == _tradesSinceQuote)
        {
            throw new InputException(
                $"no trade falls within the quotes' time span [{Guard.Format(stats.FirstQuoteTime)}, {Guard.Format(stats.LastQuoteTime)}]; the trades span [{Guard.Format(stats.FirstTradeTime)}, {Guard.Format(stats.LastTradeTime)}] (are both files from the same session, with times in the same units?)",
                _tradesSource, null, null, "time");
        }
        if (!(_validTime > 0))
        {
            throw new InputException("no time with a valid quote (both sides present and bid < ask): there is no exposure to count arrivals against", _quotesSource, null, null, "bid");
        }
        return new TapeBins(_quotesSource, _tradesSource, _deltas, Counts(bid), Counts(ask), _validTime, stats);
    }

    private static int? LineOrNull(int line) => line > 0 ? line : null;

    /// <summary>The number of grid depths δ with δ ≤ depth (+ tolerance).</summary>
    private int GridPointsReached(double depth, double tolerance)
    {
        var target = depth + tolerance;
        int lo = 0, hi = _deltas.Length;
        while (lo < hi)
        {
            var m = (lo + hi) >>> 1;
            if (_deltas[m] <= target) lo = m + 1; else hi = m;
        }
        return lo;
    }

    private void CheckOrder(double time, string source, int line)
    {
        Guard.Finite(time, "time");
        if (time < _lastEventTime)
        {
            throw new InputException(
                $"time {Guard.Format(time)} is earlier than {Guard.Format(_lastEventTime)} before it: the tape must be sorted by time",
                source, LineOrNull(line), null, "time");
        }
        _lastEventTime = time;
    }

    private void FlushPending()
    {
        Flush(0);
        Flush(1);
    }

    private void Flush(int side)
    {
        ref var pending = ref _pending[side];
        if (!pending.Active) return;
        if (pending.Time > _quote.Time)
        {
            _tail[side][pending.Reached]++;
            _tailOrders++;
        }
        else
        {
            _reached[side][pending.Reached]++;
        }
        pending = default;
    }

    private void MergeTail()
    {
        for (var side = 0; side < 2; side++)
        {
            var tail = _tail[side];
            for (var m = 0; m < tail.Length; m++)
            {
                _reached[side][m] += tail[m];
                tail[m] = 0;
            }
        }
        _tailOrders = 0;
    }

    /// <summary>count at δ_j = orders that reached more than j grid points.</summary>
    private static long[] Counts(long[] reached)
    {
        var counts = new long[reached.Length - 1];
        long above = 0;
        for (var j = counts.Length - 1; j >= 0; j--)
        {
            above += reached[j + 1];
            counts[j] = above;
        }
        return counts;
    }

    private struct Pending(bool active, double time, int reached)
    {
        public bool Active = active;
        public double Time = time;
        public int Reached = reached;
    }
}
