using System.Runtime.Intrinsics;

namespace MarketMaking.Core.Backtest;

/// <summary>
/// Gathers one strategy's results from every batch into arrays indexed by path (or by batch), then reduces them in
/// path order: nothing depends on which thread ran which batch. Means and standard errors come from each batch's
/// <see cref="Moments"/>, merged in batch order; per-path values are kept only where something reads them path by
/// path (P&amp;L, Sharpe ratio, final inventory and drawdown always, the rest with <see cref="BacktestSpec.KeepPathOutcomes"/>): at
/// 2·10^5 paths the other nine arrays and the three markout horizons' would be 19 MB of fresh memory per strategy, written
/// once and read once.
/// </summary>
internal sealed class Collector
{
    private readonly RunPlan _plan;
    private readonly int _n;
    private readonly double[] _pnl, _finalQ, _maxDd, _sharpe;
    private readonly KeptOutcomes? _kept;

    // Per batch: the moments of each averaged quantity (Quantities of them, at batch·Quantities), and max |q|.
    private const int PnlMoments = 0, FinalInventoryMoments = 1, SpreadCaptureMoments = 2, InventoryPnlMoments = 3, HedgePnlMoments = 4,
        FillsMoments = 5, AverageSpreadMoments = 6, SharpeMoments = 7, SortinoMoments = 8, MaxDrawdownMoments = 9, InventoryMoments = 10,
        AdverseMoments = 11;
    private readonly int _quantities;
    private readonly Moments[] _moments;
    private readonly double[] _batchMaxAbsQ;
    private readonly double[] _fanPnl, _fanQ, _tail;
    private readonly FillRecord[][] _batchFills;
    private readonly double[][][] _batchMarkouts;
    private readonly bool[] _batchTruncated;

    // Path 0.
    private readonly int[] _step;
    private readonly double[] _time, _mid, _bid, _ask, _q, _cash, _pnl0, _bidFill, _askFill;

    // Strategy diagnostics, one array per name, indexed by path.
    private readonly IReadOnlyList<string> _diagnosticNames;
    private readonly double[][] _diagnostics;

    public Collector(RunPlan plan, IReadOnlyList<string> diagnosticNames)
    {
        _diagnosticNames = diagnosticNames;
        _diagnostics = new double[diagnosticNames.Count][];
        for (var d = 0; d < _diagnostics.Length; d++) _diagnostics[d] = new double[plan.Paths];
        _plan = plan;
        _n = plan.Paths;
        double[] New() => new double[_n];
        _pnl = New(); _finalQ = New(); _maxDd = New(); _sharpe = New();
        if (plan.Spec.KeepPathOutcomes) _kept = new KeptOutcomes(_n, plan.Horizons.Length);
        _quantities = AdverseMoments + plan.Horizons.Length;
        _moments = new Moments[plan.Batches * _quantities];
        _batchMaxAbsQ = new double[plan.Batches];
        _fanPnl = new double[plan.DistributionPaths * plan.FanRows];
        _fanQ = new double[plan.DistributionPaths * plan.FanRows];
        _tail = new double[plan.DistributionPaths * plan.TailColumns];
        _batchFills = new FillRecord[plan.Batches][];
        _batchMarkouts = new double[plan.Batches][][];
        _batchTruncated = new bool[plan.Batches];
        var rows = plan.Rows;
        _step = new int[rows];
        _time = new double[rows]; _mid = new double[rows]; _bid = new double[rows]; _ask = new double[rows]; _q = new double[rows];
        _cash = new double[rows]; _pnl0 = new double[rows]; _bidFill = new double[rows]; _askFill = new double[rows];
    }

    public void RecordFan(LaneBook book, int row, long firstPath, int lanes, ReadOnlySpan<double> mid)
    {
        for (var lane = 0; lane < lanes; lane++)
        {
            var at = FanIndex(_plan, firstPath + lane, row);
            _fanPnl[at] = book.Cash[lane] + book.Q[lane] * mid[lane] + book.HedgeMark[lane];
            _fanQ[at] = book.Q[lane];
        }
    }

    public void RecordTail(ReadOnlySpan<double> stepPnl, int column, long firstPath, int lanes)
    {
        for (var lane = 0; lane < lanes; lane++) _tail[(firstPath + lane) * _plan.TailColumns + column] = stepPnl[lane];
    }

    public void RecordPath0Before(LaneBook book, int row, int step, double time, double mid)
    {
        _step[row] = step;
        _time[row] = time;
        _mid[row] = mid;
        _q[row] = book.Q[0];
        _cash[row] = book.Cash[0];
        _pnl0[row] = book.Cash[0] + book.Q[0] * mid + book.HedgeMark[0];
    }

    public void RecordPath0After(LaneBook book, int row)
    {
        _bid[row] = book.BidSize[0] > 0 ? book.Bid[0] : double.NaN;
        _ask[row] = book.AskSize[0] > 0 ? book.Ask[0] : double.NaN;
        _bidFill[row] = book.BidFill[0];
        _askFill[row] = book.AskFill[0];
    }

    /// <summary>The final row (step n) has no quotes and no fills.</summary>
    public void RecordPath0Final(int row)
    {
        _bid[row] = double.NaN;
        _ask[row] = double.NaN;
        _bidFill[row] = 0;
        _askFill[row] = 0;
    }

    public void Finish(LaneBook book, int batch, long firstPath, int realLanes, ReadOnlySpan<double> finalMid)
    {
        var steps = _plan.Steps;
        var at = (int)firstPath;
        var pnl = _pnl.AsSpan(at, realLanes);
        Span<double> averageSpread = stackalloc double[realLanes];
        var sharpe = _sharpe.AsSpan(at, realLanes);
        Span<double> sortino = stackalloc double[realLanes];
        LaneOutcomes(book, steps, finalMid, pnl, averageSpread, sharpe, sortino);
        var maxAbsQ = double.NaN;
        for (var lane = 0; lane < realLanes; lane++) maxAbsQ = MaxAsEnumerable(maxAbsQ, book.MaxAbsQ[lane]);
        ReadOnlySpan<double> Lanes(double[] values) => values.AsSpan(0, realLanes);
        Lanes(book.Q).CopyTo(_finalQ.AsSpan(at));
        Lanes(book.MaxDrawdown).CopyTo(_maxDd.AsSpan(at));
        var moments = _moments.AsSpan(batch * _quantities, _quantities);
        moments[PnlMoments] = Moments.Of(pnl);
        moments[FinalInventoryMoments] = Moments.Of(Lanes(book.Q));
        moments[SpreadCaptureMoments] = Moments.Of(Lanes(book.Edge));
        moments[InventoryPnlMoments] = Moments.Of(Lanes(book.Carry));
        moments[HedgePnlMoments] = Moments.Of(Lanes(book.HedgePnl));
        moments[FillsMoments] = Moments.Of(Lanes(book.Fills));
        moments[AverageSpreadMoments] = Moments.Of(averageSpread);
        moments[SharpeMoments] = Moments.Of(sharpe);
        moments[SortinoMoments] = Moments.Of(sortino);
        moments[MaxDrawdownMoments] = Moments.Of(Lanes(book.MaxDrawdown));
        // Inventory pooled over every path-step: each path's (mean, M2) over its steps, pooled (Chan et al.).
        moments[InventoryMoments] = Moments.Pooled(steps, Lanes(book.QMean), Lanes(book.QM2));
        for (var h = 0; h < _plan.Horizons.Length; h++) moments[AdverseMoments + h] = Moments.Of(Lanes(book.Adverse[h]));
        _batchMaxAbsQ[batch] = maxAbsQ;
        if (_kept is { } kept)
        {
            Lanes(book.Edge).CopyTo(kept.SpreadCapture.AsSpan(at));
            Lanes(book.Carry).CopyTo(kept.InventoryPnl.AsSpan(at));
            Lanes(book.HedgePnl).CopyTo(kept.HedgePnl.AsSpan(at));
            Lanes(book.Fills).CopyTo(kept.Fills.AsSpan(at));
            averageSpread.CopyTo(kept.AverageSpread.AsSpan(at));
            sortino.CopyTo(kept.Sortino.AsSpan(at));
            Lanes(book.QMean).CopyTo(kept.InventoryMean.AsSpan(at));
            Lanes(book.QM2).CopyTo(kept.InventoryM2.AsSpan(at));
            Lanes(book.MaxAbsQ).CopyTo(kept.MaxAbsInventory.AsSpan(at));
            for (var h = 0; h < kept.AdverseSelection.Length; h++) Lanes(book.Adverse[h]).CopyTo(kept.AdverseSelection[h].AsSpan(at));
        }
        if (_diagnostics.Length > 0)
        {
            Span<double> values = stackalloc double[_diagnostics.Length];
            for (var lane = 0; lane < realLanes; lane++)
            {
                if (!book.Diagnostics(lane, values)) break;
                for (var d = 0; d < values.Length; d++) _diagnostics[d][firstPath + lane] = values[d];
            }
        }
        // Loops and arrays rather than LINQ and lists over the fill records: each framework generic over a value type
        // is a JIT compilation per run.
        var horizons = _plan.Horizons.Length;
        var rows = book.FillRows.AsSpan();
        var markoutValues = book.Markouts.AsSpan();
        var sampled = 0;
        Span<int> perLane = stackalloc int[RunPlan.BatchLanes + 1];
        perLane.Clear();
        foreach (ref readonly var row in rows)
        {
            if (row.Path >= _plan.Paths) continue;
            if (row.Path < _plan.DistributionPaths) sampled++;
            if (row.Path == 0 || _plan.Spec.AllFills) perLane[row.Lane + 1]++;
        }
        var samples = new double[horizons][];
        for (var h = 0; h < horizons; h++) samples[h] = new double[sampled];
        // Rows come in step order across lanes, bid before ask within a step; reports want path, then step: a
        // stable placement by lane (paths ascend with lanes) gives that order.
        for (var lane = 1; lane < perLane.Length; lane++) perLane[lane] += perLane[lane - 1];
        var fills = new FillRecord[perLane[^1]];
        var sample = 0;
        foreach (ref readonly var row in rows)
        {
            if (row.Path >= _plan.Paths) continue;
            if (row.Path < _plan.DistributionPaths)
            {
                for (var h = 0; h < horizons; h++) samples[h][sample] = markoutValues[row.MarkoutIndex + h];
                sample++;
            }
            if (row.Path == 0 || _plan.Spec.AllFills)
            {
                var markouts = new double[horizons];
                for (var h = 0; h < horizons; h++) markouts[h] = markoutValues[row.MarkoutIndex + h];
                fills[perLane[row.Lane]++] = new FillRecord(row.Path, row.Step, row.Time, row.Side, row.Price, row.Mid, row.Quantity, row.InventoryAfter, markouts);
            }
        }
        _batchFills[batch] = fills;
        _batchMarkouts[batch] = samples;
        _batchTruncated[batch] = book.Truncated;
    }

    /// <summary>
    /// Each lane's final P&amp;L, average spread, and Sharpe and Sortino ratios of its one-step P&amp;L, eight lanes at a
    /// time where 512-bit vectors are native: four divisions and two square roots a path were most of a batch's
    /// reduction, and both round exactly, so the vector lanes give the scalar formula's bits.
    /// </summary>
    private static void LaneOutcomes(LaneBook book, int steps, ReadOnlySpan<double> finalMid, Span<double> pnl, Span<double> averageSpread,
        Span<double> sharpe, Span<double> sortino)
    {
        var lane = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var zero = Vector512<double>.Zero;
            var nan = Vector512.Create(double.NaN);
            var stepsLess1 = Vector512.Create((double)(steps - 1));
            var stepCount = Vector512.Create((double)steps);
            for (; lane + Vector512<double>.Count <= pnl.Length; lane += Vector512<double>.Count)
            {
                Vector512<double> Load(double[] values) => Vector512.Create(values.AsSpan(lane, Vector512<double>.Count));
                (Load(book.Cash) + Load(book.Q) * Vector512.Create(finalMid.Slice(lane, Vector512<double>.Count)) + Load(book.HedgeMark)).CopyTo(pnl[lane..]);
                var count = Load(book.SpreadCount);
                Vector512.ConditionalSelect(Vector512.GreaterThan(count, zero), Load(book.SpreadSum) / count, nan).CopyTo(averageSpread[lane..]);
                var mean = Load(book.PnlMean);
                var sd = steps > 1 ? Vector512.Sqrt(Load(book.PnlM2) / stepsLess1) : zero;
                Vector512.ConditionalSelect(Vector512.GreaterThan(sd, zero), mean / sd, nan).CopyTo(sharpe[lane..]);
                var downside = Vector512.Sqrt(Load(book.Downside2) / stepCount);
                Vector512.ConditionalSelect(Vector512.GreaterThan(downside, zero), mean / downside, nan).CopyTo(sortino[lane..]);
            }
        }
        for (; lane < pnl.Length; lane++)
        {
            pnl[lane] = book.Cash[lane] + book.Q[lane] * finalMid[lane] + book.HedgeMark[lane];
            averageSpread[lane] = book.SpreadCount[lane] > 0 ? book.SpreadSum[lane] / book.SpreadCount[lane] : double.NaN;
            var sd = steps > 1 ? Math.Sqrt(book.PnlM2[lane] / (steps - 1)) : 0.0;
            sharpe[lane] = sd > 0 ? book.PnlMean[lane] / sd : double.NaN;
            var downside = Math.Sqrt(book.Downside2[lane] / steps);
            sortino[lane] = downside > 0 ? book.PnlMean[lane] / downside : double.NaN;
        }
    }

    public StrategyResult Finish(string name)
    {
        var outcomes = new PathOutcomes
        {
            Pnl = _pnl, FinalInventory = _finalQ, MaxDrawdown = _maxDd, Sharpe = _sharpe,
            SpreadCapture = _kept?.SpreadCapture, InventoryPnl = _kept?.InventoryPnl, HedgePnl = _kept?.HedgePnl, Fills = _kept?.Fills,
            AverageSpread = _kept?.AverageSpread, Sortino = _kept?.Sortino, InventoryMean = _kept?.InventoryMean,
            InventoryM2 = _kept?.InventoryM2, MaxAbsInventory = _kept?.MaxAbsInventory, AdverseSelection = _kept?.AdverseSelection,
        };
        var markoutSamples = new double[_plan.Horizons.Length][];
        for (var h = 0; h < markoutSamples.Length; h++) markoutSamples[h] = Concatenate(_batchMarkouts, b => b[h]);
        var metrics = Metrics(outcomes, markoutSamples);
        return new StrategyResult
        {
            Name = name,
            Metrics = metrics,
            Outcomes = outcomes,
            Path0 = new PathSeries(_step, _time, _mid, _bid, _ask, _q, _cash, _pnl0, _bidFill, _askFill),
            PnlFan = Fan(_plan, _fanPnl),
            InventoryFan = Fan(_plan, _fanQ),
            Fills = Concatenate(_batchFills, b => b),
            FillsTruncated = Array.IndexOf(_batchTruncated, true) >= 0,
            MarkoutSamples = markoutSamples,
            Diagnostics = _diagnosticNames.Select((n, d) => new StrategyDiagnostic(n, _diagnostics[d], Statistics.Mean(_diagnostics[d]))).ToArray(),
        };
    }

    /// <summary>
    /// The batches' arrays end to end, in batch order (batches a run never reached are null); the array itself when
    /// only one batch has any (a single path's million fills are not copied).
    /// </summary>
    private static TItem[] Concatenate<TBatch, TItem>(TBatch?[] batches, Func<TBatch, TItem[]> items)
        where TBatch : class
    {
        var length = 0;
        TItem[]? only = null;
        var parts = 0;
        foreach (var batch in batches)
        {
            if (batch is null) continue;
            var part = items(batch);
            if (part.Length == 0) continue;
            length += part.Length;
            only = part;
            parts++;
        }
        if (parts == 1) return only!;
        var result = new TItem[length];
        var at = 0;
        foreach (var batch in batches)
        {
            if (batch is null) continue;
            var part = items(batch);
            part.CopyTo(result, at);
            at += part.Length;
        }
        return result;
    }

    private StrategyMetrics Metrics(PathOutcomes o, double[][] markoutSamples)
    {
        // Every batch's moments merged in batch order, so the figures do not depend on which thread ran which batch.
        var totals = new Moments[_quantities];
        var maxAbsQ = double.NaN;
        for (var b = 0; b < _plan.Batches; b++)
        {
            for (var k = 0; k < _quantities; k++) totals[k] = totals[k].Then(_moments[b * _quantities + k]);
            maxAbsQ = MaxAsEnumerable(maxAbsQ, _batchMaxAbsQ[b]);
        }
        var inventory = totals[InventoryMoments];
        var groups = _n >= 20 ? 10 : 1;
        // Batch means over 10 contiguous blocks: blocks of paths, or of time when there is one path.
        const int tailGroups = 10;
        // In place: the tail sample is read only here, and a copy of up to 2^22 values costs time and memory.
        var tails = Statistics.WithBatchErrorsInPlace(_tail, tailGroups, v =>
        {
            var (var95, es95, var99, es99) = Statistics.Tails(v);
            return [var95, es95, var99, es99];
        });
        var markouts = new MarkoutMetrics[_plan.Horizons.Length];
        var markoutTails = new double[2];
        // One scratch copy for every horizon's quantiles (they reorder it; the samples themselves are reported).
        var scratch = new double[markoutSamples.Length == 0 ? 0 : markoutSamples.Max(m => m.Length)];
        for (var h = 0; h < markouts.Length; h++)
        {
            var sample = markoutSamples[h];
            sample.CopyTo(scratch, 0);
            Statistics.Quantiles(scratch.AsSpan(0, sample.Length), [0.05, 0.95], markoutTails);
            markouts[h] = new MarkoutMetrics(_plan.Horizons[h], totals[AdverseMoments + h].Estimate, Statistics.Mean(sample).Value,
                markoutTails[0], markoutTails[1], sample.Length);
        }
        // The P&L is kept in path order (paired differences); its 5% quantile reorders a copy, made in the tail sample's
        // memory when that is large enough: the tails are done with it, and fresh memory costs a page fault per 4 KB.
        var pnlCopy = _tail.Length >= _n ? _tail.AsSpan(0, _n) : new double[_n];
        o.Pnl.CopyTo(pnlCopy);
        return new StrategyMetrics
        {
            Paths = _n,
            AvgSpread = totals[AverageSpreadMoments].Estimate,
            Profit = totals[PnlMoments].Estimate,
            ProfitStd = totals[PnlMoments].Std,
            FinalInventory = totals[FinalInventoryMoments].Estimate,
            FinalInventoryStd = totals[FinalInventoryMoments].Std,
            InventoryMean = inventory.Count > 0 ? inventory.Mean : double.NaN,
            InventoryStd = inventory.Std,
            MaxAbsInventory = maxAbsQ,
            Fills = totals[FillsMoments].Estimate,
            SpreadCapture = totals[SpreadCaptureMoments].Estimate,
            InventoryPnl = totals[InventoryPnlMoments].Estimate,
            HedgePnl = totals[HedgePnlMoments].Estimate,
            Markouts = markouts,
            Sharpe = totals[SharpeMoments].Estimate,
            Sortino = totals[SortinoMoments].Estimate,
            MaxDrawdown = totals[MaxDrawdownMoments].Estimate,
            Var95 = tails[0],
            Es95 = tails[1],
            Var99 = tails[2],
            Es99 = tails[3],
            PnlP05 = Statistics.WithBatchErrorsInPlace(pnlCopy, groups, v => [Statistics.Quantile(v, 0.05)])[0],
        };
    }

    /// <summary>Where a fan series keeps path <paramref name="path"/>'s value at fan row <paramref name="row"/>: row by row, so each row's quantiles read one contiguous block.</summary>
    public static long FanIndex(RunPlan plan, long path, int row) => (long)row * plan.DistributionPaths + path;

    /// <summary>Quantiles across the distribution paths at each fan row; <paramref name="values"/> is laid out by <see cref="FanIndex"/>.</summary>
    public static FanSeries Fan(RunPlan plan, double[] values)
    {
        var rows = plan.FanRows;
        var paths = plan.DistributionPaths;
        var probabilities = RunPlan.FanProbabilities;
        var result = new double[probabilities.Length][];
        for (var k = 0; k < result.Length; k++) result[k] = new double[rows];
        var column = new double[paths];
        Span<double> quantiles = stackalloc double[probabilities.Length];
        for (var r = 0; r < rows; r++)
        {
            values.AsSpan((int)FanIndex(plan, 0, r), paths).CopyTo(column);
            Statistics.Quantiles(column, probabilities, quantiles);
            for (var k = 0; k < probabilities.Length; k++) result[k][r] = quantiles[k];
        }
        return new FanSeries(RunPlan.RowSteps(plan.Steps, plan.FanEvery), probabilities, result);
    }

    /// <summary>The running maximum as Enumerable.Max takes it (start from NaN): NaN only if every value is.</summary>
    private static double MaxAsEnumerable(double max, double value) => value > max || double.IsNaN(max) ? value : max;

    /// <summary>The per-path outcomes that only <see cref="BacktestSpec.KeepPathOutcomes"/> keeps.</summary>
    private sealed class KeptOutcomes
    {
        public KeptOutcomes(int paths, int horizons)
        {
            double[] New() => new double[paths];
            SpreadCapture = New(); InventoryPnl = New(); HedgePnl = New(); Fills = New(); AverageSpread = New(); Sortino = New();
            InventoryMean = New(); InventoryM2 = New(); MaxAbsInventory = New();
            // Loops rather than Select over int or double arrays: each such instantiation is compiled at run time in every process.
            AdverseSelection = new double[horizons][];
            for (var h = 0; h < horizons; h++) AdverseSelection[h] = New();
        }

        public double[] SpreadCapture { get; }
        public double[] InventoryPnl { get; }
        public double[] HedgePnl { get; }
        public double[] Fills { get; }
        public double[] AverageSpread { get; }
        public double[] Sortino { get; }
        public double[] InventoryMean { get; }
        public double[] InventoryM2 { get; }
        public double[] MaxAbsInventory { get; }
        public double[][] AdverseSelection { get; }
    }
}
