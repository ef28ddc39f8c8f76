using MarketMaking.Core.Intensity;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Tape;

/// <summary>
/// A synthetic tape with a known per-side intensity. Defaults: a 0.01 tick, quotes every second one tick either
/// side of the mid, σ = 0.02 per √second.
/// </summary>
public sealed record SyntheticTapeSettings
{
    public SyntheticTapeSettings(ExponentialIntensity bid, ExponentialIntensity ask, double duration, ulong seed)
    {
        Bid = bid;
        Ask = ask;
        Duration = Guard.Positive(duration, "duration");
        Seed = seed;
    }

    /// <summary>λ(δ) of sell orders reaching the bid side.</summary>
    public ExponentialIntensity Bid { get; }

    /// <summary>λ(δ) of buy orders reaching the ask side.</summary>
    public ExponentialIntensity Ask { get; }

    /// <summary>Length of the tape in seconds; quotes run from <see cref="StartTime"/> to StartTime + Duration inclusive.</summary>
    public double Duration { get; }

    public ulong Seed { get; }

    public double StartTime { get; init; }
    public double QuoteInterval { get; init => field = Guard.Positive(value, "quote interval"); } = 1.0;
    public double InitialMid { get; init => field = Guard.Positive(value, "initial mid"); } = 100.0;
    public double Sigma { get; init => field = Guard.NonNegative(value, "sigma"); } = 0.02;
    public double TickSize { get; init => field = Guard.Positive(value, "tick size"); } = 0.01;

    /// <summary>Half the quoted spread, in ticks.</summary>
    public int HalfSpreadTicks { get; init => field = Guard.AtLeast(value, 1, "half spread"); } = 1;
}

/// <summary>
/// Generates a quote and trade tape whose per-side arrival intensity is exactly λ(δ) = A·e^(−kδ).
/// <para>
/// Why: on each side, market orders arrive as a Poisson process of rate A, and each order independently reaches a
/// depth D beyond the prevailing mid with P(D ≥ δ) = e^(−kδ) (D exponential with rate k). The orders that reach
/// δ are the Poisson process thinned with probability e^(−kδ), which is again Poisson, with rate A·e^(−kδ): the
/// intensity at which a quote resting at δ would be hit. Counting them over a time T gives Poisson(A·e^(−kδ)·T).
/// </para>
/// <para>
/// The mid is an arithmetic random walk sampled at each quote; quotes sit <see cref="SyntheticTapeSettings.HalfSpreadTicks"/>
/// ticks either side of it, rounded to the tick grid, and depths are measured from the quoted mid (bid+ask)/2,
/// exactly as `bins` measures them. Prices of trades are not rounded to ticks: rounding would discretise D and
/// move the truth. Both streams are generated lazily from the seed, so a tape of any length runs in constant memory.
/// </para>
/// </summary>
public static class SyntheticTape
{
    private const ulong QuoteStream = 0;
    private const ulong BidStream = 1;
    private const ulong AskStream = 2;

    public static IEnumerable<Quote> Quotes(SyntheticTapeSettings settings)
    {
        var path = new QuotePath(settings);
        while (path.MoveNext())
        {
            yield return path.Current;
        }
    }

    /// <summary>Trades in time order, each with its aggressor side; sizes are 1 to 10 lots.</summary>
    public static IEnumerable<Trade> Trades(SyntheticTapeSettings settings)
    {
        var path = new QuotePath(settings);
        path.MoveNext();
        var current = path.Current;
        var hasNext = path.MoveNext();
        var next = path.Current;
        var end = settings.StartTime + settings.Duration;
        var bid = new Arrivals(settings.Seed, BidStream, settings.Bid, settings.StartTime);
        var ask = new Arrivals(settings.Seed, AskStream, settings.Ask, settings.StartTime);
        while (true)
        {
            var isAsk = ask.Time < bid.Time;
            var time = isAsk ? ask.Time : bid.Time;
            if (time > end) yield break;
            // The prevailing quote is the last one at or before the trade.
            while (hasNext && next.Time <= time)
            {
                current = next;
                hasNext = path.MoveNext();
                next = path.Current;
            }
            var mid = current.Mid;
            if (isAsk)
            {
                yield return new Trade(time, mid + ask.Depth, ask.Size, Aggressor.Buy);
                ask.Advance();
            }
            else
            {
                yield return new Trade(time, mid - bid.Depth, bid.Size, Aggressor.Sell);
                bid.Advance();
            }
        }
    }

    /// <summary>One side's order flow: Poisson arrival times of rate A, depths exponential of rate k.</summary>
    private sealed class Arrivals
    {
        private readonly ExponentialIntensity _truth;
        private Xoshiro256StarStar _rng;

        public Arrivals(ulong seed, ulong stream, ExponentialIntensity truth, double start)
        {
            _truth = truth;
            _rng = Xoshiro256StarStar.ForStream(seed, stream);
            Time = start;
            Advance();
        }

        public double Time { get; private set; }
        public double Depth { get; private set; }
        public double Size { get; private set; }

        public void Advance()
        {
            Time += Sampling.Exponential(ref _rng, _truth.A);
            Depth = Sampling.Exponential(ref _rng, _truth.K);
            Size = 1 + Math.Floor(10 * _rng.NextDouble());
        }
    }

    /// <summary>The quote at t0, t0+dt, ..., t0+T on its own random stream, so quotes and trades replay the same path.</summary>
    private sealed class QuotePath
    {
        private readonly SyntheticTapeSettings _s;
        private readonly long _count;
        private readonly double _step;
        private Xoshiro256StarStar _rng;
        private long _index = -1;
        private double _mid;

        public QuotePath(SyntheticTapeSettings settings)
        {
            _s = settings;
            _count = (long)Math.Floor(settings.Duration / settings.QuoteInterval + 1e-9) + 1;
            _step = settings.Sigma * Math.Sqrt(settings.QuoteInterval);
            _rng = Xoshiro256StarStar.ForStream(settings.Seed, QuoteStream);
            _mid = settings.InitialMid;
        }

        public Quote Current { get; private set; }

        public bool MoveNext()
        {
            _index++;
            if (_index > _count) return false;
            var last = _index == _count;
            // The final quote closes the window exactly at the end of the tape (at the last grid time otherwise).
            if (last && _count > 0 && Current.Time >= _s.StartTime + _s.Duration) return false;
            var time = last ? _s.StartTime + _s.Duration : _s.StartTime + _index * _s.QuoteInterval;
            if (_index > 0) _mid += _step * _rng.NextGaussian();
            var tick = _s.TickSize;
            var bidTicks = Math.Round(_mid / tick) - _s.HalfSpreadTicks;
            var bid = Math.Round(bidTicks * tick, 10);
            var ask = Math.Round((bidTicks + 2 * _s.HalfSpreadTicks) * tick, 10);
            Current = new Quote(time, bid, ask);
            return true;
        }
    }
}
