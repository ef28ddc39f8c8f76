using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Quoting;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Backtest;

/// <summary>
/// The time-inner kernel for <see cref="IAffineQuoter"/> strategies: each group of eight paths runs a whole chunk of
/// steps with its books and statistics in registers. It repeats the general kernel's arithmetic operation for
/// operation, except that exponential intensities are factored per step (λ^b = c^b·e^{−k·slope·q}, λ^a = c^a·e^{k·slope·q},
/// one reduction for both), which moves λΔt by a few units in the last place: the fill decisions, and so every outcome,
/// are the general kernel's (a uniform would have to fall within 10⁻¹⁴ of the probability to tell them apart).
/// </summary>
internal sealed partial class LaneBook
{
    private readonly double[] _nextSlope = new double[RunPlan.ChunkSteps];
    private readonly double[] _nextHalf = new double[RunPlan.ChunkSteps];

    /// <summary>Inventories q = m·v with m = −8 … 7 have their thresholds tabulated per step (two registers a side).</summary>
    internal const int TableSize = 16;

    /// <summary>
    /// A chunk's tables cost 32 thresholds a step: worth it from this many lanes, or when the chunk's coefficients
    /// repeat (a Monte Carlo's batches). A batch of a few paths evaluates its rates per step instead (one path: the one-path kernel).
    /// </summary>
    private const int TableLanes = 64;

    /// <summary>
    /// A chunk's per-step coefficients, factors and thresholds. A book keeps one per chunk of a short horizon (the
    /// paper's 200 steps are two chunks), so every batch of a strategy whose quotes depend only on time reuses them.
    /// </summary>
    private sealed class ChunkFactors
    {
        public int Start = -1, Count;

        /// <summary>Whether the threshold tables are filled for these coefficients (the flat thresholds always are).</summary>
        public bool HasTable;
        // Padded: the factors are computed, and the one-path kernel reads them, eight steps at a time.
        public readonly double[] Slope = new double[PaddedSteps], Half = new double[PaddedSteps], Dts = new double[RunPlan.ChunkSteps],
            BidADt = new double[PaddedSteps], AskADt = new double[PaddedSteps], BidC = new double[PaddedSteps],
            AskC = new double[PaddedSteps], NegKSlope = new double[PaddedSteps];
        public readonly ulong[] BidThreshold = new ulong[PaddedSteps], AskThreshold = new ulong[PaddedSteps],
            BidTable = new ulong[RunPlan.ChunkSteps * TableSize], AskTable = new ulong[RunPlan.ChunkSteps * TableSize];
    }

    private ChunkFactors[] _factorSlots = [];
    private ChunkFactors _f = null!;

    // Per-step trace of a chunk for batches that record (path 0, distribution paths): rows of lanes, filled by the
    // kernel when asked, replayed step by step to the recorders. Inventory and cash have one more row (after the last step).
    private double[] _traceQ = [], _traceCash = [], _traceBid = [], _traceAsk = [], _traceBidSize = [], _traceAskSize = [],
        _traceBought = [], _traceSold = [], _tracePnl = [];

    /// <summary>True when the strategy's quotes are affine in inventory, so <see cref="RunAffineChunk"/> applies.</summary>
    public bool Affine { get; private set; }

    /// <summary>
    /// Steps start … start+count−1 of the batch. <paramref name="mids"/> holds count+1 rows of lanes (row 0: the mid at
    /// the chunk's start); <paramref name="times"/>[j] is the time at the end of step j, <paramref name="time0"/> at the start.
    /// </summary>
    public void RunAffineChunk(int start, int count, double time0, ReadOnlySpan<double> times, ReadOnlySpan<double> dts, ReadOnlySpan<double> mids, bool trace = false)
    {
        if (trace && _traceQ.Length == 0)
        {
            const int rows = (RunPlan.ChunkSteps + 1) * RunPlan.BatchLanes;
            _traceQ = new double[rows]; _traceCash = new double[rows]; _traceBid = new double[rows]; _traceAsk = new double[rows];
            _traceBidSize = new double[rows]; _traceAskSize = new double[rows]; _traceBought = new double[rows]; _traceSold = new double[rows];
            _tracePnl = new double[rows];
        }
        _tracing = trace;
        var quoter = (IAffineQuoter)_quoter;
        var bid = _plan.Bid;
        var ask = _plan.Ask;
        for (var j = 0; j < count; j++)
        {
            var time = j == 0 ? time0 : times[j - 1];
            quoter.Coefficients(start + j, time, _plan.Horizon - time, dts[j], out _nextSlope[j], out _nextHalf[j]);
        }
        // The same coefficients as when this book last ran this chunk (every batch of a strategy whose quotes depend
        // only on time): its per-step factors and thresholds stand.
        if (_factorSlots.Length == 0)
        {
            _factorSlots = new ChunkFactors[Math.Clamp((_plan.Steps + RunPlan.ChunkSteps - 1) / RunPlan.ChunkSteps, 1, 4)];
            for (var k = 0; k < _factorSlots.Length; k++) _factorSlots[k] = new ChunkFactors();
        }
        _f = _factorSlots[start / RunPlan.ChunkSteps % _factorSlots.Length];
        var same = start == _f.Start && count == _f.Count && _nextSlope.AsSpan(0, count).SequenceEqual(_f.Slope.AsSpan(0, count))
            && _nextHalf.AsSpan(0, count).SequenceEqual(_f.Half.AsSpan(0, count)) && dts[..count].SequenceEqual(_f.Dts.AsSpan(0, count));
        if (!same)
        {
            _nextSlope.AsSpan(0, count).CopyTo(_f.Slope);
            _nextHalf.AsSpan(0, count).CopyTo(_f.Half);
            dts[..count].CopyTo(_f.Dts);
            _f.Start = start;
            _f.Count = count;
            _f.HasTable = false;
        }
        // A loop of its own, the flat test apart (early out): this runs per step of a long history.
        var bidA = bid.A;
        var askA = ask.A;
        for (var j = 0; j < count; j++)
        {
            _f.BidADt[j] = bidA * dts[j];
            _f.AskADt[j] = askA * dts[j];
        }
        var flat = AllZero(_f.Slope.AsSpan(0, count));
        if (bid.Kind == IntensityKind.Exponential && ask.Kind == IntensityKind.Exponential && (flat || bid.K == ask.K))
        {
            // λ(δ)Δt = AΔt·e^{−k·half}·e^{∓k·slope·q}: the step's factor once per chunk, one reduction per lane for
            // both sides, and none when the quotes do not lean on inventory (the symmetric strategy): then each step's
            // fill probabilities are the same on every lane, compared with the draws as 32-bit thresholds.
            if (!same) ExponentialFactors(_f, count, bid.K, ask.K);
            if (flat)
            {
                if (!same)
                {
                    switch (_plan.FillKind)
                    {
                        case FillKind.Linear: Thresholds<LinearProbability>(count); break;
                        case FillKind.Poisson: Thresholds<PoissonProbability>(count); break;
                        default: Thresholds<AnyProbability>(count); break;
                    }
                }
                if (_solo) SoloCap<FlatSoloHits>(start, count, mids);
                else AffineCap<FlatHits>(start, count, dts, mids);
            }
            else if (_solo)
            {
                switch (_plan.FillKind)
                {
                    case FillKind.Linear: SoloCap<SharedSoloHits<LinearProbability>>(start, count, mids); break;
                    case FillKind.Poisson: SoloCap<SharedSoloHits<PoissonProbability>>(start, count, mids); break;
                    default: SoloCap<SharedSoloHits<AnyProbability>>(start, count, mids); break;
                }
            }
            else if (TableLookupSupported() && (_f.HasTable || _lanes >= TableLanes))
            {
                switch (_plan.FillKind)
                {
                    case FillKind.Linear:
                        if (!_f.HasTable) TableThresholds<LinearProbability>(count);
                        AffineCap<TableHits<LinearProbability>>(start, count, dts, mids);
                        break;
                    case FillKind.Poisson:
                        if (!_f.HasTable) TableThresholds<PoissonProbability>(count);
                        AffineCap<TableHits<PoissonProbability>>(start, count, dts, mids);
                        break;
                    default:
                        if (!_f.HasTable) TableThresholds<AnyProbability>(count);
                        AffineCap<TableHits<AnyProbability>>(start, count, dts, mids);
                        break;
                }
                _f.HasTable = true;
            }
            else
            {
                AffineFill<SharedExponentialRates>(start, count, dts, mids);
            }
            return;
        }
        switch (bid.Kind)
        {
            case IntensityKind.Exponential: AffineAsk<ExponentialRate>(start, count, dts, mids); break;
            case IntensityKind.Power: AffineAsk<PowerRate>(start, count, dts, mids); break;
            default: AffineAsk<AnyRate>(start, count, dts, mids); break;
        }
    }

    /// <summary>
    /// Each step's fill probabilities as 32-bit thresholds: u &lt; p exactly when the draw's 32-bit word w satisfies
    /// w &lt; ⌈p·2³²⌉, since u = w·2⁻³² (p·2³² and its ceiling are exact), so these decisions are the uniforms' own.
    /// </summary>
    private void Thresholds<TFill>(int count)
        where TFill : struct, IProbability
    {
        var model = _plan.Spec.Fills;
        for (var j = 0; j < count; j++)
        {
            _f.BidThreshold[j] = Threshold(default(TFill).Of(Vector512.Create(_f.BidC[j]), model).ToScalar());
            _f.AskThreshold[j] = Threshold(default(TFill).Of(Vector512.Create(_f.AskC[j]), model).ToScalar());
        }
    }

    private static bool AllZero(ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            if (value != 0) return false;
        }
        return true;
    }

    /// <summary>
    /// Each step's 32-bit thresholds for inventories q = m·v, m = −8 … 7 (v the quote size): the fill probabilities
    /// of both quotes at every inventory a lane is likely to hold, so the kernel looks them up (one permutation per
    /// side) instead of evaluating e^{∓k·slope·q} per lane. Lanes beyond the table take the per-lane rates.
    /// </summary>
    private void TableThresholds<TFill>(int count)
        where TFill : struct, IProbability
    {
        var model = _plan.Spec.Fills;
        var low = Vector512.Create(-8.0, -7, -6, -5, -4, -3, -2, -1) * _quoteSize;
        var high = Vector512.Create(0.0, 1, 2, 3, 4, 5, 6, 7) * _quoteSize;
        Span<double> p = stackalloc double[TableSize];
        for (var j = 0; j < count; j++)
        {
            var negKSlope = Vector512.Create(_f.NegKSlope[j]);
            var bidC = Vector512.Create(_f.BidC[j]);
            var askC = Vector512.Create(_f.AskC[j]);
            VectorExp.ExpPair(low * negKSlope, out var eLow, out var inverseLow);
            VectorExp.ExpPair(high * negKSlope, out var eHigh, out var inverseHigh);
            default(TFill).Of(bidC * eLow, model).CopyTo(p);
            default(TFill).Of(bidC * eHigh, model).CopyTo(p[8..]);
            for (var m = 0; m < TableSize; m++) _f.BidTable[j * TableSize + m] = Threshold(p[m]);
            default(TFill).Of(askC * inverseLow, model).CopyTo(p);
            default(TFill).Of(askC * inverseHigh, model).CopyTo(p[8..]);
            for (var m = 0; m < TableSize; m++) _f.AskTable[j * TableSize + m] = Threshold(p[m]);
        }
    }

    // RunAffineChunk (7.9 KB of code) stays free of AVX-512 and Vector512 operations, which keep a method out of the
    // ReadyToRun image (they are outside its instruction set): these small helpers are compiled at run time instead.

    /// <summary>
    /// Each step's factors c = AΔt·e^{−k·half} of both sides and −k·slope, eight steps at a time (the padding's values
    /// are computed and never read): the kernels' own exponential, so factors and kernels agree to the bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ExponentialFactors(ChunkFactors f, int count, double bidK, double askK)
    {
        for (var j = 0; j < count; j += Vector512<double>.Count)
        {
            var half = Vector512.Create(f.Half, j);
            var bidExp = VectorExp.Exp(Vector512.Create(-bidK) * half);
            // One k for both sides (the usual case): the same exponential.
            var askExp = askK == bidK ? bidExp : VectorExp.Exp(Vector512.Create(-askK) * half);
            (Vector512.Create(f.BidADt, j) * bidExp).CopyTo(f.BidC, j);
            (Vector512.Create(f.AskADt, j) * askExp).CopyTo(f.AskC, j);
            (Vector512.Create(-bidK) * Vector512.Create(f.Slope, j)).CopyTo(f.NegKSlope, j);
        }
    }

    /// <summary>The threshold tables are looked up with an AVX-512 permutation.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TableLookupSupported() => Avx512F.IsSupported;

    private static ulong Threshold(double p) => p >= 1 ? 1UL << 32 : p > 0 ? (ulong)Math.Ceiling(p * 4294967296.0) : 0;

    private void AffineAsk<TBid>(int start, int count, ReadOnlySpan<double> dts, ReadOnlySpan<double> mids)
        where TBid : struct, IRate
    {
        switch (_plan.Ask.Kind)
        {
            case IntensityKind.Exponential: AffineFill<QuoteRates<TBid, ExponentialRate>>(start, count, dts, mids); break;
            case IntensityKind.Power: AffineFill<QuoteRates<TBid, PowerRate>>(start, count, dts, mids); break;
            default: AffineFill<QuoteRates<TBid, AnyRate>>(start, count, dts, mids); break;
        }
    }

    private void AffineFill<TRates>(int start, int count, ReadOnlySpan<double> dts, ReadOnlySpan<double> mids)
        where TRates : struct, IAffineRates
    {
        switch (_plan.FillKind)
        {
            case FillKind.Linear: AffineCap<RateHits<TRates, LinearProbability>>(start, count, dts, mids); break;
            case FillKind.Poisson: AffineCap<RateHits<TRates, PoissonProbability>>(start, count, dts, mids); break;
            default: AffineCap<RateHits<TRates, AnyProbability>>(start, count, dts, mids); break;
        }
    }

    private void SoloCap<THits>(int start, int count, ReadOnlySpan<double> mids)
        where THits : struct, ISoloHits
    {
        if (double.IsPositiveInfinity(_cap)) SoloKernel<THits, WithoutCap>(start, count, mids);
        else SoloKernel<THits, WithCap>(start, count, mids);
    }

    private void AffineCap<THits>(int start, int count, ReadOnlySpan<double> dts, ReadOnlySpan<double> mids)
        where THits : struct, IAffineHits
    {
        if (double.IsPositiveInfinity(_cap)) AffineKernel<THits, WithoutCap>(start, count, dts, mids);
        else AffineKernel<THits, WithCap>(start, count, dts, mids);
    }

    /// <summary>
    /// The ring rows' offsets for steps start − L … start+count−1 (L the longest horizon), once per chunk rather than
    /// per group and step, counted up rather than divided: entry j + L is step
    /// start+j's own row, entry j + L − h the row of the inventory q_{i+1−h} its adverse selection at horizon h reads.
    /// Rows before the first step hold q_0 = 0. Returns L − h per horizon, the shifts from j to those entries.
    /// </summary>
    private ReadOnlySpan<int> RingOffsets(int start, int count)
    {
        var lanes = _lanes;
        var ring = _plan.Ring;
        var longest = ring - 1;
        if (_rowOffset.Length == 0)
        {
            _rowOffset = new int[RunPlan.ChunkSteps + longest];
            _lagShift = new int[_plan.Horizons.Length];
            for (var h = 0; h < _lagShift.Length; h++) _lagShift[h] = longest - _plan.Horizons[h];
        }
        var row = RingRow(start, longest);
        var offsets = _rowOffset.AsSpan(0, count + longest);
        for (var t = 0; t < offsets.Length; t++)
        {
            offsets[t] = row * lanes;
            row = row + 1 == ring ? 0 : row + 1;
        }
        return _lagShift;
    }

    private int[] _rowOffset = [], _lagShift = [];

    private bool _tracing;

    /// <summary>
    /// Lanes per row of the current chunk's trace, and rows' stride: the batch's lanes, or 1 when the one-path kernel
    /// traced it (its path alone, rows packed: a long history's chunk stays in the first-level cache).
    /// </summary>
    private int _traceLanes;

    /// <summary>Replay of a traced chunk: the books before step <paramref name="j"/> (inventory and cash), for the recorders of that state.</summary>
    public void ReplayBefore(int j)
    {
        var row = j * _traceLanes;
        for (var l = 0; l < _traceLanes; l++)
        {
            Q[l] = _traceQ[row + l];
            Cash[l] = _traceCash[row + l];
        }
    }

    /// <summary>
    /// Replays step <paramref name="j"/> of the traced chunk (step <paramref name="i"/> of the run) to the fill recorder,
    /// and leaves the step's P&amp;L in <see cref="StepPnl"/>. With <paramref name="full"/> (or when a tracked lane
    /// filled) the books take the whole state <see cref="Step"/> leaves; otherwise, as on most steps of a long
    /// history, only the P&amp;L: nothing else would read it.
    /// </summary>
    public void ReplayStep(int j, int i, double time, ReadOnlySpan<double> mid, ReadOnlySpan<double> nextMid, bool full)
    {
        var n = _traceLanes;
        var row = j * n;
        var tracked = _trackedLanes;
        full = full || TrackedFill(j);
        if (full)
        {
            CopyStep(j);
            if (tracked > 0) RecordFills(i, time, mid, nextMid);
            return;
        }
        for (var l = 0; l < n; l++) StepPnl[l] = _tracePnl[row + l];
        if (tracked > 0) ResolveMarkouts(i + 1, nextMid);
    }

    /// <summary>
    /// The first traced step at or after <paramref name="j"/> and before <paramref name="limit"/> that has anything for
    /// the fill recorder (a tracked lane filled, or a recorded fill's markout falls due at the mid after the step);
    /// <paramref name="limit"/> if none. <paramref name="start"/> is the chunk's first step. The steps skipped need
    /// nothing but their P&amp;L, which the trace holds.
    /// </summary>
    public int NextDue(int j, int limit, int start)
    {
        // Step i = start + j resolves markouts when i + 1 reaches the first due step.
        limit = Math.Min(limit, Math.Max(j, _markoutDue - 1 - start));
        if (_trackedLanes == 1)
        {
            // A single path: one lane to look at, every row's first value.
            var bought = _traceBought;
            var sold = _traceSold;
            for (var row = j * _traceLanes; j < limit; j++, row += _traceLanes)
            {
                if (bought[row] != 0 || sold[row] != 0) return j;
            }
            return limit;
        }
        for (; j < limit; j++)
        {
            if (TrackedFill(j)) return j;
        }
        return limit;
    }

    private bool TrackedFill(int j)
    {
        var row = j * _traceLanes;
        for (var l = 0; l < _trackedLanes; l++)
        {
            if (_traceBought[row + l] != 0 || _traceSold[row + l] != 0) return true;
        }
        return false;
    }

    /// <summary>The one-step P&amp;L of every lane at traced step <paramref name="j"/>.</summary>
    public ReadOnlySpan<double> TracedPnl(int j) => _tracePnl.AsSpan(j * _traceLanes, _traceLanes);

    /// <summary>After the traced chunk's last step <paramref name="last"/>: the books hold the kernel's final state.</summary>
    public void EndReplay(int last) => CopyStep(last);

    private void CopyStep(int j)
    {
        var n = _traceLanes;
        var row = j * n;
        if (n == 1)
        {
            // A one-path trace: nine span copies would cost more than the step.
            Q[0] = _traceQ[row + 1];
            Cash[0] = _traceCash[row + 1];
            Bid[0] = _traceBid[row];
            Ask[0] = _traceAsk[row];
            BidSize[0] = _traceBidSize[row];
            AskSize[0] = _traceAskSize[row];
            BidFill[0] = _traceBought[row];
            AskFill[0] = _traceSold[row];
            StepPnl[0] = _tracePnl[row];
            return;
        }
        // A batch's lanes (the distribution paths' batches replay every step): block copies.
        _traceQ.AsSpan(row + n, n).CopyTo(Q);
        _traceCash.AsSpan(row + n, n).CopyTo(Cash);
        _traceBid.AsSpan(row, n).CopyTo(Bid);
        _traceAsk.AsSpan(row, n).CopyTo(Ask);
        _traceBidSize.AsSpan(row, n).CopyTo(BidSize);
        _traceAskSize.AsSpan(row, n).CopyTo(AskSize);
        _traceBought.AsSpan(row, n).CopyTo(BidFill);
        _traceSold.AsSpan(row, n).CopyTo(AskFill);
        _tracePnl.AsSpan(row, n).CopyTo(StepPnl);
    }

    /// <summary>How many markout horizons' adverse-selection sums the affine kernel keeps in registers.</summary>
    private const int RegisterHorizons = 4;

    /// <summary>The ring's inventory row <paramref name="shifted"/> (a step index plus a horizon's lag shift), lanes l..l+7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Lag(ref double ringQ, ref int rowOffsets, int shifted, int l) =>
        Vector512.LoadUnsafe(ref ringQ, (nuint)(Unsafe.Add(ref rowOffsets, shifted) + l));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AffineKernel<THits, TCap>(int start, int count, ReadOnlySpan<double> dts, ReadOnlySpan<double> mids)
        where THits : struct, IAffineHits
        where TCap : struct, ICap
    {
        var lanes = _lanes;
        var horizons = _plan.Horizons;
        var horizonCount = horizons.Length;
        var fillModel = _plan.Spec.Fills;
        var zero = Vector512<double>.Zero;
        var one = Vector512.Create(1.0);
        var cap = Vector512.Create(_cap);
        var negCap = Vector512.Create(-_cap);
        var size = Vector512.Create(_quoteSize);
        var inputs = new AffineRateInputs(_plan.Bid, _plan.Ask, _f.BidADt, _f.AskADt, _f.BidC, _f.AskC, _f.NegKSlope, _f.BidThreshold, _f.AskThreshold, _f.BidTable, _f.AskTable, _quoteSize, dts, fillModel);
        ref var slopes = ref MemoryMarshal.GetArrayDataReference(_f.Slope);
        ref var halves = ref MemoryMarshal.GetArrayDataReference(_f.Half);
        ref var mid0 = ref MemoryMarshal.GetReference(mids);
        var tracing = _tracing;
        _traceLanes = lanes;
        var lagShifts = RingOffsets(start, count);
        ref var rowOffsets = ref MemoryMarshal.GetArrayDataReference(_rowOffset);
        var ownShift = _plan.Ring - 1;
        ref var ringQ = ref MemoryMarshal.GetArrayDataReference(_ringQ);
        // The first four horizons' sums stay in registers. Summed in a span, each step stored every sum and the next
        // step loaded it back: a dependency chain through memory, where the kernel's hottest samples were on this machine
        // (Zen 4; about 11% less time for the in-process Monte Carlo without it). Any further horizons use the span; the sums and their order are the same either way.
        Span<Vector512<double>> adverse = stackalloc Vector512<double>[Math.Max(0, horizonCount - RegisterHorizons)];
        int shift0 = horizonCount > 0 ? lagShifts[0] : 0, shift1 = horizonCount > 1 ? lagShifts[1] : 0;
        int shift2 = horizonCount > 2 ? lagShifts[2] : 0, shift3 = horizonCount > 3 ? lagShifts[3] : 0;
        var capped = default(TCap).Capped;
        for (var l = 0; l < lanes; l += Vector512<double>.Count)
        {
            var at = (nuint)l;
            var q = Vector512.LoadUnsafe(ref Q[0], at);
            var cash = Vector512.LoadUnsafe(ref Cash[0], at);
            var s0 = Vector512.LoadUnsafe(ref _r0[0], at);
            var s1r = Vector512.LoadUnsafe(ref _r1[0], at);
            var s2 = Vector512.LoadUnsafe(ref _r2[0], at);
            var s3 = Vector512.LoadUnsafe(ref _r3[0], at);
            var spreadSum = Vector512.LoadUnsafe(ref SpreadSum[0], at);
            var spreadCount = Vector512.LoadUnsafe(ref SpreadCount[0], at);
            var edgeSum = Vector512.LoadUnsafe(ref Edge[0], at);
            var carrySum = Vector512.LoadUnsafe(ref Carry[0], at);
            // Filled quantity (both sides); a count once divided by the constant quote size.
            var filled = zero;
            var pnlSum = Vector512.LoadUnsafe(ref PnlMean[0], at);
            var pnlSquares = Vector512.LoadUnsafe(ref PnlM2[0], at);
            var down2 = Vector512.LoadUnsafe(ref Downside2[0], at);
            var peak = Vector512.LoadUnsafe(ref Peak[0], at);
            var maxDd = Vector512.LoadUnsafe(ref MaxDrawdown[0], at);
            var qSum = Vector512.LoadUnsafe(ref QMean[0], at);
            var qSquares = Vector512.LoadUnsafe(ref QM2[0], at);
            var maxAbsQ = Vector512.LoadUnsafe(ref MaxAbsQ[0], at);
            Vector512<double> adverse0 = zero, adverse1 = zero, adverse2 = zero, adverse3 = zero;
            if (horizonCount > 0) adverse0 = Vector512.LoadUnsafe(ref Adverse[0][0], at);
            if (horizonCount > 1) adverse1 = Vector512.LoadUnsafe(ref Adverse[1][0], at);
            if (horizonCount > 2) adverse2 = Vector512.LoadUnsafe(ref Adverse[2][0], at);
            if (horizonCount > 3) adverse3 = Vector512.LoadUnsafe(ref Adverse[3][0], at);
            for (var h = RegisterHorizons; h < horizonCount; h++) adverse[h - RegisterHorizons] = Vector512.LoadUnsafe(ref Adverse[h][0], at);
            Vector512<double> vbid = default, vask = default, bought = default, sold = default, x = default;
            for (var j = 0; j < count; j++)
            {
                var vs = Vector512.LoadUnsafe(ref mid0, (nuint)(j * lanes + l));
                var vs1 = Vector512.LoadUnsafe(ref mid0, (nuint)((j + 1) * lanes + l));
                var r = vs - q * Vector512.Create(Unsafe.Add(ref slopes, j));
                var vHalf = Vector512.Create(Unsafe.Add(ref halves, j));
                vbid = r - vHalf;
                vask = r + vHalf;
                var draw = VectorXoshiro.Next(ref s0, ref s1r, ref s2, ref s3);
                default(THits).Of(inputs, j, q, vs, vbid, vask, draw, out var bidHit, out var askHit);
                // A quote that could breach the inventory cap is not posted (without a cap both always are).
                Vector512<double> bidPosted = default, askPosted = default;
                if (capped)
                {
                    bidPosted = Vector512.LessThanOrEqual(q + size, cap);
                    askPosted = Vector512.GreaterThanOrEqual(q - size, negCap);
                    bidHit &= bidPosted;
                    askHit &= askPosted;
                }
                bought = size & bidHit;
                sold = size & askHit;
                if (tracing)
                {
                    var row = (nuint)(j * lanes + l);
                    q.StoreUnsafe(ref _traceQ[0], row);
                    cash.StoreUnsafe(ref _traceCash[0], row);
                    vbid.StoreUnsafe(ref _traceBid[0], row);
                    vask.StoreUnsafe(ref _traceAsk[0], row);
                    (capped ? size & bidPosted : size).StoreUnsafe(ref _traceBidSize[0], row);
                    (capped ? size & askPosted : size).StoreUnsafe(ref _traceAskSize[0], row);
                    bought.StoreUnsafe(ref _traceBought[0], row);
                    sold.StoreUnsafe(ref _traceSold[0], row);
                }
                // Prices are finite here and an unfilled side's size is zero, so no selects: the general kernel's
                // fused operations on the same values.
                cash = Vector512.FusedMultiplyAdd(sold, vask, Vector512.FusedMultiplyAdd(-bought, vbid, cash));
                var edge = Vector512.FusedMultiplyAdd(sold, vask - vs, bought * (vs - vbid));
                var qNew = q + bought - sold;
                var move = vs1 - vs;
                var carry = qNew * move;
                x = edge + carry;
                if (tracing) x.StoreUnsafe(ref _tracePnl[0], (nuint)(j * lanes + l));
                if (capped)
                {
                    var both = bidPosted & askPosted;
                    spreadSum += (vask - vbid) & both;
                    spreadCount += one & both;
                }
                else
                {
                    spreadSum += vask - vbid;
                }
                edgeSum += edge;
                carrySum += carry;
                filled += bought + sold;
                pnlSum += x;
                pnlSquares = Vector512.FusedMultiplyAdd(x, x, pnlSquares);
                var loss = Vector512.MinNative(x, zero);
                down2 = Vector512.FusedMultiplyAdd(loss, loss, down2);
                var mark = Vector512.FusedMultiplyAdd(qNew, vs1, cash);
                peak = Vector512.MaxNative(peak, mark);
                maxDd = Vector512.MaxNative(maxDd, peak - mark);
                qSum += qNew;
                qSquares = Vector512.FusedMultiplyAdd(qNew, qNew, qSquares);
                maxAbsQ = Vector512.MaxNative(maxAbsQ, Vector512.Abs(qNew));
                // Adverse selection of every fill at h steps: Σ_i ΔS_i·q_{i+1−h} here, less the carry Σ_i ΔS_i·q_{i+1} at the end.
                if (horizonCount > 0) adverse0 = Vector512.FusedMultiplyAdd(move, Lag(ref ringQ, ref rowOffsets, j + shift0, l), adverse0);
                if (horizonCount > 1) adverse1 = Vector512.FusedMultiplyAdd(move, Lag(ref ringQ, ref rowOffsets, j + shift1, l), adverse1);
                if (horizonCount > 2) adverse2 = Vector512.FusedMultiplyAdd(move, Lag(ref ringQ, ref rowOffsets, j + shift2, l), adverse2);
                if (horizonCount > 3) adverse3 = Vector512.FusedMultiplyAdd(move, Lag(ref ringQ, ref rowOffsets, j + shift3, l), adverse3);
                for (var h = RegisterHorizons; h < horizonCount; h++)
                {
                    adverse[h - RegisterHorizons] = Vector512.FusedMultiplyAdd(move, Lag(ref ringQ, ref rowOffsets, j + lagShifts[h], l), adverse[h - RegisterHorizons]);
                }
                qNew.StoreUnsafe(ref ringQ, (nuint)(Unsafe.Add(ref rowOffsets, j + ownShift) + l));
                q = qNew;
            }
            if (!capped) spreadCount += Vector512.Create((double)count);
            if (horizonCount > 0) adverse0.StoreUnsafe(ref Adverse[0][0], at);
            if (horizonCount > 1) adverse1.StoreUnsafe(ref Adverse[1][0], at);
            if (horizonCount > 2) adverse2.StoreUnsafe(ref Adverse[2][0], at);
            if (horizonCount > 3) adverse3.StoreUnsafe(ref Adverse[3][0], at);
            for (var h = RegisterHorizons; h < horizonCount; h++) adverse[h - RegisterHorizons].StoreUnsafe(ref Adverse[h][0], at);
            q.StoreUnsafe(ref Q[0], at);
            cash.StoreUnsafe(ref Cash[0], at);
            if (tracing)
            {
                q.StoreUnsafe(ref _traceQ[0], (nuint)(count * lanes + l));
                cash.StoreUnsafe(ref _traceCash[0], (nuint)(count * lanes + l));
            }
            s0.StoreUnsafe(ref _r0[0], at);
            s1r.StoreUnsafe(ref _r1[0], at);
            s2.StoreUnsafe(ref _r2[0], at);
            s3.StoreUnsafe(ref _r3[0], at);
            spreadSum.StoreUnsafe(ref SpreadSum[0], at);
            spreadCount.StoreUnsafe(ref SpreadCount[0], at);
            edgeSum.StoreUnsafe(ref Edge[0], at);
            carrySum.StoreUnsafe(ref Carry[0], at);
            (Vector512.LoadUnsafe(ref Fills[0], at) + Vector512.Round(filled / size)).StoreUnsafe(ref Fills[0], at);
            pnlSum.StoreUnsafe(ref PnlMean[0], at);
            pnlSquares.StoreUnsafe(ref PnlM2[0], at);
            down2.StoreUnsafe(ref Downside2[0], at);
            peak.StoreUnsafe(ref Peak[0], at);
            maxDd.StoreUnsafe(ref MaxDrawdown[0], at);
            qSum.StoreUnsafe(ref QMean[0], at);
            qSquares.StoreUnsafe(ref QM2[0], at);
            maxAbsQ.StoreUnsafe(ref MaxAbsQ[0], at);
            vbid.StoreUnsafe(ref Bid[0], at);
            vask.StoreUnsafe(ref Ask[0], at);
            bought.StoreUnsafe(ref BidFill[0], at);
            sold.StoreUnsafe(ref AskFill[0], at);
            x.StoreUnsafe(ref StepPnl[0], at);
        }
    }
}

/// <summary>What the affine kernel's hit models read: the side models, the fill model and the chunk's per-step factors (unchecked refs: j &lt; the chunk's steps).</summary>
internal readonly ref struct AffineRateInputs(SideModel bid, SideModel ask, double[] bidADt, double[] askADt, double[] bidC, double[] askC, double[] negKSlope,
    ulong[] bidThreshold, ulong[] askThreshold, ulong[] bidTable, ulong[] askTable, double quoteSize, ReadOnlySpan<double> dts, IFillModel fills)
{
    public readonly SideModel Bid = bid, Ask = ask;
    public readonly IFillModel Fills = fills;
    public readonly double QuoteSize = quoteSize;
    private readonly ref ulong _bidTable = ref MemoryMarshal.GetArrayDataReference(bidTable);
    private readonly ref ulong _askTable = ref MemoryMarshal.GetArrayDataReference(askTable);
    private readonly ref double _bidADt = ref MemoryMarshal.GetArrayDataReference(bidADt);
    private readonly ref double _askADt = ref MemoryMarshal.GetArrayDataReference(askADt);
    private readonly ref double _bidC = ref MemoryMarshal.GetArrayDataReference(bidC);
    private readonly ref double _askC = ref MemoryMarshal.GetArrayDataReference(askC);
    private readonly ref double _negKSlope = ref MemoryMarshal.GetArrayDataReference(negKSlope);
    private readonly ref ulong _bidThreshold = ref MemoryMarshal.GetArrayDataReference(bidThreshold);
    private readonly ref ulong _askThreshold = ref MemoryMarshal.GetArrayDataReference(askThreshold);
    private readonly ref double _dts = ref MemoryMarshal.GetReference(dts);

    public double BidADt(int j) => Unsafe.Add(ref _bidADt, j);
    public double AskADt(int j) => Unsafe.Add(ref _askADt, j);
    public double BidC(int j) => Unsafe.Add(ref _bidC, j);
    public double AskC(int j) => Unsafe.Add(ref _askC, j);
    public double NegKSlope(int j) => Unsafe.Add(ref _negKSlope, j);
    public ulong BidThreshold(int j) => Unsafe.Add(ref _bidThreshold, j);
    public ulong AskThreshold(int j) => Unsafe.Add(ref _askThreshold, j);
    public ref double BidCRef(int j) => ref Unsafe.Add(ref _bidC, j);
    public ref double AskCRef(int j) => ref Unsafe.Add(ref _askC, j);
    public ref double NegKSlopeRef(int j) => ref Unsafe.Add(ref _negKSlope, j);
    public ref ulong BidThresholdRef(int j) => ref Unsafe.Add(ref _bidThreshold, j);
    public ref ulong AskThresholdRef(int j) => ref Unsafe.Add(ref _askThreshold, j);
    public double Dt(int j) => Unsafe.Add(ref _dts, j);
    public ref ulong BidTable(int j) => ref Unsafe.Add(ref _bidTable, j * LaneBook.TableSize);
    public ref ulong AskTable(int j) => ref Unsafe.Add(ref _askTable, j * LaneBook.TableSize);
}

/// <summary>
/// Which of eight lanes' quotes fill at step j of a chunk, from the step's fill-stream draw (high word: the bid's
/// uniform, low word: the ask's; see <see cref="VectorXoshiro.UniformPair"/>). A struct per model so the kernel inlines its own.
/// </summary>
internal interface IAffineHits
{
    void Of(in AffineRateInputs inputs, int j, Vector512<double> q, Vector512<double> mid, Vector512<double> bid, Vector512<double> ask, Vector512<ulong> draw,
        out Vector512<double> bidHit, out Vector512<double> askHit);
}

/// <summary>Quotes that do not lean on inventory, exponential intensities: the step's probabilities are the same on every lane, as 32-bit thresholds.</summary>
internal readonly struct FlatHits : IAffineHits
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Of(in AffineRateInputs inputs, int j, Vector512<double> q, Vector512<double> mid, Vector512<double> bid, Vector512<double> ask, Vector512<ulong> draw,
        out Vector512<double> bidHit, out Vector512<double> askHit)
    {
        bidHit = Vector512.LessThan(draw >>> 32, Vector512.Create(inputs.BidThreshold(j))).AsDouble();
        askHit = Vector512.LessThan(draw & Vector512.Create(0xFFFFFFFFUL), Vector512.Create(inputs.AskThreshold(j))).AsDouble();
    }
}

/// <summary>
/// Exponential intensities with one k and quotes leaning on inventory, with AVX-512: each lane's thresholds looked up
/// by m = q/v in the step's table (<see cref="LaneBook.TableSize"/> inventories); a group with a lane beyond the table
/// takes <see cref="SharedExponentialRates"/> for that step. The same decisions either way (the table holds the same
/// probabilities, as thresholds).
/// </summary>
internal readonly struct TableHits<TFill> : IAffineHits
    where TFill : struct, IProbability
{
    /// <summary>1.5·2⁵² + 8: adding it to q/v leaves m + 8 in the low mantissa bits, the permutation's index.</summary>
    private const double IndexShifter = 6755399441055752.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Of(in AffineRateInputs inputs, int j, Vector512<double> q, Vector512<double> mid, Vector512<double> bid, Vector512<double> ask, Vector512<ulong> draw,
        out Vector512<double> bidHit, out Vector512<double> askHit)
    {
        var size = inputs.QuoteSize;
        if (!Vector512.LessThanOrEqualAll(Vector512.Abs(q), Vector512.Create(7.5 * size)))
        {
            default(RateHits<SharedExponentialRates, TFill>).Of(inputs, j, q, mid, bid, ask, draw, out bidHit, out askHit);
            return;
        }
        var index = Vector512.FusedMultiplyAdd(q, Vector512.Create(1.0 / size), Vector512.Create(IndexShifter)).AsUInt64();
        ref var bidTable = ref inputs.BidTable(j);
        ref var askTable = ref inputs.AskTable(j);
        var bidThreshold = Avx512F.PermuteVar8x64x2(Vector512.LoadUnsafe(ref bidTable), index, Vector512.LoadUnsafe(ref bidTable, 8));
        var askThreshold = Avx512F.PermuteVar8x64x2(Vector512.LoadUnsafe(ref askTable), index, Vector512.LoadUnsafe(ref askTable, 8));
        bidHit = Vector512.LessThan(draw >>> 32, bidThreshold).AsDouble();
        askHit = Vector512.LessThan(draw & Vector512.Create(0xFFFFFFFFUL), askThreshold).AsDouble();
    }
}

/// <summary>Rates per lane from <typeparamref name="TRates"/>, probabilities from <typeparamref name="TFill"/>, compared with the draw's two uniforms.</summary>
internal readonly struct RateHits<TRates, TFill> : IAffineHits
    where TRates : struct, IAffineRates
    where TFill : struct, IProbability
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Of(in AffineRateInputs inputs, int j, Vector512<double> q, Vector512<double> mid, Vector512<double> bid, Vector512<double> ask, Vector512<ulong> draw,
        out Vector512<double> bidHit, out Vector512<double> askHit)
    {
        default(TRates).Of(inputs, j, q, mid, bid, ask, out var bidRate, out var askRate);
        VectorXoshiro.UniformPair(draw, out var uBid, out var uAsk);
        bidHit = Vector512.LessThan(uBid, default(TFill).Of(bidRate, inputs.Fills));
        askHit = Vector512.LessThan(uAsk, default(TFill).Of(askRate, inputs.Fills));
    }
}

/// <summary>λΔt of both quotes at step j of a chunk, for eight lanes of an affine strategy.</summary>
internal interface IAffineRates
{
    void Of(in AffineRateInputs inputs, int j, Vector512<double> q, Vector512<double> mid, Vector512<double> bid, Vector512<double> ask,
        out Vector512<double> bidRate, out Vector512<double> askRate);
}

/// <summary>Exponential intensities with one k: δ^b = half + slope·q, δ^a = half − slope·q, so λ^b = c^b·E and λ^a = c^a/E with E = e^{−k·slope·q}, both from one reduction.</summary>
internal readonly struct SharedExponentialRates : IAffineRates
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Of(in AffineRateInputs inputs, int j, Vector512<double> q, Vector512<double> mid, Vector512<double> bid, Vector512<double> ask,
        out Vector512<double> bidRate, out Vector512<double> askRate)
    {
        VectorExp.ExpPair(q * Vector512.Create(inputs.NegKSlope(j)), out var e, out var inverse);
        bidRate = Vector512.Create(inputs.BidC(j)) * e;
        askRate = Vector512.Create(inputs.AskC(j)) * inverse;
    }
}

/// <summary>Any other intensities: each side's rate from its quote's distance to the mid.</summary>
internal readonly struct QuoteRates<TBid, TAsk> : IAffineRates
    where TBid : struct, IRate
    where TAsk : struct, IRate
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Of(in AffineRateInputs inputs, int j, Vector512<double> q, Vector512<double> mid, Vector512<double> bid, Vector512<double> ask,
        out Vector512<double> bidRate, out Vector512<double> askRate)
    {
        var b = inputs.Bid;
        var a = inputs.Ask;
        var dt = inputs.Dt(j);
        bidRate = default(TBid).Of(mid - bid, Vector512.Create(inputs.BidADt(j)), Vector512.Create(b.K), Vector512.Create(b.Delta0), b, dt);
        askRate = default(TAsk).Of(ask - mid, Vector512.Create(inputs.AskADt(j)), Vector512.Create(a.K), Vector512.Create(a.Delta0), a, dt);
    }
}

/// <summary>Whether the run has an inventory cap: a constant per kernel instantiation, so the uncapped kernel carries no cap masks.</summary>
internal interface ICap
{
    bool Capped { get; }
}

internal readonly struct WithCap : ICap
{
    public bool Capped => true;
}

internal readonly struct WithoutCap : ICap
{
    public bool Capped => false;
}
