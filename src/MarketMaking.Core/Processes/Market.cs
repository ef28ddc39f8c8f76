using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Processes;

/// <summary>
/// The exogenous market a backtest runs against: where the mid starts, how many steps there are, and a cursor that
/// produces the mid path of a batch of Monte Carlo paths chunk by chunk (so a long historical series is streamed,
/// never held whole). Every strategy of a run replays the same mids: common random numbers.
/// </summary>
public interface IMarket
{
    double InitialMid { get; }
    int Steps { get; }

    /// <summary>T: the horizon in time units, used for τ = T − t.</summary>
    double Horizon { get; }

    /// <summary>Nominal step length (the exact one per step comes from the cursor).</summary>
    double Dt { get; }

    /// <summary>The mid paths of lanes [firstPath, firstPath + lanes); path p draws from stream (seed, p, 0).</summary>
    IMarketCursor Open(long firstPath, int lanes, ulong seed);

    /// <summary>True when the market also carries a second instrument strategies may trade to hedge.</summary>
    bool HasHedge => false;

    /// <summary>The hedge instrument's mid at the start (NaN without one).</summary>
    double InitialHedgeMid => double.NaN;
}

/// <summary>Produces the next steps of a batch's mid paths.</summary>
public interface IMarketCursor : IDisposable
{
    /// <summary>
    /// Writes <paramref name="count"/> further steps: <c>mids[j·lanes + lane]</c> is the mid after step j of the chunk,
    /// <c>times[j]</c> the time at its end (from the start of the run), <c>dts[j]</c> its length.
    /// </summary>
    void Next(int count, Span<double> mids, Span<double> times, Span<double> dts);

    /// <summary>The hedge instrument's mids for the same steps as the last <see cref="Next"/>, laid out like its mids.</summary>
    void NextHedge(int count, Span<double> hedgeMids)
    {
    }
}

/// <summary>Random-walk market: a <see cref="IPriceProcess"/> from s0 over a horizon cut into steps of dt.</summary>
public sealed record SyntheticMarket : IMarket
{
    public SyntheticMarket(IPriceProcess process, double s0, double dt, double horizon)
    {
        Process = process;
        InitialMid = Guard.Finite(s0, "s0");
        Dt = Guard.Positive(dt, "dt");
        Horizon = Guard.Positive(horizon, "horizon");
        var steps = horizon / dt;
        var rounded = Math.Round(steps);
        if (rounded < 1 || Math.Abs(steps - rounded) > 1e-6 * Math.Max(1.0, rounded))
        {
            throw new InputException($"horizon {Guard.Format(horizon)} is not a whole number (>= 1) of steps of dt = {Guard.Format(dt)}", field: "horizon");
        }
        if (rounded > int.MaxValue - 1)
        {
            throw new InputException($"too many steps ({rounded.ToString(CultureInfo.InvariantCulture)})", field: "dt");
        }
        Steps = (int)rounded;
    }

    public IPriceProcess Process { get; }
    public double InitialMid { get; }
    public double Dt { get; }
    public double Horizon { get; }
    public int Steps { get; }

    public IMarketCursor Open(long firstPath, int lanes, ulong seed) => Cursor.Open(this, firstPath, lanes, seed);

    /// <summary>
    /// A batch's lanes of paths. A disposed cursor is its thread's spare, started afresh by that thread's next Open:
    /// a Monte Carlo opens one per batch of 256 paths, and fresh arrays each time are tens of megabytes of memory
    /// touched once (a page fault every 4 KB) over 10^5 paths.
    /// </summary>
    private sealed class Cursor : IMarketCursor
    {
        [ThreadStatic]
        private static Cursor? t_spare;

        private SyntheticMarket _market = null!;
        private Xoshiro256StarStar[] _rng = [];
        private double[] _mid = [];
        private int _lanes;
        private int _step;

        // The streams' states word by word, as seeded, for the eight-lane walk; another process imports them into _rng.
        private ulong[] _w0 = [], _w1 = [], _w2 = [], _w3 = [];
        private bool _rngImported;

        public static Cursor Open(SyntheticMarket market, long firstPath, int lanes, ulong seed)
        {
            var cursor = t_spare ?? new Cursor();
            t_spare = null;
            cursor.Start(market, firstPath, lanes, seed);
            return cursor;
        }

        private void Start(SyntheticMarket market, long firstPath, int lanes, ulong seed)
        {
            _market = market;
            _lanes = lanes;
            _step = 0;
            _rngImported = false;
            if (_mid.Length < lanes)
            {
                _rng = new Xoshiro256StarStar[lanes];
                _mid = new double[lanes];
                _w0 = new ulong[lanes]; _w1 = new ulong[lanes]; _w2 = new ulong[lanes]; _w3 = new ulong[lanes];
            }
            VectorXoshiro.ForStreams(seed, firstPath, BacktestStreams.Market, _w0.AsSpan(0, lanes), _w1.AsSpan(0, lanes), _w2.AsSpan(0, lanes), _w3.AsSpan(0, lanes));
            _mid.AsSpan(0, lanes).Fill(market.InitialMid);
        }

        public void Next(int count, Span<double> mids, Span<double> times, Span<double> dts)
        {
            var lanes = _lanes;
            var dt = _market.Dt;
            dts[..count].Fill(dt);
            for (var j = 0; j < count; j++)
            {
                // t_i = i·dt exactly, as the paper's simulation computes τ = T − i·dt.
                times[j] = (_step + j + 1) * dt;
            }
            _step += count;
            if (_market.Process is BinomialProcess binomial)
            {
                NextBinomial(count, mids, binomial.Sigma * Math.Sqrt(dt));
                return;
            }
            var process = _market.Process;
            if (!_rngImported)
            {
                for (var lane = 0; lane < lanes; lane++) _rng[lane] = Xoshiro256StarStar.FromState(_w0[lane], _w1[lane], _w2[lane], _w3[lane]);
                _rngImported = true;
            }
            for (var lane = 0; lane < lanes; lane++)
            {
                ref var rng = ref _rng[lane];
                var s = _mid[lane];
                for (var j = 0; j < count; j++)
                {
                    s = process.Next(s, dt, ref rng);
                    mids[j * lanes + lane] = s;
                }
                _mid[lane] = s;
            }
        }

        /// <summary>
        /// The paper's walk on eight lanes at a time: each lane's stream gives the same draws as the scalar generator,
        /// and u &lt; ½ exactly when the top bit is clear, so the move's sign is flipped by that bit (no branch).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void NextBinomial(int count, Span<double> mids, double move)
        {
            var lanes = _lanes;
            var (w0, w1, w2, w3) = (_w0, _w1, _w2, _w3);
            var step = Vector512.Create(move).AsUInt64();
            var sign = Vector512.Create(0x8000000000000000UL);
            ref var out0 = ref MemoryMarshal.GetReference(mids);
            for (var lane = 0; lane < lanes; lane += Vector512<double>.Count)
            {
                var s0 = Vector512.Create(w0.AsSpan(lane, 8));
                var s1 = Vector512.Create(w1.AsSpan(lane, 8));
                var s2 = Vector512.Create(w2.AsSpan(lane, 8));
                var s3 = Vector512.Create(w3.AsSpan(lane, 8));
                var s = Vector512.Create(_mid.AsSpan(lane, 8));
                for (var j = 0; j < count; j++)
                {
                    var bits = VectorXoshiro.Next(ref s0, ref s1, ref s2, ref s3);
                    s += (step ^ (bits & sign)).AsDouble();
                    s.StoreUnsafe(ref out0, (nuint)(j * lanes + lane));
                }
                s.CopyTo(_mid.AsSpan(lane, 8));
                s0.CopyTo(w0.AsSpan(lane, 8));
                s1.CopyTo(w1.AsSpan(lane, 8));
                s2.CopyTo(w2.AsSpan(lane, 8));
                s3.CopyTo(w3.AsSpan(lane, 8));
            }
        }

        /// <summary>Hands the cursor back to its thread for the next batch.</summary>
        public void Dispose() => t_spare = this;
    }
}

/// <summary>A mid series held in memory (tests, short histories): every path sees the same mids.</summary>
public sealed record SeriesMarket : IMarket
{
    private readonly double[] _mid;
    private readonly double[]? _time;

    private readonly double[]? _hedge;

    /// <summary>
    /// Mids at times <paramref name="time"/> (strictly increasing) or, without times, evenly <paramref name="dt"/> apart;
    /// optionally the mids of a second instrument to hedge with.
    /// </summary>
    public SeriesMarket(double[] mid, double[]? time, double dt, double[]? hedge = null)
    {
        if (hedge is not null)
        {
            if (hedge.Length != mid.Length) throw new ArgumentException("mid and hedge must have the same length");
            foreach (var h in hedge) Guard.Finite(h, "hedge");
        }
        _hedge = hedge;
        if (mid.Length < 2) throw new InputException($"need at least two mid prices, got {mid.Length}", field: "mid");
        foreach (var m in mid) Guard.Finite(m, "mid");
        if (time is not null)
        {
            if (time.Length != mid.Length) throw new ArgumentException("mid and time must have the same length");
            for (var i = 1; i < time.Length; i++)
            {
                if (!(time[i] > time[i - 1])) throw new InputException("time must increase strictly", field: "time");
            }
        }
        _mid = mid;
        _time = time;
        Dt = time is null ? Guard.Positive(dt, "dt") : (time[^1] - time[0]) / (mid.Length - 1);
        Horizon = time is null ? dt * (mid.Length - 1) : time[^1] - time[0];
    }

    public double InitialMid => _mid[0];
    public bool HasHedge => _hedge is not null;
    public double InitialHedgeMid => _hedge?[0] ?? double.NaN;
    public int Steps => _mid.Length - 1;
    public double Horizon { get; }
    public double Dt { get; }

    public IMarketCursor Open(long firstPath, int lanes, ulong seed) => new Cursor(this, lanes);

    private sealed class Cursor(SeriesMarket market, int lanes) : IMarketCursor
    {
        private int _next = 1;

        public void Next(int count, Span<double> mids, Span<double> times, Span<double> dts)
        {
            for (var j = 0; j < count; j++, _next++)
            {
                mids.Slice(j * lanes, lanes).Fill(market._mid[_next]);
                dts[j] = market._time is null ? market.Dt : market._time[_next] - market._time[_next - 1];
                times[j] = market._time is null ? _next * market.Dt : market._time[_next] - market._time[0];
            }
        }

        public void NextHedge(int count, Span<double> hedgeMids)
        {
            // Next has already moved past these rows.
            for (var j = 0; j < count; j++) hedgeMids.Slice(j * lanes, lanes).Fill(market._hedge![_next - count + j]);
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>Sub-stream numbers under (seed, path): the market's and the fills' draws never overlap.</summary>
public static class BacktestStreams
{
    public const ulong Market = 0;
    public const ulong Fills = 1;

    /// <summary>The synthetic hedge instrument's own shocks.</summary>
    public const ulong Hedge = 2;
}
