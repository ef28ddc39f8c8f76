using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Backtest;

/// <summary>
/// The affine kernel for a batch with one real path (a historical replay, or a last batch of one): lane 0 alone,
/// scalar, with the same operations as <see cref="AffineKernel{THits, TCap}"/> so every outcome is bit-identical.
/// One path's steps are a chain (fill → inventory → next quote → next fill probability), and evaluating the rates on
/// that chain costs an exponential's latency per step. Here the fill decisions of eight steps are evaluated at once,
/// as vectors over steps, at the inventory held now: they are the path's decisions up to its next fill, which changes
/// the inventory, so evaluation starts again from the step after it. Without fills (a quote far from the mid, or most
/// steps of a slowly filled book) that is one vector evaluation per eight steps; with a fill every step, one per step,
/// still off the statistics' chains.
/// </summary>
internal sealed partial class LaneBook
{
    /// <summary>Set by <see cref="Begin"/>: the batch has one real path, and the other lanes are padding nobody reads.</summary>
    private bool _solo;

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
        var horizonCount = _plan.Horizons.Length;
        var capped = default(TCap).Capped;
        var size = _quoteSize;
        var cap = _cap;
        var inputs = new AffineRateInputs(_plan.Bid, _plan.Ask, _f.BidADt, _f.AskADt, _f.BidC, _f.AskC, _f.NegKSlope, _f.BidThreshold, _f.AskThreshold, _f.BidTable, _f.AskTable, _quoteSize, default, _plan.Spec.Fills);
        var lagShifts = RingOffsets(start, count);

        // The chunk's draws first: the generator's chain is independent of the book's.
        var rng = Xoshiro256StarStar.FromState(_r0[0], _r1[0], _r2[0], _r3[0]);
        var draws = _soloDraws;
        for (var j = 0; j < count; j++) draws[j] = rng.NextUInt64();
        rng.ExportState(out _r0[0], out _r1[0], out _r2[0], out _r3[0]);

        ref var mid0 = ref MemoryMarshal.GetReference(mids);
        ref var slopes = ref MemoryMarshal.GetArrayDataReference(_f.Slope);
        ref var halves = ref MemoryMarshal.GetArrayDataReference(_f.Half);
        ref var ringQ = ref MemoryMarshal.GetArrayDataReference(_ringQ);
        ref var rowOffsets = ref MemoryMarshal.GetArrayDataReference(_rowOffset);
        var ownShift = _plan.Ring - 1;
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

        for (var j = 0; j < count;)
        {
            // The decisions of steps j … j+7 at the inventory held now, valid up to the first step that fills.
            var block = Math.Min(8, count - j);
            var bidPosted = !capped || q + size <= cap;
            var askPosted = !capped || q - size >= -cap;
            default(THits).Of(inputs, j, q, Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(draws), (nuint)j), out var bidHits, out var askHits);
            var bidBits = bidPosted ? (uint)bidHits.ExtractMostSignificantBits() : 0u;
            var askBits = askPosted ? (uint)askHits.ExtractMostSignificantBits() : 0u;
            // Steps up to and including the first that fills; its fill changes the inventory, so the next block starts after it.
            var steps = Math.Min(block, BitOperations.TrailingZeroCount(bidBits | askBits) + 1);
            for (var k = 0; k < steps; k++, j++)
            {
                var vs = Unsafe.Add(ref mid0, j * lanes);
                var vs1 = Unsafe.Add(ref mid0, (j + 1) * lanes);
                var r = vs - q * Unsafe.Add(ref slopes, j);
                var half = Unsafe.Add(ref halves, j);
                vbid = r - half;
                vask = r + half;
                bought = ((bidBits >> k) & 1) != 0 ? size : 0.0;
                sold = ((askBits >> k) & 1) != 0 ? size : 0.0;
                if (tracing)
                {
                    var row = j;
                    Unsafe.Add(ref traceQ, row) = q;
                    Unsafe.Add(ref traceCash, row) = cash;
                    Unsafe.Add(ref traceBid, row) = vbid;
                    Unsafe.Add(ref traceAsk, row) = vask;
                    Unsafe.Add(ref traceBidSize, row) = bidPosted ? size : 0.0;
                    Unsafe.Add(ref traceAskSize, row) = askPosted ? size : 0.0;
                    Unsafe.Add(ref traceBought, row) = bought;
                    Unsafe.Add(ref traceSold, row) = sold;
                }
                cash = Math.FusedMultiplyAdd(sold, vask, Math.FusedMultiplyAdd(-bought, vbid, cash));
                var edge = Math.FusedMultiplyAdd(sold, vask - vs, bought * (vs - vbid));
                var qNew = q + bought - sold;
                var move = vs1 - vs;
                var carry = qNew * move;
                x = edge + carry;
                if (tracing) Unsafe.Add(ref tracePnl, j) = x;
                if (capped)
                {
                    var both = bidPosted && askPosted;
                    spreadSum += both ? vask - vbid : 0.0;
                    spreadCount += both ? 1.0 : 0.0;
                }
                else
                {
                    spreadSum += vask - vbid;
                }
                edgeSum += edge;
                carrySum += carry;
                filled += bought + sold;
                pnlSum += x;
                pnlSquares = Math.FusedMultiplyAdd(x, x, pnlSquares);
                var loss = MinNative(x, 0.0);
                down2 = Math.FusedMultiplyAdd(loss, loss, down2);
                var mark = Math.FusedMultiplyAdd(qNew, vs1, cash);
                peak = MaxNative(peak, mark);
                maxDd = MaxNative(maxDd, peak - mark);
                qSum += qNew;
                qSquares = Math.FusedMultiplyAdd(qNew, qNew, qSquares);
                maxAbsQ = MaxNative(maxAbsQ, Math.Abs(qNew));
                for (var h = 0; h < adverse.Length; h++) adverse[h] = Math.FusedMultiplyAdd(move, Unsafe.Add(ref ringQ, Unsafe.Add(ref rowOffsets, j + lagShifts[h])), adverse[h]);
                Unsafe.Add(ref ringQ, Unsafe.Add(ref rowOffsets, j + ownShift)) = qNew;
                q = qNew;
            }
        }

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

    /// <summary>The vector kernel's minimum (x86: the first operand if less, else the second), on one value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double MinNative(double a, double b) => Vector128.MinNative(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe(b)).ToScalar();

    /// <summary>The vector kernel's maximum, on one value.</summary>
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
