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

    // Running statistics.
    public readonly double[] SpreadSum, SpreadCount, Edge, Carry, Fills, PnlMean, PnlM2, Downside2, Peak, MaxDrawdown, QMean, QM2, MaxAbsQ;
    public readonly double[][] Adverse;
    private readonly double[] _ringMid, _ringSigned;

    // Hedge instrument: position, cash, this step's order, and this step's P&L and mark terms folded into the kernel's.
    public readonly double[] HedgePosition, HedgeCash, HedgeTrade, HedgeStep, HedgeMark, HedgePnl;

    // Recorded fills of the tracked lanes (path 0, the distribution paths, or all with --all-fills), in step order.
    public readonly List<FillRow> FillRows = [];
    public readonly List<double> Markouts = [];
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
        _ringMid = new double[plan.Ring * lanes];
        _ringSigned = new double[plan.Ring * lanes];
        _r0 = new ulong[lanes]; _r1 = new ulong[lanes]; _r2 = new ulong[lanes]; _r3 = new ulong[lanes];
        _fillCount = new int[lanes];
        _pending = new int[plan.Horizons.Length];
    }

    /// <summary>Starts a batch: zero books and statistics, fresh fill streams, a fresh quoter.</summary>
    public void Begin(long firstPath, int lanes)
    {
        var spec = _plan.Spec;
        _firstPath = firstPath;
        _lanes = lanes;
        foreach (var array in new[] { Q, Cash, Bid, Ask, BidSize, AskSize, BidFill, AskFill, StepPnl, SpreadSum, SpreadCount, Edge, Carry, Fills,
                     PnlMean, PnlM2, Downside2, Peak, MaxDrawdown, QMean, QM2, MaxAbsQ, _ringMid, _ringSigned,
                     HedgePosition, HedgeCash, HedgeTrade, HedgeStep, HedgeMark, HedgePnl })
        {
            Array.Clear(array);
        }
        foreach (var adverse in Adverse) Array.Clear(adverse);
        for (var lane = 0; lane < lanes; lane++)
        {
            // The same fill stream for every strategy: common random numbers for the fills as well as the mids.
            var rng = Xoshiro256StarStar.ForStream(spec.Seed, (ulong)(firstPath + lane), BacktestStreams.Fills);
            rng.ExportState(out _r0[lane], out _r1[lane], out _r2[lane], out _r3[lane]);
        }
        _trackedLanes = spec.AllFills ? lanes : (int)Math.Clamp(Math.Max(_plan.DistributionPaths, 1) - firstPath, 0, lanes);
        Array.Clear(_fillCount);
        Array.Clear(_pending);
        FillRows.Clear();
        Markouts.Clear();
        _markoutDue = int.MaxValue;
        Truncated = false;
        _quoter = _strategy.CreateQuoter(new QuoterSetup(lanes, firstPath, _plan.Steps, _plan.Horizon, spec.Market.Dt, spec.QuoteSize));
        // Asked once per step by the batch loop: a field, not an interface cast each time.
        Affine = _quoter is IAffineQuoter;
    }

    /// <summary>Step i: quote at (S_i, q_i, τ_i), fill with probability from λ(δ)·Δt, then carry the position to S_{i+1}.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        var bidADt = Vector256.Create(bidModel.A * dt);
        var bidK = Vector256.Create(bidModel.K);
        var bidD0 = Vector256.Create(bidModel.Delta0);
        var askADt = Vector256.Create(askModel.A * dt);
        var askK = Vector256.Create(askModel.K);
        var askD0 = Vector256.Create(askModel.Delta0);
        var fillModel = plan.Spec.Fills;
        var zero = Vector256<double>.Zero;
        var one = Vector256.Create(1.0);
        var cap = Vector256.Create(_cap);
        var negCap = Vector256.Create(-_cap);
        var invCount = Vector256.Create(1.0 / (i + 1));
        var slot = (i % plan.Ring) * _lanes;

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
        ref var ringMid = ref _ringMid[slot];
        ref var ringSigned = ref _ringSigned[slot];

        for (nuint l = 0; l < (nuint)_lanes; l += (nuint)Vector256<double>.Count)
        {
            var vs = Vector256.LoadUnsafe(ref s, l);
            var vs1 = Vector256.LoadUnsafe(ref s1, l);
            var vq = Vector256.LoadUnsafe(ref q, l);
            var vbid = Vector256.LoadUnsafe(ref bid, l);
            var vask = Vector256.LoadUnsafe(ref ask, l);
            var vbsz = Vector256.LoadUnsafe(ref bsz, l);
            var vasz = Vector256.LoadUnsafe(ref asz, l);

            // Posted: positive size, a real price, and a fill that cannot breach the cap.
            var bidPosted = Vector256.GreaterThan(vbsz, zero) & Vector256.Equals(vbid, vbid) & Vector256.LessThanOrEqual(vq + vbsz, cap);
            var askPosted = Vector256.GreaterThan(vasz, zero) & Vector256.Equals(vask, vask) & Vector256.GreaterThanOrEqual(vq - vasz, negCap);

            // Two uniforms per lane per step from the lane's fill stream: bid first, then ask.
            var a0 = Vector256.LoadUnsafe(ref r0, l);
            var a1 = Vector256.LoadUnsafe(ref r1, l);
            var a2 = Vector256.LoadUnsafe(ref r2, l);
            var a3 = Vector256.LoadUnsafe(ref r3, l);
            var uBid = VectorXoshiro.Uniform(VectorXoshiro.Next(ref a0, ref a1, ref a2, ref a3));
            var uAsk = VectorXoshiro.Uniform(VectorXoshiro.Next(ref a0, ref a1, ref a2, ref a3));
            a0.StoreUnsafe(ref r0, l);
            a1.StoreUnsafe(ref r1, l);
            a2.StoreUnsafe(ref r2, l);
            a3.StoreUnsafe(ref r3, l);

            var pBid = default(TFill).Of(default(TBid).Of(vs - vbid, bidADt, bidK, bidD0, bidModel, dt), fillModel);
            var pAsk = default(TFill).Of(default(TAsk).Of(vask - vs, askADt, askK, askD0, askModel, dt), fillModel);
            var bidHit = bidPosted & Vector256.LessThan(uBid, pBid);
            var askHit = askPosted & Vector256.LessThan(uAsk, pAsk);
            var bought = Vector256.ConditionalSelect(bidHit, vbsz, zero);
            var sold = Vector256.ConditionalSelect(askHit, vasz, zero);

            // Cash and the edge against the mid at the fill; selects keep a NaN price of an unposted side out.
            var vcash = Vector256.LoadUnsafe(ref cash, l)
                - Vector256.ConditionalSelect(bidHit, bought * vbid, zero)
                + Vector256.ConditionalSelect(askHit, sold * vask, zero);
            var edge = Vector256.ConditionalSelect(bidHit, bought * (vs - vbid), zero)
                + Vector256.ConditionalSelect(askHit, sold * (vask - vs), zero);
            var qNew = vq + bought - sold;
            var carry = qNew * (vs1 - vs);
            // The hedge's terms are zero without a hedge instrument.
            var x = edge + carry + Vector256.LoadUnsafe(ref hedgeStep, l);

            vcash.StoreUnsafe(ref cash, l);
            qNew.StoreUnsafe(ref q, l);
            bought.StoreUnsafe(ref bfill, l);
            sold.StoreUnsafe(ref afill, l);
            x.StoreUnsafe(ref stepPnl, l);
            Vector256.ConditionalSelect(bidPosted, vbsz, zero).StoreUnsafe(ref bsz, l);
            Vector256.ConditionalSelect(askPosted, vasz, zero).StoreUnsafe(ref asz, l);

            var both = bidPosted & askPosted;
            (Vector256.LoadUnsafe(ref spreadSum, l) + Vector256.ConditionalSelect(both, vask - vbid, zero)).StoreUnsafe(ref spreadSum, l);
            (Vector256.LoadUnsafe(ref spreadCount, l) + Vector256.ConditionalSelect(both, one, zero)).StoreUnsafe(ref spreadCount, l);
            (Vector256.LoadUnsafe(ref edgeSum, l) + edge).StoreUnsafe(ref edgeSum, l);
            (Vector256.LoadUnsafe(ref carrySum, l) + carry).StoreUnsafe(ref carrySum, l);
            (Vector256.LoadUnsafe(ref fills, l) + Vector256.ConditionalSelect(bidHit, one, zero) + Vector256.ConditionalSelect(askHit, one, zero)).StoreUnsafe(ref fills, l);

            // Welford on the step P&L, and its downside for Sortino.
            var vmean = Vector256.LoadUnsafe(ref mean, l);
            var d = x - vmean;
            vmean += d * invCount;
            vmean.StoreUnsafe(ref mean, l);
            (Vector256.LoadUnsafe(ref m2, l) + d * (x - vmean)).StoreUnsafe(ref m2, l);
            var loss = Vector256.MinNative(x, zero);
            (Vector256.LoadUnsafe(ref down2, l) + loss * loss).StoreUnsafe(ref down2, l);

            // Drawdown of the marked-to-market P&L.
            var mark = vcash + qNew * vs1 + Vector256.LoadUnsafe(ref hedgeMark, l);
            var vpeak = Vector256.MaxNative(Vector256.LoadUnsafe(ref peak, l), mark);
            vpeak.StoreUnsafe(ref peak, l);
            Vector256.MaxNative(Vector256.LoadUnsafe(ref maxDd, l), vpeak - mark).StoreUnsafe(ref maxDd, l);

            // Welford on the inventory held after each step's fills.
            var vqMean = Vector256.LoadUnsafe(ref qMean, l);
            var dq = qNew - vqMean;
            vqMean += dq * invCount;
            vqMean.StoreUnsafe(ref qMean, l);
            (Vector256.LoadUnsafe(ref qM2, l) + dq * (qNew - vqMean)).StoreUnsafe(ref qM2, l);
            Vector256.MaxNative(Vector256.LoadUnsafe(ref maxAbsQ, l), Vector256.Abs(qNew)).StoreUnsafe(ref maxAbsQ, l);

            vs.StoreUnsafe(ref ringMid, l);
            (bought - sold).StoreUnsafe(ref ringSigned, l);
        }

        // Adverse selection: the fills of step j = i+1−h meet the mid h steps later.
        for (var h = 0; h < plan.Horizons.Length; h++)
        {
            var j = i + 1 - plan.Horizons[h];
            if (j >= 0) AccumulateAdverse(h, j, nextSpan);
        }
    }

    /// <summary>adverse_h += −signed fill of step j · (S_now − S_j).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AccumulateAdverse(int h, int j, ReadOnlySpan<double> midNow)
    {
        var from = (j % _plan.Ring) * _lanes;
        ref var now = ref MemoryMarshal.GetReference(midNow);
        ref var then = ref _ringMid[from];
        ref var signed = ref _ringSigned[from];
        ref var adverse = ref Adverse[h][0];
        for (nuint l = 0; l < (nuint)_lanes; l += (nuint)Vector256<double>.Count)
        {
            var cost = Vector256.LoadUnsafe(ref signed, l) * (Vector256.LoadUnsafe(ref now, l) - Vector256.LoadUnsafe(ref then, l));
            (Vector256.LoadUnsafe(ref adverse, l) - cost).StoreUnsafe(ref adverse, l);
        }
    }

    /// <summary>After the last step: fills closer than h to the end are marked out at the final mid.</summary>
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

    public void FinishMarkouts(ReadOnlySpan<double> finalMid)
    {
        var n = _plan.Steps;
        for (var h = 0; h < _plan.Horizons.Length; h++)
        {
            for (var j = Math.Max(0, n + 1 - _plan.Horizons[h]); j < n; j++) AccumulateAdverse(h, j, finalMid);
        }
        ResolveMarkouts(int.MaxValue, finalMid);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ResolveMarkouts(int step, ReadOnlySpan<double> midAtStep)
    {
        var markouts = CollectionsMarshal.AsSpan(Markouts);
        var rows = CollectionsMarshal.AsSpan(FillRows);
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
internal readonly record struct FillRow(int Path, int Lane, int Step, double Time, int Side, double Price, double Mid, double Quantity, double InventoryAfter, int MarkoutIndex);

/// <summary>λ(δ)·Δt on four lanes, as a struct so that each kernel instantiation inlines its own; vectors by value stay in registers.</summary>
internal interface IRate
{
    Vector256<double> Of(Vector256<double> delta, Vector256<double> aDt, Vector256<double> k, Vector256<double> delta0, SideModel model, double dt);
}

internal readonly struct ExponentialRate : IRate
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Of(Vector256<double> delta, Vector256<double> aDt, Vector256<double> k, Vector256<double> delta0, SideModel model, double dt) =>
        aDt * VectorExp.Exp(-(k * delta));
}

internal readonly struct PowerRate : IRate
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Of(Vector256<double> delta, Vector256<double> aDt, Vector256<double> k, Vector256<double> delta0, SideModel model, double dt)
    {
        var shifted = delta + delta0;
        var value = aDt * VectorExp.Exp(-(k * Vector256.Log(shifted)));
        // At or inside −δ0 every order reaches the quote.
        return Vector256.ConditionalSelect(Vector256.LessThanOrEqual(shifted, Vector256<double>.Zero), Vector256.Create(double.PositiveInfinity), value);
    }
}

/// <summary>Any other model, lane by lane through its interface.</summary>
internal readonly struct AnyRate : IRate
{
    public Vector256<double> Of(Vector256<double> delta, Vector256<double> aDt, Vector256<double> k, Vector256<double> delta0, SideModel model, double dt) => Vector256.Create(
        model.Model.Intensity(delta.GetElement(0)) * dt,
        model.Model.Intensity(delta.GetElement(1)) * dt,
        model.Model.Intensity(delta.GetElement(2)) * dt,
        model.Model.Intensity(delta.GetElement(3)) * dt);
}

/// <summary>Fill probability from λΔt on four lanes.</summary>
internal interface IProbability
{
    Vector256<double> Of(Vector256<double> intensityDt, IFillModel model);
}

internal readonly struct LinearProbability : IProbability
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Of(Vector256<double> intensityDt, IFillModel model) => Vector256.MinNative(intensityDt, Vector256.Create(1.0));
}

internal readonly struct PoissonProbability : IProbability
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Of(Vector256<double> intensityDt, IFillModel model) => Vector256.Create(1.0) - VectorExp.Exp(-intensityDt);
}

internal readonly struct AnyProbability : IProbability
{
    public Vector256<double> Of(Vector256<double> intensityDt, IFillModel model) => Vector256.Create(
        model.Probability(intensityDt.GetElement(0)),
        model.Probability(intensityDt.GetElement(1)),
        model.Probability(intensityDt.GetElement(2)),
        model.Probability(intensityDt.GetElement(3)));
}
