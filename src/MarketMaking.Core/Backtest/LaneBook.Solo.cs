using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Backtest;

/// <summary>
/// The affine kernel for a batch with one real path (a historical replay, or a last batch of one): lane 0 alone, with
/// the same operations as <see cref="AffineKernel{THits, TCap}"/> in the same order, so every outcome is bit-identical.
/// One path's steps are a chain (fill → inventory → next quote → next fill probability), and evaluating the rates on
/// that chain costs an exponential's latency per step. Here the fill decisions of eight steps are evaluated at once,
/// as vectors over steps, at the inventory held now: they are the path's decisions up to its next fill, which changes
/// the inventory, so the next block starts after it. Within a block, what does not chain from step to step (quotes,
/// fills, edge, carry, P&amp;L) is computed as vectors over its steps too; what does (cash, drawdown, the running sums,
/// adverse selection) runs in short scalar loops in step order. Without fills (a quote far from the mid, or most
/// steps of a slowly filled book) that is one evaluation per eight steps; with a fill every step, one per step.
/// </summary>
internal sealed partial class LaneBook
{
    /// <summary>Set by <see cref="Begin"/>: the batch has one real path, and the other lanes are padding nobody reads.</summary>
    private bool _solo;

    /// <summary>Rows of a block's per-step values (eight lanes each), in <see cref="SoloKernel"/>.</summary>
    private static class Block
    {
        public const int Spread = 0, Edge = 1, Carry = 2, Filled = 3, Pnl = 4, Loss = 5, Inventory = 6, Move = 7, NextMid = 8, Bid = 9, Ask = 10, Bought = 11, Sold = 12, Mark = 13;
        public const int Count = 14;
    }

    /// <summary>A chunk's mids of lane 0 as one column (count + 1 values), read eight at a time (padded).</summary>
    private readonly double[] _soloMids = new double[PaddedSteps + 8];

    /// <summary>The path's inventory after each step: the longest horizon's steps before the chunk, then the chunk's.</summary>
    private double[] _soloHistory = [];

    /// <summary>A chunk's fill-stream draws of lane 0, read eight at a time (padded).</summary>
    private readonly ulong[] _soloDraws = new ulong[PaddedSteps];

    /// <summary>Per-step arrays read eight steps at a time have this many slots: a load at the chunk's last step stays inside.</summary>
    internal const int PaddedSteps = RunPlan.ChunkSteps + 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SoloKernel<THits, TCap>(int start, int count, ReadOnlySpan<double> mids)
        where THits : struct, ISoloHits
        where TCap : struct, ICap
    {
        var lanes = _lanes;
        var horizons = _plan.Horizons;
        var horizonCount = horizons.Length;
        var capped = default(TCap).Capped;
        var size = _quoteSize;
        var cap = _cap;
        var inputs = new AffineRateInputs(_plan.Bid, _plan.Ask, _f.BidADt, _f.AskADt, _f.BidC, _f.AskC, _f.NegKSlope, _f.BidThreshold, _f.AskThreshold, _f.BidTable, _f.AskTable, _quoteSize, default, _plan.Spec.Fills);

        // The chunk's draws first: the generator's chain is independent of the book's.
        var rng = Xoshiro256StarStar.FromState(_r0[0], _r1[0], _r2[0], _r3[0]);
        var draws = _soloDraws;
        for (var j = 0; j < count; j++) draws[j] = rng.NextUInt64();
        rng.ExportState(out _r0[0], out _r1[0], out _r2[0], out _r3[0]);

        // The path's mids as one column (the batch's rows hold eight lanes), read eight steps at a time.
        ref var mid0 = ref MemoryMarshal.GetReference(mids);
        var column = _soloMids;
        for (var t = 0; t <= count; t++) column[t] = Unsafe.Add(ref mid0, t * lanes);
        ref var columnRef = ref MemoryMarshal.GetArrayDataReference(column);
        ref var slopes = ref MemoryMarshal.GetArrayDataReference(_f.Slope);
        ref var halves = ref MemoryMarshal.GetArrayDataReference(_f.Half);
        ref var ringQ = ref MemoryMarshal.GetArrayDataReference(_ringQ);
        // The path's inventory after each step as one column, the L = longest horizon steps before the chunk first (from
        // the ring, where the lane kernel keeps them): a lag is then a plain load, and the ring is written back at the end.
        var longest = _plan.Ring - 1;
        if (_soloHistory.Length < longest + PaddedSteps) _soloHistory = new double[longest + PaddedSteps];
        var history = _soloHistory;
        for (int t = 0, row = RingRow(start, longest); t < longest; t++, row = row + 1 == _plan.Ring ? 0 : row + 1) history[t] = Unsafe.Add(ref ringQ, row * lanes);
        ref var past = ref MemoryMarshal.GetArrayDataReference(history);
        Span<double> adverse = stackalloc double[horizonCount];
        for (var h = 0; h < horizonCount; h++) adverse[h] = Adverse[h][0];
        var tracing = _tracing;
        // The trace's rows hold this path alone. (Unread, and empty arrays, when not tracing.)
        _traceLanes = 1;
        ref var traceQ = ref MemoryMarshal.GetArrayDataReference(_traceQ);
        ref var traceCash = ref MemoryMarshal.GetArrayDataReference(_traceCash);
        ref var traceBid = ref MemoryMarshal.GetArrayDataReference(_traceBid);
        ref var traceAsk = ref MemoryMarshal.GetArrayDataReference(_traceAsk);
        ref var traceBidSize = ref MemoryMarshal.GetArrayDataReference(_traceBidSize);
        ref var traceAskSize = ref MemoryMarshal.GetArrayDataReference(_traceAskSize);
        ref var traceBought = ref MemoryMarshal.GetArrayDataReference(_traceBought);
        ref var traceSold = ref MemoryMarshal.GetArrayDataReference(_traceSold);
        ref var tracePnl = ref MemoryMarshal.GetArrayDataReference(_tracePnl);

        var q = Q[0];
        var cash = Cash[0];
        var spreadSum = SpreadSum[0];
        var spreadCount = SpreadCount[0];
        var edgeSum = Edge[0];
        var carrySum = Carry[0];
        var filled = 0.0;
        var pnlSum = PnlMean[0];
        var pnlSquares = PnlM2[0];
        var down2 = Downside2[0];
        var peak = Peak[0];
        var maxDd = MaxDrawdown[0];
        var qSum = QMean[0];
        var qSquares = QM2[0];
        var maxAbsQ = MaxAbsQ[0];
        double vbid = 0, vask = 0, bought = 0, sold = 0, x = 0;

        // A block's per-step values, lane k for step j + k: what does not wait on the step before, eight steps at once.
        Span<double> block = stackalloc double[Block.Count * 8];
        ref var b0 = ref MemoryMarshal.GetReference(block);
        var laneBits = Vector512.Create(1UL, 2, 4, 8, 16, 32, 64, 128);
        var vsize = Vector512.Create(size);
        var zero = Vector512<double>.Zero;

        for (var j = 0; j < count;)
        {
            // The decisions of steps j … j+7 at the inventory held now, valid up to the first step that fills.
            var bidPosted = !capped || q + size <= cap;
            var askPosted = !capped || q - size >= -cap;
            default(THits).Of(inputs, j, q, Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(draws), (nuint)j), out var bidHits, out var askHits);
            var bidBits = bidPosted ? (uint)bidHits.ExtractMostSignificantBits() : 0u;
            var askBits = askPosted ? (uint)askHits.ExtractMostSignificantBits() : 0u;
            // Steps up to and including the first that fills; its fill changes the inventory, so the next block starts
            // after it. A branch rather than arithmetic: most blocks of a long history do not fill, and the predicted
            // branch lets the next block start without waiting for this one's decisions.
            var steps = Math.Min(8, count - j);
            var inBlock = (1u << steps) - 1;
            var filling = ((bidBits | askBits) & inBlock) != 0;
            if (filling)
            {
                steps = BitOperations.TrailingZeroCount(bidBits | askBits) + 1;
                inBlock = (1u << steps) - 1;
            }

            // The lane kernel's operations, lane by lane: quotes, fills, edge, inventory, carry, P&L.
            var vq = Vector512.Create(q);
            var vs = Vector512.LoadUnsafe(ref columnRef, (nuint)j);
            var vs1 = Vector512.LoadUnsafe(ref columnRef, (nuint)(j + 1));
            var r = vs - vq * Vector512.LoadUnsafe(ref slopes, (nuint)j);
            var half = Vector512.LoadUnsafe(ref halves, (nuint)j);
            var bids = r - half;
            var asks = r + half;
            var boughts = vsize & Vector512.Equals(laneBits & Vector512.Create((ulong)(bidBits & inBlock)), laneBits).AsDouble();
            var solds = vsize & Vector512.Equals(laneBits & Vector512.Create((ulong)(askBits & inBlock)), laneBits).AsDouble();
            var edges = Vector512.FusedMultiplyAdd(solds, asks - vs, boughts * (vs - bids));
            var qNews = vq + boughts - solds;
            var moves = vs1 - vs;
            var carries = qNews * moves;
            var xs = edges + carries;
            var both = bidPosted && askPosted;
            (both ? asks - bids : zero).StoreUnsafe(ref b0, Block.Spread * 8);
            edges.StoreUnsafe(ref b0, Block.Edge * 8);
            carries.StoreUnsafe(ref b0, Block.Carry * 8);
            (boughts + solds).StoreUnsafe(ref b0, Block.Filled * 8);
            xs.StoreUnsafe(ref b0, Block.Pnl * 8);
            Vector512.MinNative(xs, zero).StoreUnsafe(ref b0, Block.Loss * 8);
            qNews.StoreUnsafe(ref b0, Block.Inventory * 8);
            moves.StoreUnsafe(ref b0, Block.Move * 8);
            vs1.StoreUnsafe(ref b0, Block.NextMid * 8);
            bids.StoreUnsafe(ref b0, Block.Bid * 8);
            asks.StoreUnsafe(ref b0, Block.Ask * 8);
            boughts.StoreUnsafe(ref b0, Block.Bought * 8);
            solds.StoreUnsafe(ref b0, Block.Sold * 8);
            if (tracing)
            {
                // Eight rows at a time; rows past the block are rewritten by the next block (or are past the chunk).
                vq.StoreUnsafe(ref traceQ, (nuint)j);
                bids.StoreUnsafe(ref traceBid, (nuint)j);
                asks.StoreUnsafe(ref traceAsk, (nuint)j);
                Vector512.Create(bidPosted ? size : 0.0).StoreUnsafe(ref traceBidSize, (nuint)j);
                Vector512.Create(askPosted ? size : 0.0).StoreUnsafe(ref traceAskSize, (nuint)j);
                boughts.StoreUnsafe(ref traceBought, (nuint)j);
                solds.StoreUnsafe(ref traceSold, (nuint)j);
                xs.StoreUnsafe(ref tracePnl, (nuint)j);
            }

            // What chains from step to step, in step order: cash and drawdown, the running sums, adverse selection.
            // Three short loops, each with its own accumulators in registers (one loop over all of them spilled them).
            var pk = peak;
            var dd = maxDd;
            if (!filling)
            {
                // No fill: each step's cash is FMA(+0, ask, FMA(−0, bid, cash)), which is cash itself: exactly when cash
                // is not zero, and +0 from +0 whatever the prices' signs. (Cash is never −0: it starts at +0, and a fused
                // multiply-add gives −0 only from a −0 addend.) The marks need no chain through it.
                var marks = Vector512.FusedMultiplyAdd(qNews, vs1, Vector512.Create(cash));
                marks.StoreUnsafe(ref b0, Block.Mark * 8);
                if (tracing) Vector512.Create(cash).StoreUnsafe(ref traceCash, (nuint)j);
                for (var k = 0; k < steps; k++)
                {
                    var mark = Unsafe.Add(ref b0, (Block.Mark * 8) + k);
                    pk = MaxNative(pk, mark);
                    dd = MaxNative(dd, pk - mark);
                }
            }
            else
            {
                var c = cash;
                for (var k = 0; k < steps; k++)
                {
                    if (tracing) Unsafe.Add(ref traceCash, j + k) = c;
                    c = Math.FusedMultiplyAdd(Unsafe.Add(ref b0, (Block.Sold * 8) + k), Unsafe.Add(ref b0, (Block.Ask * 8) + k),
                        Math.FusedMultiplyAdd(-Unsafe.Add(ref b0, (Block.Bought * 8) + k), Unsafe.Add(ref b0, (Block.Bid * 8) + k), c));
                    var mark = Math.FusedMultiplyAdd(Unsafe.Add(ref b0, (Block.Inventory * 8) + k), Unsafe.Add(ref b0, (Block.NextMid * 8) + k), c);
                    pk = MaxNative(pk, mark);
                    dd = MaxNative(dd, pk - mark);
                }
                cash = c;
            }
            peak = pk;
            maxDd = dd;

            double spread = spreadSum, edge = edgeSum, carry = carrySum, fills = filled, pnl = pnlSum, pnl2 = pnlSquares, loss2 = down2, qs = qSum, q2 = qSquares, qMax = maxAbsQ;
            for (var k = 0; k < steps; k++)
            {
                spread += Unsafe.Add(ref b0, (Block.Spread * 8) + k);
                edge += Unsafe.Add(ref b0, (Block.Edge * 8) + k);
                carry += Unsafe.Add(ref b0, (Block.Carry * 8) + k);
                fills += Unsafe.Add(ref b0, (Block.Filled * 8) + k);
                var xk = Unsafe.Add(ref b0, (Block.Pnl * 8) + k);
                pnl += xk;
                pnl2 = Math.FusedMultiplyAdd(xk, xk, pnl2);
                var loss = Unsafe.Add(ref b0, (Block.Loss * 8) + k);
                loss2 = Math.FusedMultiplyAdd(loss, loss, loss2);
                var qNew = Unsafe.Add(ref b0, (Block.Inventory * 8) + k);
                qs += qNew;
                q2 = Math.FusedMultiplyAdd(qNew, qNew, q2);
                qMax = MaxNative(qMax, Math.Abs(qNew));
            }
            (spreadSum, edgeSum, carrySum, filled, pnlSum, pnlSquares, down2, qSum, qSquares, maxAbsQ) = (spread, edge, carry, fills, pnl, pnl2, loss2, qs, q2, qMax);
            if (capped && both)
            {
                for (var k = 0; k < steps; k++) spreadCount += 1.0;
            }

            // Adverse selection, four horizons at a time (four independent chains of fused multiply-adds; a horizon
            // past the last repeats the last, unstored): the lagged inventory q_{i+1−h} of step i = j + k is the
            // inventory column's entry L + i − h, this block's own once stored.
            qNews.StoreUnsafe(ref past, (nuint)(longest + j));
            for (var h = 0; h < horizonCount; h += 4)
            {
                var h1 = Math.Min(h + 1, horizonCount - 1);
                var h2 = Math.Min(h + 2, horizonCount - 1);
                var h3 = Math.Min(h + 3, horizonCount - 1);
                ref var lag0 = ref Unsafe.Add(ref past, longest + j - horizons[h]);
                ref var lag1 = ref Unsafe.Add(ref past, longest + j - horizons[h1]);
                ref var lag2 = ref Unsafe.Add(ref past, longest + j - horizons[h2]);
                ref var lag3 = ref Unsafe.Add(ref past, longest + j - horizons[h3]);
                double a0 = adverse[h], a1 = adverse[h1], a2 = adverse[h2], a3 = adverse[h3];
                for (nint k = 0; k < steps; k++)
                {
                    var move = Unsafe.Add(ref b0, (Block.Move * 8) + k);
                    a0 = Math.FusedMultiplyAdd(move, Unsafe.Add(ref lag0, k), a0);
                    a1 = Math.FusedMultiplyAdd(move, Unsafe.Add(ref lag1, k), a1);
                    a2 = Math.FusedMultiplyAdd(move, Unsafe.Add(ref lag2, k), a2);
                    a3 = Math.FusedMultiplyAdd(move, Unsafe.Add(ref lag3, k), a3);
                }
                adverse[h] = a0;
                adverse[h1] = a1;
                adverse[h2] = a2;
                adverse[h3] = a3;
            }
            j += steps;
            var last = steps - 1;
            if (filling)
            {
                // The block's last step filled: the lane kernel's q + bought − sold, from the decision bits (not a
                // reload of the stored vector, which would put a store-to-load forward on the path to the next block).
                q = q + (((bidBits >> last) & 1) != 0 ? size : 0.0) - (((askBits >> last) & 1) != 0 ? size : 0.0);
            }
            vbid = Unsafe.Add(ref b0, (Block.Bid * 8) + last);
            vask = Unsafe.Add(ref b0, (Block.Ask * 8) + last);
            bought = Unsafe.Add(ref b0, (Block.Bought * 8) + last);
            sold = Unsafe.Add(ref b0, (Block.Sold * 8) + last);
            x = Unsafe.Add(ref b0, (Block.Pnl * 8) + last);
        }

        // The ring rows of the chunk's last L + 1 steps, for the next chunk (whichever kernel runs it).
        var first = Math.Max(0, count - longest - 1);
        for (int t = first, row = RingRow(start + first, 0); t < count; t++, row = row + 1 == _plan.Ring ? 0 : row + 1) Unsafe.Add(ref ringQ, row * lanes) = history[longest + t];
        if (!capped) spreadCount += count;
        for (var h = 0; h < horizonCount; h++) Adverse[h][0] = adverse[h];
        Q[0] = q;
        Cash[0] = cash;
        if (tracing)
        {
            _traceQ[count] = q;
            _traceCash[count] = cash;
        }
        SpreadSum[0] = spreadSum;
        SpreadCount[0] = spreadCount;
        Edge[0] = edgeSum;
        Carry[0] = carrySum;
        Fills[0] += Math.Round(filled / size);
        PnlMean[0] = pnlSum;
        PnlM2[0] = pnlSquares;
        Downside2[0] = down2;
        Peak[0] = peak;
        MaxDrawdown[0] = maxDd;
        QMean[0] = qSum;
        QM2[0] = qSquares;
        MaxAbsQ[0] = maxAbsQ;
        Bid[0] = vbid;
        Ask[0] = vask;
        BidFill[0] = bought;
        AskFill[0] = sold;
        StepPnl[0] = x;
    }

    /// <summary>The vector kernel's maximum (x86: the first operand if greater, else the second), on one value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double MaxNative(double a, double b) => Vector128.MaxNative(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe(b)).ToScalar();
}

/// <summary>Which quotes of steps j … j+7 fill, for one path holding inventory q throughout (lane i: step j + i).</summary>
internal interface ISoloHits
{
    void Of(in AffineRateInputs inputs, int j, double q, Vector512<ulong> draws, out Vector512<double> bidHit, out Vector512<double> askHit);
}

/// <summary>Quotes that do not lean on inventory: each step's 32-bit thresholds, as <see cref="FlatHits"/>.</summary>
internal readonly struct FlatSoloHits : ISoloHits
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Of(in AffineRateInputs inputs, int j, double q, Vector512<ulong> draws, out Vector512<double> bidHit, out Vector512<double> askHit)
    {
        bidHit = Vector512.LessThan(draws >>> 32, Vector512.LoadUnsafe(ref inputs.BidThresholdRef(j))).AsDouble();
        askHit = Vector512.LessThan(draws & Vector512.Create(0xFFFFFFFFUL), Vector512.LoadUnsafe(ref inputs.AskThresholdRef(j))).AsDouble();
    }
}

/// <summary>Exponential intensities with one k: the rates of <see cref="SharedExponentialRates"/>, step by step in the lanes.</summary>
internal readonly struct SharedSoloHits<TFill> : ISoloHits
    where TFill : struct, IProbability
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Of(in AffineRateInputs inputs, int j, double q, Vector512<ulong> draws, out Vector512<double> bidHit, out Vector512<double> askHit)
    {
        VectorExp.ExpPair(Vector512.Create(q) * Vector512.LoadUnsafe(ref inputs.NegKSlopeRef(j)), out var e, out var inverse);
        var bidRate = Vector512.LoadUnsafe(ref inputs.BidCRef(j)) * e;
        var askRate = Vector512.LoadUnsafe(ref inputs.AskCRef(j)) * inverse;
        VectorXoshiro.UniformPair(draws, out var uBid, out var uAsk);
        bidHit = Vector512.LessThan(uBid, default(TFill).Of(bidRate, inputs.Fills));
        askHit = Vector512.LessThan(uAsk, default(TFill).Of(askRate, inputs.Fills));
    }
}
