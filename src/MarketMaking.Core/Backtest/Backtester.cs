using MarketMaking.Core.Intensity;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;

namespace MarketMaking.Core.Backtest;

/// <summary>
/// The event-loop backtester (seed section 6): for every path and step, quote from (S_t, q_t, τ), turn quote depths
/// into intensities and fill probabilities, fill, update inventory and cash, and account the P&amp;L components.
/// Monte Carlo paths run in batches of <see cref="RunPlan.BatchLanes"/> across threads; each path draws from its own
/// streams (seed, path, market) and (seed, path, fills), and every result is stored by path index and reduced in
/// path order, so the output is bit-identical for any thread count. All strategies replay the same market paths.
/// </summary>
public static class Backtester
{
    public static BacktestResult Run(BacktestSpec spec, CancellationToken cancel = default)
    {
        s_realRunStarted = true;
        return RunSpec(spec, cancel);
    }

    /// <summary>Set by the first real run: a warm-up still going then stops, rather than take a core from it.</summary>
    private static volatile bool s_realRunStarted;

    private static BacktestResult RunSpec(BacktestSpec spec, CancellationToken cancel)
    {
        spec.Validate();
        var plan = new RunPlan(spec);
        // Loops rather than Select over the strategies, here and in the workspace: LINQ's iterators are cold code that
        // each process, and the warm-up before the kernels it compiles, would pay for.
        var collectors = new Collector[spec.Strategies.Count];
        for (var s = 0; s < collectors.Length; s++)
        {
            collectors[s] = new Collector(plan, (spec.Strategies[s] as Quoting.IDiagnosticStrategy)?.DiagnosticNames ?? []);
        }
        var midFan = new double[plan.DistributionPaths * plan.FanRows];
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = spec.Threads > 0 ? spec.Threads : Environment.ProcessorCount,
            CancellationToken = cancel,
        };
        try
        {
            Parallel.For(0, plan.Batches, options, () => new Workspace(plan, spec.Strategies), (batch, _, workspace) =>
            {
                RunBatch(plan, batch, workspace, collectors, midFan, cancel);
                return workspace;
            }, workspace => workspace.Dispose());
        }
        catch (AggregateException e) when (e.InnerException is InputException or OperationCanceledException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        var strategies = new StrategyResult[collectors.Length];
        FanSeries? midFanSeries = null;
        // The mid fan's quantiles beside the strategies' reductions: one more independent piece for the cores.
        Parallel.For(0, collectors.Length + 1, options, s =>
        {
            if (s < collectors.Length) strategies[s] = collectors[s].Finish(spec.Strategies[s].Name);
            else midFanSeries = Collector.Fan(plan, midFan);
        });
        return new BacktestResult
        {
            Spec = spec,
            Steps = plan.Steps,
            Horizon = plan.Horizon,
            TimeseriesEvery = plan.Every,
            DistributionPaths = plan.DistributionPaths,
            Strategies = strategies,
            MidFan = midFanSeries!,
            Differences = PairedDifferences(strategies),
        };
    }

    /// <summary>
    /// Runs tiny backtests in the paper's setting (one batch of 64 paths, enough for the inventory strategy's
    /// threshold tables, as a full batch uses them; or, for a one-path history, one path, which takes the one-path
    /// kernel; two steps; the Avellaneda–Stoikov and symmetric strategies; linear, then Poisson fills) and discards
    /// them, so that the vector kernels they use are compiled: ReadyToRun cannot precompile AVX-512 code, and the tool
    /// calls this on its spare core while it reads its arguments and configuration, so a real run of that setting
    /// finds its kernels ready. Once a real run has started, the next tiny backtest is skipped: the run compiles what it
    /// still needs, and the core is its own.
    /// </summary>
    public static void WarmUp(bool onePath = false)
    {
        var intensity = new ExponentialIntensity(140, 1.5);
        foreach (var fills in new IFillModel[] { LinearFills.Instance, PoissonFills.Instance })
        {
            if (s_realRunStarted) return;
            RunSpec(new BacktestSpec
            {
                Market = new SyntheticMarket(new BinomialProcess(2.0), 100, 0.5, 1.0),
                BidIntensity = intensity,
                AskIntensity = intensity,
                Fills = fills,
                Strategies = [new AvellanedaStoikovStrategy(0.1, 1.5, 2.0), new SymmetricStrategy(0.1, 1.5, 2.0)],
                Paths = onePath ? 1 : 64,
                Threads = 1,
                MarkoutHorizons = [1],
                DistributionPaths = 1,
            }, CancellationToken.None);
        }
    }

    private static PairedDifference[] PairedDifferences(StrategyResult[] strategies)
    {
        var baseline = strategies[0];
        var differences = new PairedDifference[strategies.Length - 1];
        for (var s = 1; s < strategies.Length; s++)
        {
            differences[s - 1] = new PairedDifference(strategies[s].Name, baseline.Name, StrategyComparison.PairedMean(strategies[s].Outcomes.Pnl, baseline.Outcomes.Pnl));
        }
        return differences;
    }

    /// <summary>A worker's reusable buffers: the chunk of mid paths and step lengths.</summary>
    private sealed class Workspace(RunPlan plan, IReadOnlyList<Quoting.IQuotingStrategy> strategies) : IDisposable
    {
        public readonly LaneBook[] Books = NewBooks(plan, strategies);
        public readonly double[] Mids = new double[(RunPlan.ChunkSteps + 1) * RunPlan.BatchLanes];
        public readonly double[] HedgeMids = plan.Spec.Market.HasHedge ? new double[(RunPlan.ChunkSteps + 1) * RunPlan.BatchLanes] : [];
        public readonly double[] Times = new double[RunPlan.ChunkSteps];
        public readonly ulong[] FillStreams = new ulong[4 * RunPlan.BatchLanes];
        public readonly double[] Dts = new double[RunPlan.ChunkSteps];
        public RunPlan Plan { get; } = plan;

        private static LaneBook[] NewBooks(RunPlan plan, IReadOnlyList<Quoting.IQuotingStrategy> strategies)
        {
            var books = new LaneBook[strategies.Count];
            for (var s = 0; s < books.Length; s++) books[s] = new LaneBook(plan, strategies[s]);
            return books;
        }

        public void Dispose()
        {
        }
    }

    private static void RunBatch(RunPlan plan, int batch, Workspace workspace, Collector[] collectors, double[] midFan, CancellationToken cancel)
    {
        var spec = plan.Spec;
        long firstPath = (long)batch * RunPlan.BatchLanes;
        var realLanes = (int)Math.Min(RunPlan.BatchLanes, plan.Paths - firstPath);
        // Pad to the vector width (eight doubles); padding lanes simulate paths beyond the last and are never reported.
        var lanes = (realLanes + 7) / 8 * 8;
        var books = workspace.Books;
        LaneBook.FillStreamStates(spec.Seed, firstPath, lanes, workspace.FillStreams);
        foreach (var book in books) book.Begin(firstPath, lanes, realLanes, workspace.FillStreams);
        var distributionLanes = (int)Math.Clamp(plan.DistributionPaths - firstPath, 0, realLanes);
        var recordPath0 = firstPath == 0;
        var fast = distributionLanes == 0 && !recordPath0 && !spec.AllFills;
        var mids = workspace.Mids.AsSpan(0, (RunPlan.ChunkSteps + 1) * lanes);
        mids[..lanes].Fill(spec.Market.InitialMid);
        var hedged = spec.Market.HasHedge;
        var hedgeMids = hedged ? workspace.HedgeMids.AsSpan(0, (RunPlan.ChunkSteps + 1) * lanes) : Span<double>.Empty;
        if (hedged) hedgeMids[..lanes].Fill(spec.Market.InitialHedgeMid);
        var time = 0.0;
        int nextFan = 0, nextRow = 0, nextTail = 0;
        using var cursor = spec.Market.Open(firstPath, lanes, spec.Seed);
        for (var start = 0; start < plan.Steps; start += RunPlan.ChunkSteps)
        {
            cancel.ThrowIfCancellationRequested();
            var count = Math.Min(RunPlan.ChunkSteps, plan.Steps - start);
            cursor.Next(count, mids.Slice(lanes, count * lanes), workspace.Times.AsSpan(0, count), workspace.Dts.AsSpan(0, count));
            if (hedged) cursor.NextHedge(count, hedgeMids.Slice(lanes, count * lanes));
            if (fast)
            {
                // Nothing to record step by step: strategies with affine quotes run the chunk time-inner, the others step by step.
                foreach (var book in books)
                {
                    if (book.Affine)
                    {
                        book.RunAffineChunk(start, count, time, workspace.Times.AsSpan(0, count), workspace.Dts.AsSpan(0, count), mids[..((count + 1) * lanes)]);
                        continue;
                    }
                    var t = time;
                    for (var j = 0; j < count; j++)
                    {
                        book.Step(start + j, t, plan.Horizon - t, workspace.Dts[j], mids.Slice(j * lanes, lanes), mids.Slice((j + 1) * lanes, lanes),
                            hedged ? hedgeMids.Slice(j * lanes, lanes) : default, hedged ? hedgeMids.Slice((j + 1) * lanes, lanes) : default);
                        t = workspace.Times[j];
                    }
                }
                time = workspace.Times[count - 1];
            }
            else
            {
                // Recording batches: affine books still run the time-inner kernel, with a per-step trace that the
                // loop below replays to the recorders (the general kernel's per-step work is ~10x the kernel's).
                var traced = !hedged;
                if (traced)
                {
                    foreach (var book in books)
                    {
                        if (!book.Affine) continue;
                        book.RunAffineChunk(start, count, time, workspace.Times.AsSpan(0, count), workspace.Dts.AsSpan(0, count), mids[..((count + 1) * lanes)], trace: true);
                    }
                }
                var times = workspace.Times.AsSpan(0, count);
                // The mid fan, shared by the strategies.
                for (var i = nextFan; distributionLanes > 0 && i < start + count; i += plan.FanEvery)
                {
                    var fanRow = i / plan.FanEvery;
                    var mid = mids.Slice((i - start) * lanes, lanes);
                    for (var lane = 0; lane < distributionLanes; lane++) midFan[Collector.FanIndex(plan, firstPath + lane, fanRow)] = mid[lane];
                }
                for (var s = 0; s < books.Length; s++)
                {
                    var book = books[s];
                    var collector = collectors[s];
                    if (traced && book.Affine)
                    {
                        Replay(plan, book, collector, start, count, time, times, mids, lanes, firstPath, distributionLanes, recordPath0, nextFan, nextRow, nextTail);
                        continue;
                    }
                    var t = time;
                    int fan = nextFan, row = nextRow, tail = nextTail;
                    for (var j = 0; j < count; j++)
                    {
                        var i = start + j;
                        var mid = mids.Slice(j * lanes, lanes);
                        var next = mids.Slice((j + 1) * lanes, lanes);
                        // Recorded steps by counters, not divisions: this loop runs once per step of a 10^7-step history.
                        var fanRow = distributionLanes > 0 && i == fan ? i / plan.FanEvery : -1;
                        var path0Row = recordPath0 && i == row ? i / plan.Every : -1;
                        var tailColumn = distributionLanes > 0 && i == tail ? i / plan.TailStride : -1;
                        if (fanRow >= 0) collector.RecordFan(book, fanRow, firstPath, distributionLanes, mid);
                        if (path0Row >= 0) collector.RecordPath0Before(book, path0Row, i, t, mid[0]);
                        book.Step(i, t, plan.Horizon - t, workspace.Dts[j], mid, next,
                            hedged ? hedgeMids.Slice(j * lanes, lanes) : default, hedged ? hedgeMids.Slice((j + 1) * lanes, lanes) : default);
                        if (path0Row >= 0) collector.RecordPath0After(book, path0Row);
                        if (tailColumn >= 0) collector.RecordTail(book.StepPnl, tailColumn, firstPath, distributionLanes);
                        if (fanRow >= 0) fan += plan.FanEvery;
                        if (path0Row >= 0) row += plan.Every;
                        if (tailColumn >= 0) tail += plan.TailStride;
                        t = times[j];
                    }
                }
                var end = start + count;
                if (distributionLanes > 0)
                {
                    while (nextFan < end) nextFan += plan.FanEvery;
                    while (nextTail < end) nextTail += plan.TailStride;
                }
                if (recordPath0)
                {
                    while (nextRow < end) nextRow += plan.Every;
                }
                time = times[count - 1];
                if (traced)
                {
                    foreach (var book in books)
                    {
                        if (book.Affine) book.EndReplay(count - 1);
                    }
                }
            }
            mids.Slice(count * lanes, lanes).CopyTo(mids[..lanes]);
            if (hedged) hedgeMids.Slice(count * lanes, lanes).CopyTo(hedgeMids[..lanes]);
        }
        var final = mids[..lanes];
        if (distributionLanes > 0)
        {
            for (var lane = 0; lane < distributionLanes; lane++) midFan[Collector.FanIndex(plan, firstPath + lane, plan.FanRows - 1)] = final[lane];
        }
        for (var s = 0; s < books.Length; s++)
        {
            books[s].FinishMarkouts(final);
            books[s].FinishQuoter(plan.Steps, time, final, hedged ? hedgeMids[..lanes] : default);
            if (distributionLanes > 0) collectors[s].RecordFan(books[s], plan.FanRows - 1, firstPath, distributionLanes, final);
            if (recordPath0)
            {
                collectors[s].RecordPath0Before(books[s], plan.Rows - 1, plan.Steps, time, final[0]);
                collectors[s].RecordPath0Final(plan.Rows - 1);
            }
            collectors[s].Finish(books[s], batch, firstPath, realLanes, final);
        }
    }

    /// <summary>
    /// Replays a traced chunk of an affine book to its recorders, visiting only the steps that record something:
    /// fan and path-0 rows, tail samples (read from the trace), tracked fills and due markouts. The rest of a long
    /// history's steps cost nothing here; <see cref="LaneBook.EndReplay"/> then leaves the kernel's final state.
    /// </summary>
    private static void Replay(RunPlan plan, LaneBook book, Collector collector, int start, int count, double time0, ReadOnlySpan<double> times,
        ReadOnlySpan<double> mids, int lanes, long firstPath, int distributionLanes, bool recordPath0, int nextFan, int nextRow, int nextTail)
    {
        var end = start + count;
        // Tail samples straight from the trace: the P&L of step i is the same whatever else the step records.
        // Columns counted up rather than divided: with one path this runs every few steps of a long history.
        for (int i = nextTail, column = nextTail / plan.TailStride; distributionLanes > 0 && i < end; i += plan.TailStride, column++)
        {
            collector.RecordTail(book.TracedPnl(i - start), column, firstPath, distributionLanes);
        }
        var fan = distributionLanes > 0 ? nextFan : int.MaxValue;
        var row = recordPath0 ? nextRow : int.MaxValue;
        for (var j = 0; j < count; j++)
        {
            var i = start + j;
            var recordsState = i == fan || i == row;
            if (!recordsState)
            {
                // Skip to the next step that records anything: a fill or markout, else the next recorded row.
                var due = book.NextDue(j, (int)Math.Min(count, (long)Math.Min(fan, row) - start), start);
                if (due > j)
                {
                    j = due - 1;
                    continue;
                }
            }
            var time = j == 0 ? time0 : times[j - 1];
            var mid = mids.Slice(j * lanes, lanes);
            var next = mids.Slice((j + 1) * lanes, lanes);
            var fanRow = i == fan ? i / plan.FanEvery : -1;
            var path0Row = i == row ? i / plan.Every : -1;
            if (recordsState) book.ReplayBefore(j);
            if (fanRow >= 0) collector.RecordFan(book, fanRow, firstPath, distributionLanes, mid);
            if (path0Row >= 0) collector.RecordPath0Before(book, path0Row, i, time, mid[0]);
            book.ReplayStep(j, i, time, mid, next, full: recordsState);
            if (path0Row >= 0) collector.RecordPath0After(book, path0Row);
            if (fanRow >= 0) fan += plan.FanEvery;
            if (path0Row >= 0) row += plan.Every;
        }
    }
}
