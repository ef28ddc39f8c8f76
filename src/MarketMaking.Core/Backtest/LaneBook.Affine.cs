using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MarketMaking.Core.Quoting;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Backtest;

/// <summary>
/// The time-inner kernel for <see cref="IAffineQuoter"/> strategies on batches that record nothing step by step:
/// each group of four paths runs a whole chunk of steps with its books and statistics in registers. It repeats the
/// general kernel's arithmetic operation for operation, so either path gives the same bits.
/// </summary>
internal sealed partial class LaneBook
{
    private readonly double[] _slope = new double[RunPlan.ChunkSteps];
    private readonly double[] _half = new double[RunPlan.ChunkSteps];
    private readonly double[] _invCount = new double[RunPlan.ChunkSteps];
    private readonly double[] _bidADt = new double[RunPlan.ChunkSteps];
    private readonly double[] _askADt = new double[RunPlan.ChunkSteps];

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
        for (var j = 0; j < count; j++)
        {
            var time = j == 0 ? time0 : times[j - 1];
            quoter.Coefficients(start + j, time, _plan.Horizon - time, dts[j], out _slope[j], out _half[j]);
            _invCount[j] = 1.0 / (start + j + 1);
            _bidADt[j] = _plan.Bid.A * dts[j];
            _askADt[j] = _plan.Ask.A * dts[j];
        }
        switch (_plan.Bid.Kind)
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
            case IntensityKind.Exponential: AffineFill<TBid, ExponentialRate>(start, count, dts, mids); break;
            case IntensityKind.Power: AffineFill<TBid, PowerRate>(start, count, dts, mids); break;
            default: AffineFill<TBid, AnyRate>(start, count, dts, mids); break;
        }
    }

    private void AffineFill<TBid, TAsk>(int start, int count, ReadOnlySpan<double> dts, ReadOnlySpan<double> mids)
        where TBid : struct, IRate
        where TAsk : struct, IRate
    {
        switch (_plan.FillKind)
        {
            case FillKind.Linear: AffineKernel<TBid, TAsk, LinearProbability>(start, count, dts, mids); break;
            case FillKind.Poisson: AffineKernel<TBid, TAsk, PoissonProbability>(start, count, dts, mids); break;
            default: AffineKernel<TBid, TAsk, AnyProbability>(start, count, dts, mids); break;
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
            // A single path: one lane to look at, every lanes-th value of the trace.
            var bought = _traceBought;
            var sold = _traceSold;
            for (var row = j * _lanes; j < limit; j++, row += _lanes)
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
        var row = j * _lanes;
        for (var l = 0; l < _trackedLanes; l++)
        {
            if (_traceBought[row + l] != 0 || _traceSold[row + l] != 0) return true;
        }
        return false;
    }

    /// <summary>The one-step P&amp;L of every lane at traced step <paramref name="j"/>.</summary>
    public ReadOnlySpan<double> TracedPnl(int j) => _tracePnl.AsSpan(j * _lanes, _lanes);

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
    private void AffineKernel<TBid, TAsk, TFill>(int start, int count, ReadOnlySpan<double> dts, ReadOnlySpan<double> mids)
        where TBid : struct, IRate
        where TAsk : struct, IRate
        where TFill : struct, IProbability
    {
        var lanes = _lanes;
        var horizons = _plan.Horizons;
        var ring = _plan.Ring;
        var fillModel = _plan.Spec.Fills;
        var zero = Vector256<double>.Zero;
        var one = Vector256.Create(1.0);
        var cap = Vector256.Create(_cap);
        var negCap = Vector256.Create(-_cap);
        var size = Vector256.Create(_quoteSize);
        var bidModel = _plan.Bid;
        var askModel = _plan.Ask;
        var bidK = Vector256.Create(bidModel.K);
        var bidD0 = Vector256.Create(bidModel.Delta0);
        var askK = Vector256.Create(askModel.K);
        var askD0 = Vector256.Create(askModel.Delta0);
        var slopes = _slope;
        var halves = _half;
        var invCounts = _invCount;
        var bidADts = _bidADt;
        var askADts = _askADt;
        ref var mid0 = ref MemoryMarshal.GetReference(mids);
        var tracing = _tracing;
        // Ring rows of each step and of each horizon's earlier step, once per chunk rather than per group and step.
        var ringOffsets = _ringOffset;
        var fromOffsets = _fromOffset;
        var ringRow = start % ring;
        for (var j = 0; j < count; j++, ringRow = ringRow + 1 == ring ? 0 : ringRow + 1)
        {
            ringOffsets[j] = ringRow * lanes;
            for (var h = 0; h < horizons.Length; h++)
            {
                // Horizons are below the ring's length, so one wrap suffices.
                var fromRow = ringRow + 1 - horizons[h];
                if (fromRow < 0) fromRow += ring;
                fromOffsets[h * RunPlan.ChunkSteps + j] = start + j + 1 - horizons[h] < 0 ? -1 : fromRow * lanes;
            }
        }
        for (var l = 0; l < lanes; l += Vector256<double>.Count)
        {
            var at = (nuint)l;
            var q = Vector256.LoadUnsafe(ref Q[0], at);
            var cash = Vector256.LoadUnsafe(ref Cash[0], at);
            var s0 = Vector256.LoadUnsafe(ref _r0[0], at);
            var s1r = Vector256.LoadUnsafe(ref _r1[0], at);
            var s2 = Vector256.LoadUnsafe(ref _r2[0], at);
            var s3 = Vector256.LoadUnsafe(ref _r3[0], at);
            var spreadSum = Vector256.LoadUnsafe(ref SpreadSum[0], at);
            var spreadCount = Vector256.LoadUnsafe(ref SpreadCount[0], at);
            var edgeSum = Vector256.LoadUnsafe(ref Edge[0], at);
            var carrySum = Vector256.LoadUnsafe(ref Carry[0], at);
            var fills = Vector256.LoadUnsafe(ref Fills[0], at);
            var mean = Vector256.LoadUnsafe(ref PnlMean[0], at);
            var m2 = Vector256.LoadUnsafe(ref PnlM2[0], at);
            var down2 = Vector256.LoadUnsafe(ref Downside2[0], at);
            var peak = Vector256.LoadUnsafe(ref Peak[0], at);
            var maxDd = Vector256.LoadUnsafe(ref MaxDrawdown[0], at);
            var qMean = Vector256.LoadUnsafe(ref QMean[0], at);
            var qM2 = Vector256.LoadUnsafe(ref QM2[0], at);
            var maxAbsQ = Vector256.LoadUnsafe(ref MaxAbsQ[0], at);
            Vector256<double> vbid = default, vask = default, bought = default, sold = default, x = default;
            for (var j = 0; j < count; j++)
            {
                var i = start + j;
                var vs = Vector256.LoadUnsafe(ref mid0, (nuint)(j * lanes + l));
                var vs1 = Vector256.LoadUnsafe(ref mid0, (nuint)((j + 1) * lanes + l));
                var r = vs - q * Vector256.Create(slopes[j]);
                var vHalf = Vector256.Create(halves[j]);
                vbid = r - vHalf;
                vask = r + vHalf;
                var bidPosted = Vector256.LessThanOrEqual(q + size, cap);
                var askPosted = Vector256.GreaterThanOrEqual(q - size, negCap);
                var uBid = VectorXoshiro.Uniform(VectorXoshiro.Next(ref s0, ref s1r, ref s2, ref s3));
                var uAsk = VectorXoshiro.Uniform(VectorXoshiro.Next(ref s0, ref s1r, ref s2, ref s3));
                var dt = dts[j];
                var pBid = default(TFill).Of(default(TBid).Of(vs - vbid, Vector256.Create(bidADts[j]), bidK, bidD0, bidModel, dt), fillModel);
                var pAsk = default(TFill).Of(default(TAsk).Of(vask - vs, Vector256.Create(askADts[j]), askK, askD0, askModel, dt), fillModel);
                var bidHit = bidPosted & Vector256.LessThan(uBid, pBid);
                var askHit = askPosted & Vector256.LessThan(uAsk, pAsk);
                bought = Vector256.ConditionalSelect(bidHit, size, zero);
                sold = Vector256.ConditionalSelect(askHit, size, zero);
                if (tracing)
                {
                    var row = (nuint)(j * lanes + l);
                    q.StoreUnsafe(ref _traceQ[0], row);
                    cash.StoreUnsafe(ref _traceCash[0], row);
                    vbid.StoreUnsafe(ref _traceBid[0], row);
                    vask.StoreUnsafe(ref _traceAsk[0], row);
                    Vector256.ConditionalSelect(bidPosted, size, zero).StoreUnsafe(ref _traceBidSize[0], row);
                    Vector256.ConditionalSelect(askPosted, size, zero).StoreUnsafe(ref _traceAskSize[0], row);
                    bought.StoreUnsafe(ref _traceBought[0], row);
                    sold.StoreUnsafe(ref _traceSold[0], row);
                }
                cash = cash - Vector256.ConditionalSelect(bidHit, bought * vbid, zero) + Vector256.ConditionalSelect(askHit, sold * vask, zero);
                var edge = Vector256.ConditionalSelect(bidHit, bought * (vs - vbid), zero) + Vector256.ConditionalSelect(askHit, sold * (vask - vs), zero);
                var qNew = q + bought - sold;
                var carry = qNew * (vs1 - vs);
                x = edge + carry;
                if (tracing) x.StoreUnsafe(ref _tracePnl[0], (nuint)(j * lanes + l));
                var both = bidPosted & askPosted;
                spreadSum += Vector256.ConditionalSelect(both, vask - vbid, zero);
                spreadCount += Vector256.ConditionalSelect(both, one, zero);
                edgeSum += edge;
                carrySum += carry;
                fills = fills + Vector256.ConditionalSelect(bidHit, one, zero) + Vector256.ConditionalSelect(askHit, one, zero);
                var invCount = Vector256.Create(invCounts[j]);
                var d = x - mean;
                mean += d * invCount;
                m2 += d * (x - mean);
                var loss = Vector256.MinNative(x, zero);
                down2 += loss * loss;
                var mark = cash + qNew * vs1;
                peak = Vector256.MaxNative(peak, mark);
                maxDd = Vector256.MaxNative(maxDd, peak - mark);
                var dq = qNew - qMean;
                qMean += dq * invCount;
                qM2 += dq * (qNew - qMean);
                maxAbsQ = Vector256.MaxNative(maxAbsQ, Vector256.Abs(qNew));
                q = qNew;
                var slot = (nuint)(ringOffsets[j] + l);
                vs.StoreUnsafe(ref _ringMid[0], slot);
                (bought - sold).StoreUnsafe(ref _ringSigned[0], slot);
                for (var h = 0; h < horizons.Length; h++)
                {
                    var fromOffset = fromOffsets[h * RunPlan.ChunkSteps + j];
                    if (fromOffset < 0) continue;
                    var then = (nuint)(fromOffset + l);
                    ref var adverse = ref Adverse[h][0];
                    var cost = Vector256.LoadUnsafe(ref _ringSigned[0], then) * (vs1 - Vector256.LoadUnsafe(ref _ringMid[0], then));
                    (Vector256.LoadUnsafe(ref adverse, at) - cost).StoreUnsafe(ref adverse, at);
                }
            }
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
