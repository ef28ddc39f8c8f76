using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    private readonly double[] _slope = new double[RunPlan.ChunkSteps];
    private readonly double[] _half = new double[RunPlan.ChunkSteps];
    private readonly double[] _invCount = new double[RunPlan.ChunkSteps];
    private readonly double[] _bidADt = new double[RunPlan.ChunkSteps];
    private readonly double[] _askADt = new double[RunPlan.ChunkSteps];
    private readonly double[] _bidC = new double[RunPlan.ChunkSteps];
    private readonly double[] _askC = new double[RunPlan.ChunkSteps];
    private readonly double[] _negKSlope = new double[RunPlan.ChunkSteps];

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
        if (_fromOffset.Length == 0) _fromOffset = new int[_plan.Horizons.Length * RunPlan.ChunkSteps];
        var quoter = (IAffineQuoter)_quoter;
        var bid = _plan.Bid;
        var ask = _plan.Ask;
        var flat = true;
        for (var j = 0; j < count; j++)
        {
            var time = j == 0 ? time0 : times[j - 1];
            quoter.Coefficients(start + j, time, _plan.Horizon - time, dts[j], out _slope[j], out _half[j]);
            _invCount[j] = 1.0 / (start + j + 1);
            _bidADt[j] = bid.A * dts[j];
            _askADt[j] = ask.A * dts[j];
            flat &= _slope[j] == 0;
        }
        if (bid.Kind == IntensityKind.Exponential && ask.Kind == IntensityKind.Exponential && (flat || bid.K == ask.K))
        {
            // λ(δ)Δt = AΔt·e^{−k·half}·e^{∓k·slope·q}: the step's factor once per chunk, one exponential per lane for
            // both sides (none when the quotes do not lean on inventory, as the symmetric strategy's).
            for (var j = 0; j < count; j++)
            {
                _bidC[j] = _bidADt[j] * VectorExp.Exp(Vector512.Create(-bid.K * _half[j])).ToScalar();
                _askC[j] = _askADt[j] * VectorExp.Exp(Vector512.Create(-ask.K * _half[j])).ToScalar();
                _negKSlope[j] = -bid.K * _slope[j];
            }
            if (flat) AffineFill<FlatRates>(start, count, dts, mids);
            else AffineFill<SharedExponentialRates>(start, count, dts, mids);
            return;
        }
        switch (bid.Kind)
        {
            case IntensityKind.Exponential: AffineAsk<ExponentialRate>(start, count, dts, mids); break;
            case IntensityKind.Power: AffineAsk<PowerRate>(start, count, dts, mids); break;
            default: AffineAsk<AnyRate>(start, count, dts, mids); break;
        }
    }

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
            case FillKind.Linear: AffineKernel<TRates, LinearProbability>(start, count, dts, mids); break;
            case FillKind.Poisson: AffineKernel<TRates, PoissonProbability>(start, count, dts, mids); break;
            default: AffineKernel<TRates, AnyProbability>(start, count, dts, mids); break;
        }
    }

    private bool _tracing;
    private readonly int[] _ringOffset = new int[RunPlan.ChunkSteps];
    private int[] _fromOffset = [];

    /// <summary>Replay of a traced chunk: the books before step <paramref name="j"/> (inventory and cash), for the recorders of that state.</summary>
    public void ReplayBefore(int j)
    {
        var row = j * _lanes;
        for (var l = 0; l < _lanes; l++)
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
        var n = _lanes;
        var row = j * n;
        var tracked = _trackedLanes;
        for (var l = 0; !full && l < tracked; l++) full = _traceBought[row + l] != 0 || _traceSold[row + l] != 0;
        if (full)
        {
            CopyStep(j);
            if (tracked > 0) RecordFills(i, time, mid, nextMid);
            return;
        }
        for (var l = 0; l < n; l++) StepPnl[l] = _tracePnl[row + l];
        if (tracked > 0) ResolveMarkouts(i + 1, nextMid);
    }

    /// <summary>After the traced chunk's last step <paramref name="last"/>: the books hold the kernel's final state.</summary>
    public void EndReplay(int last) => CopyStep(last);

    private void CopyStep(int j)
    {
        var n = _lanes;
        var row = j * n;
        // Element by element: a single path's batch has four lanes, where nine span copies would cost more than the step.
        for (var l = 0; l < n; l++)
        {
            Q[l] = _traceQ[row + n + l];
            Cash[l] = _traceCash[row + n + l];
            Bid[l] = _traceBid[row + l];
            Ask[l] = _traceAsk[row + l];
            BidSize[l] = _traceBidSize[row + l];
            AskSize[l] = _traceAskSize[row + l];
            BidFill[l] = _traceBought[row + l];
            AskFill[l] = _traceSold[row + l];
            StepPnl[l] = _tracePnl[row + l];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AffineKernel<TRates, TFill>(int start, int count, ReadOnlySpan<double> dts, ReadOnlySpan<double> mids)
        where TRates : struct, IAffineRates
        where TFill : struct, IProbability
    {
        var lanes = _lanes;
        var horizons = _plan.Horizons;
        var horizonCount = horizons.Length;
        var ring = _plan.Ring;
        var fillModel = _plan.Spec.Fills;
        var zero = Vector512<double>.Zero;
        var one = Vector512.Create(1.0);
        var cap = Vector512.Create(_cap);
        var negCap = Vector512.Create(-_cap);
        var size = Vector512.Create(_quoteSize);
        var rates = new AffineRateInputs(_plan.Bid, _plan.Ask, _bidADt, _askADt, _bidC, _askC, _negKSlope, dts);
        ref var slopes = ref MemoryMarshal.GetArrayDataReference(_slope);
        ref var halves = ref MemoryMarshal.GetArrayDataReference(_half);
        ref var invCounts = ref MemoryMarshal.GetArrayDataReference(_invCount);
        ref var mid0 = ref MemoryMarshal.GetReference(mids);
        var tracing = _tracing;
        // Ring rows of each step and of each horizon's lagged inventory q_{i+1−h}, once per chunk rather than per
        // group and step; rows before the first step hold q_0 = 0.
        for (var j = 0; j < count; j++)
        {
            var i = start + j;
            _ringOffset[j] = i % ring * lanes;
            for (var h = 0; h < horizonCount; h++)
            {
                var lagRow = i - horizons[h];
                _fromOffset[j * horizonCount + h] = (lagRow < 0 ? lagRow % ring + ring : lagRow % ring) * lanes;
            }
        }
        ref var ringOffsets = ref MemoryMarshal.GetArrayDataReference(_ringOffset);
        ref var lagOffsets = ref MemoryMarshal.GetArrayDataReference(_fromOffset);
        ref var ringQ = ref MemoryMarshal.GetArrayDataReference(_ringQ);
        Span<Vector512<double>> adverse = stackalloc Vector512<double>[horizonCount];
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
            var fills = Vector512.LoadUnsafe(ref Fills[0], at);
            var mean = Vector512.LoadUnsafe(ref PnlMean[0], at);
            var m2 = Vector512.LoadUnsafe(ref PnlM2[0], at);
            var down2 = Vector512.LoadUnsafe(ref Downside2[0], at);
            var peak = Vector512.LoadUnsafe(ref Peak[0], at);
            var maxDd = Vector512.LoadUnsafe(ref MaxDrawdown[0], at);
            var qMean = Vector512.LoadUnsafe(ref QMean[0], at);
            var qM2 = Vector512.LoadUnsafe(ref QM2[0], at);
            var maxAbsQ = Vector512.LoadUnsafe(ref MaxAbsQ[0], at);
            for (var h = 0; h < horizonCount; h++) adverse[h] = Vector512.LoadUnsafe(ref Adverse[h][0], at);
            Vector512<double> vbid = default, vask = default, bought = default, sold = default, x = default;
            for (var j = 0; j < count; j++)
            {
                var vs = Vector512.LoadUnsafe(ref mid0, (nuint)(j * lanes + l));
                var vs1 = Vector512.LoadUnsafe(ref mid0, (nuint)((j + 1) * lanes + l));
                var r = vs - q * Vector512.Create(Unsafe.Add(ref slopes, j));
                var vHalf = Vector512.Create(Unsafe.Add(ref halves, j));
                vbid = r - vHalf;
                vask = r + vHalf;
                var bidPosted = Vector512.LessThanOrEqual(q + size, cap);
                var askPosted = Vector512.GreaterThanOrEqual(q - size, negCap);
                VectorXoshiro.UniformPair(VectorXoshiro.Next(ref s0, ref s1r, ref s2, ref s3), out var uBid, out var uAsk);
                default(TRates).Of(rates, j, q, vs, vbid, vask, out var bidRate, out var askRate);
                var pBid = default(TFill).Of(bidRate, fillModel);
                var pAsk = default(TFill).Of(askRate, fillModel);
                var bidHit = bidPosted & Vector512.LessThan(uBid, pBid);
                var askHit = askPosted & Vector512.LessThan(uAsk, pAsk);
                bought = Vector512.ConditionalSelect(bidHit, size, zero);
                sold = Vector512.ConditionalSelect(askHit, size, zero);
                if (tracing)
                {
                    var row = (nuint)(j * lanes + l);
                    q.StoreUnsafe(ref _traceQ[0], row);
                    cash.StoreUnsafe(ref _traceCash[0], row);
                    vbid.StoreUnsafe(ref _traceBid[0], row);
                    vask.StoreUnsafe(ref _traceAsk[0], row);
                    Vector512.ConditionalSelect(bidPosted, size, zero).StoreUnsafe(ref _traceBidSize[0], row);
                    Vector512.ConditionalSelect(askPosted, size, zero).StoreUnsafe(ref _traceAskSize[0], row);
                    bought.StoreUnsafe(ref _traceBought[0], row);
                    sold.StoreUnsafe(ref _traceSold[0], row);
                }
                cash = cash - Vector512.ConditionalSelect(bidHit, bought * vbid, zero) + Vector512.ConditionalSelect(askHit, sold * vask, zero);
                var edge = Vector512.ConditionalSelect(bidHit, bought * (vs - vbid), zero) + Vector512.ConditionalSelect(askHit, sold * (vask - vs), zero);
                var qNew = q + bought - sold;
                var move = vs1 - vs;
                var carry = qNew * move;
                x = edge + carry;
                if (tracing) x.StoreUnsafe(ref _tracePnl[0], (nuint)(j * lanes + l));
                var both = bidPosted & askPosted;
                spreadSum += Vector512.ConditionalSelect(both, vask - vbid, zero);
                spreadCount += Vector512.ConditionalSelect(both, one, zero);
                edgeSum += edge;
                carrySum += carry;
                fills = fills + Vector512.ConditionalSelect(bidHit, one, zero) + Vector512.ConditionalSelect(askHit, one, zero);
                var invCount = Vector512.Create(Unsafe.Add(ref invCounts, j));
                var d = x - mean;
                mean += d * invCount;
                m2 += d * (x - mean);
                var loss = Vector512.MinNative(x, zero);
                down2 += loss * loss;
                var mark = cash + qNew * vs1;
                peak = Vector512.MaxNative(peak, mark);
                maxDd = Vector512.MaxNative(maxDd, peak - mark);
                var dq = qNew - qMean;
                qMean += dq * invCount;
                qM2 += dq * (qNew - qMean);
                maxAbsQ = Vector512.MaxNative(maxAbsQ, Vector512.Abs(qNew));
                // Adverse selection of every fill at h steps, one term per step: −ΔS_i·(q_{i+1} − q_{i+1−h}).
                ref var lagRow = ref Unsafe.Add(ref lagOffsets, j * horizonCount);
                for (var h = 0; h < adverse.Length; h++)
                {
                    var lag = Vector512.LoadUnsafe(ref ringQ, (nuint)(Unsafe.Add(ref lagRow, h) + l));
                    adverse[h] = Vector512.FusedMultiplyAdd(move, lag - qNew, adverse[h]);
                }
                qNew.StoreUnsafe(ref ringQ, (nuint)(Unsafe.Add(ref ringOffsets, j) + l));
                q = qNew;
            }
            for (var h = 0; h < horizonCount; h++) adverse[h].StoreUnsafe(ref Adverse[h][0], at);
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
            fills.StoreUnsafe(ref Fills[0], at);
            mean.StoreUnsafe(ref PnlMean[0], at);
            m2.StoreUnsafe(ref PnlM2[0], at);
            down2.StoreUnsafe(ref Downside2[0], at);
            peak.StoreUnsafe(ref Peak[0], at);
            maxDd.StoreUnsafe(ref MaxDrawdown[0], at);
            qMean.StoreUnsafe(ref QMean[0], at);
            qM2.StoreUnsafe(ref QM2[0], at);
            maxAbsQ.StoreUnsafe(ref MaxAbsQ[0], at);
            vbid.StoreUnsafe(ref Bid[0], at);
            vask.StoreUnsafe(ref Ask[0], at);
            bought.StoreUnsafe(ref BidFill[0], at);
            sold.StoreUnsafe(ref AskFill[0], at);
            x.StoreUnsafe(ref StepPnl[0], at);
        }
    }
}

/// <summary>What the affine kernel's rate models read: the side models and the chunk's per-step factors (unchecked refs: j &lt; the chunk's steps).</summary>
internal readonly ref struct AffineRateInputs(SideModel bid, SideModel ask, double[] bidADt, double[] askADt, double[] bidC, double[] askC, double[] negKSlope,
    ReadOnlySpan<double> dts)
{
    public readonly SideModel Bid = bid, Ask = ask;
    private readonly ref double _bidADt = ref MemoryMarshal.GetArrayDataReference(bidADt);
    private readonly ref double _askADt = ref MemoryMarshal.GetArrayDataReference(askADt);
    private readonly ref double _bidC = ref MemoryMarshal.GetArrayDataReference(bidC);
    private readonly ref double _askC = ref MemoryMarshal.GetArrayDataReference(askC);
    private readonly ref double _negKSlope = ref MemoryMarshal.GetArrayDataReference(negKSlope);
    private readonly ref double _dts = ref MemoryMarshal.GetReference(dts);

    public double BidADt(int j) => Unsafe.Add(ref _bidADt, j);
    public double AskADt(int j) => Unsafe.Add(ref _askADt, j);
    public double BidC(int j) => Unsafe.Add(ref _bidC, j);
    public double AskC(int j) => Unsafe.Add(ref _askC, j);
    public double NegKSlope(int j) => Unsafe.Add(ref _negKSlope, j);
    public double Dt(int j) => Unsafe.Add(ref _dts, j);
}

/// <summary>λΔt of both quotes at step j of a chunk, for eight lanes of an affine strategy; a struct per model so the kernel inlines its own.</summary>
internal interface IAffineRates
{
    void Of(in AffineRateInputs inputs, int j, Vector512<double> q, Vector512<double> mid, Vector512<double> bid, Vector512<double> ask,
        out Vector512<double> bidRate, out Vector512<double> askRate);
}

/// <summary>Exponential intensities, quotes that do not lean on inventory: both rates are the step's constants.</summary>
internal readonly struct FlatRates : IAffineRates
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Of(in AffineRateInputs inputs, int j, Vector512<double> q, Vector512<double> mid, Vector512<double> bid, Vector512<double> ask,
        out Vector512<double> bidRate, out Vector512<double> askRate)
    {
        bidRate = Vector512.Create(inputs.BidC(j));
        askRate = Vector512.Create(inputs.AskC(j));
    }
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
