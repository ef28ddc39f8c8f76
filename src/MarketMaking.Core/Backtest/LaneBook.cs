using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Backtest;

/// <summary>
/// One strategy's books for one batch of paths, structure-of-arrays, and the per-step kernel: quotes, fills,
/// cash and inventory, and every running statistic. The vector pass is allocation-free and branch-free per lane.
/// </summary>
internal sealed partial class LaneBook
{
    private readonly RunPlan _plan;
    private readonly IQuotingStrategy _strategy;
    private IQuoter _quoter = null!;
    private int _lanes;
    private long _firstPath;
    private readonly double _quoteSize;
    private readonly double _cap;

    // Book.
    public readonly double[] Q, Cash, Bid, Ask, BidSize, AskSize, BidFill, AskFill, StepPnl;

    // Fill random streams, one xoshiro256** state per lane, split by word for the vector generator.
    private readonly ulong[] _r0, _r1, _r2, _r3;

    // Running statistics. During a batch PnlMean, PnlM2, QMean and QM2 hold the sums Σx, Σx², Σq, Σq² (one add or
    // fused multiply-add per step); FinishMarkouts turns them into means and second moments about the mean.
    public readonly double[] SpreadSum, SpreadCount, Edge, Carry, Fills, PnlMean, PnlM2, Downside2, Peak, MaxDrawdown, QMean, QM2, MaxAbsQ;
    public readonly double[][] Adverse;
    // Inventory after each of the last Ring steps, for adverse selection: Σ_j n_j·(S_{j+h} − S_j) = Σ_u ΔS_u·(q_{u+1} − q_{u+1−h}).
    private readonly double[] _ringQ;

    // Hedge instrument: position, cash, this step's order, and this step's P&L and mark terms folded into the kernel's.
    public readonly double[] HedgePosition, HedgeCash, HedgeTrade, HedgeStep, HedgeMark, HedgePnl;

    // Recorded fills of the tracked lanes (path 0, the distribution paths, or all with --all-fills), in step order.
    public readonly GrowableBuffer<FillRow> FillRows = new();
    public readonly GrowableBuffer<double> Markouts = new();

    private const int MaxReservedFillRows = 1 << 17;
    private readonly int[] _fillCount;
    private readonly int[] _pending;

    // The first step whose mid resolves a pending markout (int.MaxValue with none pending): the replay skips steps before it.
    private int _markoutDue = int.MaxValue;
    private int _trackedLanes;
    public bool Truncated;

    /// <summary>Books for up to <see cref="RunPlan.BatchLanes"/> lanes, reused batch after batch by one worker.</summary>
    public LaneBook(RunPlan plan, IQuotingStrategy strategy)
    {
        _plan = plan;
        _strategy = strategy;
        var spec = plan.Spec;
        _quoteSize = spec.QuoteSize;
        _cap = spec.MaxInventory ?? double.PositiveInfinity;
        const int lanes = RunPlan.BatchLanes;
        double[] New() => new double[lanes];
        Q = New(); Cash = New(); Bid = New(); Ask = New(); BidSize = New(); AskSize = New(); BidFill = New(); AskFill = New(); StepPnl = New();
        SpreadSum = New(); SpreadCount = New(); Edge = New(); Carry = New(); Fills = New(); PnlMean = New(); PnlM2 = New(); Downside2 = New();
        Peak = New(); MaxDrawdown = New(); QMean = New(); QM2 = New(); MaxAbsQ = New();
        HedgePosition = New(); HedgeCash = New(); HedgeTrade = New(); HedgeStep = New(); HedgeMark = New(); HedgePnl = New();
        Adverse = new double[plan.Horizons.Length][];
        for (var h = 0; h < Adverse.Length; h++) Adverse[h] = New();
        _ringQ = new double[plan.Ring * lanes];
        _r0 = new ulong[lanes]; _r1 = new ulong[lanes]; _r2 = new ulong[lanes]; _r3 = new ulong[lanes];
        _fillCount = new int[lanes];
        _pending = new int[plan.Horizons.Length];
    }

    /// <summary>
    /// The fill streams' starting states of a batch's lanes, word by word (<paramref name="states"/> holds four
    /// blocks of <see cref="RunPlan.BatchLanes"/>): worked out once per batch, as every strategy starts from them.
    /// </summary>
    public static void FillStreamStates(ulong seed, long firstPath, int lanes, Span<ulong> states)
    {
        const int block = RunPlan.BatchLanes;
        // The same fill stream for every strategy: common random numbers for the fills as well as the mids.
        VectorXoshiro.ForStreams(seed, firstPath, BacktestStreams.Fills, states.Slice(0, lanes), states.Slice(block, lanes), states.Slice(2 * block, lanes),
            states.Slice(3 * block, lanes));
    }

    /// <summary>Starts a batch: zero books and statistics, fill streams from <see cref="FillStreamStates"/>, a fresh quoter; <paramref name="realLanes"/> of the <paramref name="lanes"/> are paths (one: the one-path kernel).</summary>
    public void Begin(long firstPath, int lanes, int realLanes, ReadOnlySpan<ulong> fillStreamStates)
    {
        var spec = _plan.Spec;
        _firstPath = firstPath;
        _lanes = lanes;
        _solo = realLanes == 1;
        foreach (var array in new[] { Q, Cash, Bid, Ask, BidSize, AskSize, BidFill, AskFill, StepPnl, SpreadSum, SpreadCount, Edge, Carry, Fills,
                     PnlMean, PnlM2, Downside2, Peak, MaxDrawdown, QMean, QM2, MaxAbsQ, _ringQ,
                     HedgePosition, HedgeCash, HedgeTrade, HedgeStep, HedgeMark, HedgePnl })
        {
            Array.Clear(array);
        }
        foreach (var adverse in Adverse) Array.Clear(adverse);
        const int block = RunPlan.BatchLanes;
        fillStreamStates.Slice(0, lanes).CopyTo(_r0);
        fillStreamStates.Slice(block, lanes).CopyTo(_r1);
        fillStreamStates.Slice(2 * block, lanes).CopyTo(_r2);
        fillStreamStates.Slice(3 * block, lanes).CopyTo(_r3);
        _trackedLanes = spec.AllFills ? lanes : (int)Math.Clamp(Math.Max(_plan.DistributionPaths, 1) - firstPath, 0, lanes);
        Array.Clear(_fillCount);
        Array.Clear(_pending);
        // Room for every fill a tracked lane could make (both quotes every step), up to a bound past which the buffers
        // grow as they go (a long history's single path).
        var rows = (int)Math.Min((long)_trackedLanes * Math.Min(2L * _plan.Steps, _plan.FillCapPerPath), MaxReservedFillRows);
        FillRows.ClearWithCapacity(rows);
        Markouts.ClearWithCapacity(rows * _plan.Horizons.Length);
        _markoutDue = int.MaxValue;
        Truncated = false;
        _quoter = _strategy.CreateQuoter(new QuoterSetup(lanes, firstPath, _plan.Steps, _plan.Horizon, spec.Market.Dt, spec.QuoteSize));
        // Asked once per step by the batch loop: a field, not an interface cast each time.
        Affine = _quoter is IAffineQuoter;
    }

    /// <summary>Step i: quote at (S_i, q_i, τ_i), fill with probability from λ(δ)·Δt, then carry the position to S_{i+1}.</summary>
    public void Step(int i, double time, double tau, double dt, ReadOnlySpan<double> mid, ReadOnlySpan<double> nextMid,
        ReadOnlySpan<double> hedgeMid = default, ReadOnlySpan<double> hedgeNext = default)
    {
        var n = _lanes;
        BidSize.AsSpan(0, n).Fill(_quoteSize);
        AskSize.AsSpan(0, n).Fill(_quoteSize);
        var hedged = !hedgeMid.IsEmpty;
        if (hedged) HedgeTrade.AsSpan(0, n).Clear();
        _quoter.Quote(
            new QuoteRequest(i, time, tau, dt, mid, Q.AsSpan(0, n), Cash.AsSpan(0, n), BidFill.AsSpan(0, n), AskFill.AsSpan(0, n),
                hedgeMid, hedged ? HedgePosition.AsSpan(0, n) : default),
            new QuoteResponse(Bid.AsSpan(0, n), Ask.AsSpan(0, n), BidSize.AsSpan(0, n), AskSize.AsSpan(0, n), hedged ? HedgeTrade.AsSpan(0, n) : default));
        if (hedged) Hedge(hedgeMid, hedgeNext);
        Simulate(i, dt, mid, nextMid);
        if (_trackedLanes > 0) RecordFills(i, time, mid, nextMid);
    }

    /// <summary>
    /// Executes the hedge orders at the hedge mid plus the cost per unit, and sets this step's hedge P&amp;L
    /// (position after the trade × the hedge's move, minus costs) and mark, which the kernel adds to its own.
    /// </summary>
    private void Hedge(ReadOnlySpan<double> hedgeMid, ReadOnlySpan<double> hedgeNext)
    {
        var cost = _plan.Spec.HedgeCost;
        for (var lane = 0; lane < _lanes; lane++)
        {
            var trade = HedgeTrade[lane];
            if (!double.IsFinite(trade)) throw new InputException($"strategy ordered a non-finite hedge quantity ({Guard.Format(trade)})", field: "hedge");
            var paid = Math.Abs(trade) * cost;
            HedgeCash[lane] -= trade * hedgeMid[lane] + paid;
            HedgePosition[lane] += trade;
            var step = HedgePosition[lane] * (hedgeNext[lane] - hedgeMid[lane]) - paid;
            HedgeStep[lane] = step;
            HedgePnl[lane] += step;
            HedgeMark[lane] = HedgeCash[lane] + HedgePosition[lane] * hedgeNext[lane];
        }
    }

    /// <summary>Picks the kernel specialised for this run's intensity and fill models (each a struct the JIT inlines).</summary>
    private void Simulate(int i, double dt, ReadOnlySpan<double> midSpan, ReadOnlySpan<double> nextSpan)
    {
        switch (_plan.Bid.Kind)
        {
            case IntensityKind.Exponential: SimulateAsk<ExponentialRate>(i, dt, midSpan, nextSpan); break;
            case IntensityKind.Power: SimulateAsk<PowerRate>(i, dt, midSpan, nextSpan); break;
            default: SimulateAsk<AnyRate>(i, dt, midSpan, nextSpan); break;
        }
    }

    private void SimulateAsk<TBid>(int i, double dt, ReadOnlySpan<double> midSpan, ReadOnlySpan<double> nextSpan)
        where TBid : struct, IRate
    {
        switch (_plan.Ask.Kind)
        {
            case IntensityKind.Exponential: SimulateFill<TBid, ExponentialRate>(i, dt, midSpan, nextSpan); break;
            case IntensityKind.Power: SimulateFill<TBid, PowerRate>(i, dt, midSpan, nextSpan); break;
            default: SimulateFill<TBid, AnyRate>(i, dt, midSpan, nextSpan); break;
        }
    }

    private void SimulateFill<TBid, TAsk>(int i, double dt, ReadOnlySpan<double> midSpan, ReadOnlySpan<double> nextSpan)
        where TBid : struct, IRate
        where TAsk : struct, IRate
    {
        switch (_plan.FillKind)
        {
            case FillKind.Linear: Kernel<TBid, TAsk, LinearProbability>(i, dt, midSpan, nextSpan); break;
            case FillKind.Poisson: Kernel<TBid, TAsk, PoissonProbability>(i, dt, midSpan, nextSpan); break;
            default: Kernel<TBid, TAsk, AnyProbability>(i, dt, midSpan, nextSpan); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Kernel<TBid, TAsk, TFill>(int i, double dt, ReadOnlySpan<double> midSpan, ReadOnlySpan<double> nextSpan)
        where TBid : struct, IRate
        where TAsk : struct, IRate
        where TFill : struct, IProbability
    {
        var plan = _plan;
        var bidModel = plan.Bid;
        var askModel = plan.Ask;
        var bidADt = Vector512.Create(bidModel.A * dt);
        var bidK = Vector512.Create(bidModel.K);
        var bidD0 = Vector512.Create(bidModel.Delta0);
        var askADt = Vector512.Create(askModel.A * dt);
        var askK = Vector512.Create(askModel.K);
        var askD0 = Vector512.Create(askModel.Delta0);
        var fillModel = plan.Spec.Fills;
        var zero = Vector512<double>.Zero;
        var one = Vector512.Create(1.0);
        var cap = Vector512.Create(_cap);
        var negCap = Vector512.Create(-_cap);
        var slot = RingRow(i, 0) * _lanes;
        var horizons = plan.Horizons;
        Span<int> lagOffsets = stackalloc int[horizons.Length];
        for (var h = 0; h < horizons.Length; h++) lagOffsets[h] = RingRow(i, horizons[h]) * _lanes;

        ref var s = ref MemoryMarshal.GetReference(midSpan);
        ref var s1 = ref MemoryMarshal.GetReference(nextSpan);
        ref var q = ref Q[0];
        ref var cash = ref Cash[0];
        ref var bid = ref Bid[0];
        ref var ask = ref Ask[0];
        ref var bsz = ref BidSize[0];
        ref var asz = ref AskSize[0];
        ref var bfill = ref BidFill[0];
        ref var afill = ref AskFill[0];
        ref var stepPnl = ref StepPnl[0];
        ref var hedgeStep = ref HedgeStep[0];
        ref var hedgeMark = ref HedgeMark[0];
        ref var r0 = ref _r0[0];
        ref var r1 = ref _r1[0];
        ref var r2 = ref _r2[0];
        ref var r3 = ref _r3[0];
        ref var spreadSum = ref SpreadSum[0];
        ref var spreadCount = ref SpreadCount[0];
        ref var edgeSum = ref Edge[0];
        ref var carrySum = ref Carry[0];
        ref var fills = ref Fills[0];
        ref var mean = ref PnlMean[0];
        ref var m2 = ref PnlM2[0];
        ref var down2 = ref Downside2[0];
        ref var peak = ref Peak[0];
        ref var maxDd = ref MaxDrawdown[0];
        ref var qMean = ref QMean[0];
        ref var qM2 = ref QM2[0];
        ref var maxAbsQ = ref MaxAbsQ[0];
        ref var ringQ = ref _ringQ[0];

        for (nuint l = 0; l < (nuint)_lanes; l += (nuint)Vector512<double>.Count)
        {
            var vs = Vector512.LoadUnsafe(ref s, l);
            var vs1 = Vector512.LoadUnsafe(ref s1, l);
            var vq = Vector512.LoadUnsafe(ref q, l);
            var vbid = Vector512.LoadUnsafe(ref bid, l);
            var vask = Vector512.LoadUnsafe(ref ask, l);
            var vbsz = Vector512.LoadUnsafe(ref bsz, l);
            var vasz = Vector512.LoadUnsafe(ref asz, l);

            // Posted: positive size, a real price, and a fill that cannot breach the cap.
            var bidPosted = Vector512.GreaterThan(vbsz, zero) & Vector512.Equals(vbid, vbid) & Vector512.LessThanOrEqual(vq + vbsz, cap);
            var askPosted = Vector512.GreaterThan(vasz, zero) & Vector512.Equals(vask, vask) & Vector512.GreaterThanOrEqual(vq - vasz, negCap);

            // Two uniforms per lane per step from one draw of the lane's fill stream: the bid's from the high word, the ask's from the low.
            var a0 = Vector512.LoadUnsafe(ref r0, l);
            var a1 = Vector512.LoadUnsafe(ref r1, l);
            var a2 = Vector512.LoadUnsafe(ref r2, l);
            var a3 = Vector512.LoadUnsafe(ref r3, l);
            VectorXoshiro.UniformPair(VectorXoshiro.Next(ref a0, ref a1, ref a2, ref a3), out var uBid, out var uAsk);
            a0.StoreUnsafe(ref r0, l);
            a1.StoreUnsafe(ref r1, l);
            a2.StoreUnsafe(ref r2, l);
            a3.StoreUnsafe(ref r3, l);

            var pBid = default(TFill).Of(default(TBid).Of(vs - vbid, bidADt, bidK, bidD0, bidModel, dt), fillModel);
            var pAsk = default(TFill).Of(default(TAsk).Of(vask - vs, askADt, askK, askD0, askModel, dt), fillModel);
            var bidHit = bidPosted & Vector512.LessThan(uBid, pBid);
            var askHit = askPosted & Vector512.LessThan(uAsk, pAsk);
            var bought = Vector512.ConditionalSelect(bidHit, vbsz, zero);
            var sold = Vector512.ConditionalSelect(askHit, vasz, zero);

            // Cash and the edge against the mid at the fill; selects keep a NaN price of an unposted side out. The same
            // fused operations as the affine kernel, where every price is finite and an unfilled side's size is zero.
            var bidPrice = Vector512.ConditionalSelect(bidHit, vbid, zero);
            var askPrice = Vector512.ConditionalSelect(askHit, vask, zero);
            var vcash = Vector512.FusedMultiplyAdd(sold, askPrice, Vector512.FusedMultiplyAdd(-bought, bidPrice, Vector512.LoadUnsafe(ref cash, l)));
            var edge = Vector512.FusedMultiplyAdd(sold, Vector512.ConditionalSelect(askHit, vask - vs, zero), bought * Vector512.ConditionalSelect(bidHit, vs - vbid, zero));
            var qNew = vq + bought - sold;
            var carry = qNew * (vs1 - vs);
            // The hedge's terms are zero without a hedge instrument.
            var x = edge + carry + Vector512.LoadUnsafe(ref hedgeStep, l);

            vcash.StoreUnsafe(ref cash, l);
            qNew.StoreUnsafe(ref q, l);
            bought.StoreUnsafe(ref bfill, l);
            sold.StoreUnsafe(ref afill, l);
            x.StoreUnsafe(ref stepPnl, l);
            Vector512.ConditionalSelect(bidPosted, vbsz, zero).StoreUnsafe(ref bsz, l);
            Vector512.ConditionalSelect(askPosted, vasz, zero).StoreUnsafe(ref asz, l);

            var both = bidPosted & askPosted;
            (Vector512.LoadUnsafe(ref spreadSum, l) + Vector512.ConditionalSelect(both, vask - vbid, zero)).StoreUnsafe(ref spreadSum, l);
            (Vector512.LoadUnsafe(ref spreadCount, l) + Vector512.ConditionalSelect(both, one, zero)).StoreUnsafe(ref spreadCount, l);
            (Vector512.LoadUnsafe(ref edgeSum, l) + edge).StoreUnsafe(ref edgeSum, l);
            (Vector512.LoadUnsafe(ref carrySum, l) + carry).StoreUnsafe(ref carrySum, l);
            (Vector512.LoadUnsafe(ref fills, l) + Vector512.ConditionalSelect(bidHit, one, zero) + Vector512.ConditionalSelect(askHit, one, zero)).StoreUnsafe(ref fills, l);

            // Sums of the step P&L, its square and its downside's square (means and moments at the end of the batch).
            (Vector512.LoadUnsafe(ref mean, l) + x).StoreUnsafe(ref mean, l);
            Vector512.FusedMultiplyAdd(x, x, Vector512.LoadUnsafe(ref m2, l)).StoreUnsafe(ref m2, l);
            var loss = Vector512.MinNative(x, zero);
            Vector512.FusedMultiplyAdd(loss, loss, Vector512.LoadUnsafe(ref down2, l)).StoreUnsafe(ref down2, l);

            // Drawdown of the marked-to-market P&L.
            var mark = Vector512.FusedMultiplyAdd(qNew, vs1, vcash) + Vector512.LoadUnsafe(ref hedgeMark, l);
            var vpeak = Vector512.MaxNative(Vector512.LoadUnsafe(ref peak, l), mark);
            vpeak.StoreUnsafe(ref peak, l);
            Vector512.MaxNative(Vector512.LoadUnsafe(ref maxDd, l), vpeak - mark).StoreUnsafe(ref maxDd, l);

            // Sums of the inventory held after each step's fills and of its square.
            (Vector512.LoadUnsafe(ref qMean, l) + qNew).StoreUnsafe(ref qMean, l);
            Vector512.FusedMultiplyAdd(qNew, qNew, Vector512.LoadUnsafe(ref qM2, l)).StoreUnsafe(ref qM2, l);
            Vector512.MaxNative(Vector512.LoadUnsafe(ref maxAbsQ, l), Vector512.Abs(qNew)).StoreUnsafe(ref maxAbsQ, l);

            // Adverse selection of every fill at h steps: Σ_i ΔS_i·q_{i+1−h} here, less the carry Σ_i ΔS_i·q_{i+1} at the end.
            var move = vs1 - vs;
            for (var h = 0; h < horizons.Length; h++)
            {
                var lag = Vector512.LoadUnsafe(ref ringQ, (nuint)lagOffsets[h] + l);
                ref var adverse = ref Adverse[h][0];
                Vector512.FusedMultiplyAdd(move, lag, Vector512.LoadUnsafe(ref adverse, l)).StoreUnsafe(ref adverse, l);
            }
            qNew.StoreUnsafe(ref ringQ, (nuint)slot + l);
        }
    }

    /// <summary>
    /// The ring row holding the inventory after step i − h (h = 0: step i's own row; h ≥ 1: the lag adverse selection at
    /// horizon h reads, q_{i+1−h}). Rows before the first step are never written and hold q_0 = 0.
    /// </summary>
    private int RingRow(int step, int horizon)
    {
        var ring = _plan.Ring;
        var row = (step - horizon) % ring;
        return row < 0 ? row + ring : row;
    }

    /// <summary>Hands a diagnostic quoter the final state of the batch (after the last step's fills).</summary>
    public void FinishQuoter(int steps, double time, ReadOnlySpan<double> finalMid, ReadOnlySpan<double> finalHedgeMid)
    {
        if (_quoter is not IDiagnosticQuoter diagnostic) return;
        var n = _lanes;
        var hedged = !finalHedgeMid.IsEmpty;
        diagnostic.Finish(new QuoteRequest(steps, time, _plan.Horizon - time, 0.0, finalMid, Q.AsSpan(0, n), Cash.AsSpan(0, n), BidFill.AsSpan(0, n),
            AskFill.AsSpan(0, n), finalHedgeMid, hedged ? HedgePosition.AsSpan(0, n) : default));
    }

    /// <summary>The lane's diagnostics (see <see cref="IDiagnosticQuoter"/>); false when the strategy has none.</summary>
    public bool Diagnostics(int lane, Span<double> values)
    {
        if (_quoter is not IDiagnosticQuoter diagnostic) return false;
        diagnostic.Diagnostics(lane, values);
        return true;
    }

    /// <summary>
    /// After the last step: recorded fills closer than h to the end are marked out at the final mid, adverse selection
    /// Σ_i ΔS_i·(q_{i+1−h} − q_{i+1}) takes its carry term, and the running sums become means and second moments
    /// (Σ(x − x̄)² = Σx² − (Σx)²/n, clamped at zero against rounding).
    /// </summary>
    public void FinishMarkouts(ReadOnlySpan<double> finalMid)
    {
        ResolveMarkouts(int.MaxValue, finalMid);
        var n = (double)_plan.Steps;
        for (var lane = 0; lane < _lanes; lane++)
        {
            foreach (var adverse in Adverse) adverse[lane] -= Carry[lane];
            (PnlMean[lane], PnlM2[lane]) = MeanAndSecondMoment(PnlMean[lane], PnlM2[lane], n);
            (QMean[lane], QM2[lane]) = MeanAndSecondMoment(QMean[lane], QM2[lane], n);
        }
    }

    private static (double Mean, double M2) MeanAndSecondMoment(double sum, double sumOfSquares, double n) =>
        (sum / n, Math.Max(0.0, sumOfSquares - sum * sum / n));

    private void RecordFills(int i, double time, ReadOnlySpan<double> mid, ReadOnlySpan<double> nextMid)
    {
        for (var lane = 0; lane < _trackedLanes; lane++)
        {
            var bought = BidFill[lane];
            var sold = AskFill[lane];
            if (bought == 0 && sold == 0) continue;
            if (_fillCount[lane] >= _plan.FillCapPerPath)
            {
                Truncated = true;
                continue;
            }
            var path = (int)(_firstPath + lane);
            // Both sides can fill in one step; the bid is booked first.
            var afterBid = Q[lane] + sold;
            if (bought > 0) AddFill(path, lane, i, time, 1, Bid[lane], mid[lane], bought, afterBid);
            if (sold > 0) AddFill(path, lane, i, time, -1, Ask[lane], mid[lane], sold, Q[lane]);
        }
        ResolveMarkouts(i + 1, nextMid);
    }

    private void AddFill(int path, int lane, int step, double time, int side, double price, double mid, double quantity, double inventoryAfter)
    {
        _fillCount[lane]++;
        FillRows.Add(new FillRow(path, lane, step, time, side, price, mid, quantity, inventoryAfter, Markouts.Count));
        for (var h = 0; h < _plan.Horizons.Length; h++) Markouts.Add(double.NaN);
    }

    /// <summary>Rows are in step order, so each horizon's unresolved rows are a suffix: resolve those whose time has come.</summary>
    private void ResolveMarkouts(int step, ReadOnlySpan<double> midAtStep)
    {
        var markouts = Markouts.AsSpan();
        var rows = FillRows.AsSpan();
        for (var h = 0; h < _pending.Length; h++)
        {
            var horizon = _plan.Horizons[h];
            ref var next = ref _pending[h];
            while (next < rows.Length && (step == int.MaxValue || rows[next].Step + horizon <= step))
            {
                ref readonly var row = ref rows[next];
                markouts[row.MarkoutIndex + h] = row.Side * (midAtStep[row.Lane] - row.Price);
                next++;
            }
        }
        // Rows are in step order, so each horizon's first pending row is its earliest due.
        var due = int.MaxValue;
        for (var h = 0; h < _pending.Length; h++)
        {
            if (_pending[h] < rows.Length) due = Math.Min(due, rows[_pending[h]].Step + _plan.Horizons[h]);
        }
        _markoutDue = due;
    }

}

/// <summary>A recorded fill inside a batch; <see cref="MarkoutIndex"/> points at its markouts, one per horizon.</summary>
[StructLayout(LayoutKind.Auto)] // 64 bytes instead of 72: the runtime may pack the ints together
internal readonly record struct FillRow(int Path, int Lane, int Step, double Time, int Side, double Price, double Mid, double Quantity, double InventoryAfter, int MarkoutIndex);

/// <summary>λ(δ)·Δt on eight lanes, as a struct so that each kernel instantiation inlines its own; vectors by value stay in registers.</summary>
internal interface IRate
{
    Vector512<double> Of(Vector512<double> delta, Vector512<double> aDt, Vector512<double> k, Vector512<double> delta0, SideModel model, double dt);
}

internal readonly struct ExponentialRate : IRate
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Of(Vector512<double> delta, Vector512<double> aDt, Vector512<double> k, Vector512<double> delta0, SideModel model, double dt) =>
        aDt * VectorExp.Exp(-(k * delta));
}

internal readonly struct PowerRate : IRate
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Of(Vector512<double> delta, Vector512<double> aDt, Vector512<double> k, Vector512<double> delta0, SideModel model, double dt)
    {
        var shifted = delta + delta0;
        var value = aDt * VectorExp.Exp(-(k * Vector512.Log(shifted)));
        // At or inside −δ0 every order reaches the quote.
        return Vector512.ConditionalSelect(Vector512.LessThanOrEqual(shifted, Vector512<double>.Zero), Vector512.Create(double.PositiveInfinity), value);
    }
}

/// <summary>Any other model, lane by lane through its interface.</summary>
internal readonly struct AnyRate : IRate
{
    public Vector512<double> Of(Vector512<double> delta, Vector512<double> aDt, Vector512<double> k, Vector512<double> delta0, SideModel model, double dt) => Vector512.Create(
        model.Model.Intensity(delta.GetElement(0)) * dt,
        model.Model.Intensity(delta.GetElement(1)) * dt,
        model.Model.Intensity(delta.GetElement(2)) * dt,
        model.Model.Intensity(delta.GetElement(3)) * dt,
        model.Model.Intensity(delta.GetElement(4)) * dt,
        model.Model.Intensity(delta.GetElement(5)) * dt,
        model.Model.Intensity(delta.GetElement(6)) * dt,
        model.Model.Intensity(delta.GetElement(7)) * dt);
}

/// <summary>Fill probability from λΔt on eight lanes.</summary>
internal interface IProbability
{
    Vector512<double> Of(Vector512<double> intensityDt, IFillModel model);
}

internal readonly struct LinearProbability : IProbability
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Of(Vector512<double> intensityDt, IFillModel model) => Vector512.MinNative(intensityDt, Vector512.Create(1.0));
}

internal readonly struct PoissonProbability : IProbability
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Of(Vector512<double> intensityDt, IFillModel model) => Vector512.Create(1.0) - VectorExp.Exp(-intensityDt);
}

internal readonly struct AnyProbability : IProbability
{
    public Vector512<double> Of(Vector512<double> intensityDt, IFillModel model) => Vector512.Create(
        model.Probability(intensityDt.GetElement(0)),
        model.Probability(intensityDt.GetElement(1)),
        model.Probability(intensityDt.GetElement(2)),
        model.Probability(intensityDt.GetElement(3)),
        model.Probability(intensityDt.GetElement(4)),
        model.Probability(intensityDt.GetElement(5)),
        model.Probability(intensityDt.GetElement(6)),
        model.Probability(intensityDt.GetElement(7)));
}
