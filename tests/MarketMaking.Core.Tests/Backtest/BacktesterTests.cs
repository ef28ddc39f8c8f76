using MarketMaking.Core.Backtest;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Tests.Backtest;

public class BacktesterTests
{
    [Fact]
    public void Run_EveryPath_SpreadCapturePlusInventoryPnlEqualsTotal()
    {
        // Given the paper's setting, 300 paths, Poisson fills, every per-path outcome kept
        var result = Backtester.Run(PaperSetting.Spec(0.1, 300, fills: PoissonFills.Instance) with { KeepPathOutcomes = true });

        // Then on every path of every strategy: P&L = spread capture + inventory P&L (to rounding)
        foreach (var s in result.Strategies)
        {
            var o = s.Outcomes;
            for (var p = 0; p < o.Pnl.Length; p++)
            {
                (o.SpreadCapture![p] + o.InventoryPnl![p]).Should().BeApproximately(o.Pnl[p], 1e-9 * (1 + Math.Abs(o.Pnl[p])));
            }
            s.Metrics.Profit.Value.Should().BeApproximately(s.Metrics.SpreadCapture.Value + s.Metrics.InventoryPnl.Value, 1e-9);
        }
    }

    [Fact]
    public void Run_OneVersusTwoThreads_IdenticalResults()
    {
        // Given the same spec run with 1 and with 2 threads (several batches, so threads really interleave)
        var one = Backtester.Run(PaperSetting.Spec(0.1, 700, threads: 1));
        var two = Backtester.Run(PaperSetting.Spec(0.1, 700, threads: 2));

        // Then every per-path outcome and every metric is bit-identical
        for (var s = 0; s < one.Strategies.Count; s++)
        {
            one.Strategies[s].Outcomes.Pnl.Should().Equal(two.Strategies[s].Outcomes.Pnl);
            one.Strategies[s].Outcomes.Sharpe.Should().Equal(two.Strategies[s].Outcomes.Sharpe);
            one.Strategies[s].Metrics.Should().BeEquivalentTo(two.Strategies[s].Metrics);
            one.Strategies[s].PnlFan.Values.Should().BeEquivalentTo(two.Strategies[s].PnlFan.Values, o => o.WithStrictOrdering());
            one.Strategies[s].Fills.Select(f => (f.Path, f.Step, f.Price)).Should().Equal(two.Strategies[s].Fills.Select(f => (f.Path, f.Step, f.Price)));
        }
    }

    [Fact]
    public void Run_PathOutcomesNotKept_SameMetricsAndOnlyTheReportedArrays()
    {
        // Given the same run (several batches) with every per-path outcome kept, and without
        var spec = PaperSetting.Spec(0.1, 700, fills: PoissonFills.Instance);
        var kept = Backtester.Run(spec with { KeepPathOutcomes = true });
        var summary = Backtester.Run(spec);

        for (var s = 0; s < kept.Strategies.Count; s++)
        {
            var k = kept.Strategies[s];
            var o = summary.Strategies[s].Outcomes;
            // Then the metrics are bit-identical: they come from the batches' moments either way
            summary.Strategies[s].Metrics.Should().BeEquivalentTo(k.Metrics);
            // and only P&L, Sharpe, final inventory and drawdown are kept without the option
            o.Pnl.Should().Equal(k.Outcomes.Pnl);
            o.Sharpe.Should().Equal(k.Outcomes.Sharpe);
            o.FinalInventory.Should().Equal(k.Outcomes.FinalInventory);
            o.MaxDrawdown.Should().Equal(k.Outcomes.MaxDrawdown);
            new object?[] { o.SpreadCapture, o.InventoryPnl, o.HedgePnl, o.Fills, o.AverageSpread, o.Sortino, o.InventoryMean, o.InventoryM2, o.MaxAbsInventory, o.AdverseSelection }
                .Should().OnlyContain(a => a == null);
        }
    }

    [Fact]
    public void Run_Metrics_MatchTwoPassStatisticsOfThePerPathOutcomes()
    {
        // Given a run of 700 paths (three batches, the last one partial) with every per-path outcome kept
        var result = Backtester.Run(PaperSetting.Spec(0.1, 700, fills: PoissonFills.Instance, maxInventory: 4) with { KeepPathOutcomes = true });

        foreach (var s in result.Strategies)
        {
            var o = s.Outcomes;
            var m = s.Metrics;
            // Then each mean and standard error from the merged batch moments agrees with a two-pass over every path
            void Agrees(Estimate actual, double[] perPath)
            {
                var expected = Statistics.Mean(perPath);
                actual.Value.Should().BeApproximately(expected.Value, 1e-12 * (1 + Math.Abs(expected.Value)));
                actual.StandardError.Should().BeApproximately(expected.StandardError, 1e-10 * expected.StandardError);
            }
            Agrees(m.Profit, o.Pnl);
            Agrees(m.FinalInventory, o.FinalInventory);
            Agrees(m.SpreadCapture, o.SpreadCapture!);
            Agrees(m.InventoryPnl, o.InventoryPnl!);
            Agrees(m.Fills, o.Fills!);
            Agrees(m.AvgSpread, o.AverageSpread!);
            Agrees(m.Sharpe, o.Sharpe);
            Agrees(m.Sortino, o.Sortino!);
            Agrees(m.MaxDrawdown, o.MaxDrawdown);
            Agrees(m.Markouts[1].AdverseSelection, o.AdverseSelection![1]);
            m.ProfitStd.Should().BeApproximately(Statistics.MeanAndStd(o.Pnl).Std, 1e-10 * m.ProfitStd);
            m.MaxAbsInventory.Should().Be(o.MaxAbsInventory!.Max());
            // and the inventory pooled over every path-step is each path's (mean, M2) over 200 steps, combined
            var grand = o.InventoryMean!.Average();
            var pooledM2 = o.InventoryM2!.Select((m2, p) => m2 + 200 * (o.InventoryMean![p] - grand) * (o.InventoryMean![p] - grand)).Sum();
            m.InventoryMean.Should().BeApproximately(grand, 1e-12);
            m.InventoryStd.Should().BeApproximately(Math.Sqrt(pooledM2 / (200.0 * 700 - 1)), 1e-10);
        }
    }

    [Fact]
    public void Run_Strategies_SeeTheSameMidPaths()
    {
        var result = Backtester.Run(PaperSetting.Spec(0.1, 50));

        result.Strategies[0].Path0.Mid.Should().Equal(result.Strategies[1].Path0.Mid);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(3.0)]
    public void Run_InventoryCap_NeverBreached(double cap)
    {
        // Given a cap and the symmetric strategy, whose inventory wanders far without one (max |q| ≈ 30)
        var result = Backtester.Run(PaperSetting.Spec(0.01, 200, maxInventory: cap) with { AllFills = true });

        // Then no path ever holds more than the cap, at any step
        foreach (var s in result.Strategies)
        {
            s.Metrics.MaxAbsInventory.Should().BeLessThanOrEqualTo(cap);
            s.Fills.Should().OnlyContain(f => Math.Abs(f.InventoryAfter) <= cap);
            s.Outcomes.FinalInventory.Should().OnlyContain(q => Math.Abs(q) <= cap);
        }
        // and the cap binds: some path reached it
        result.Strategies[1].Metrics.MaxAbsInventory.Should().Be(cap);
    }

    [Fact]
    public void Run_ScalarReferenceLoop_MatchesVectorEngineExactly()
    {
        // Given an independent scalar implementation of the paper's loop on the same streams
        const ulong seed = 42;
        var result = Backtester.Run(PaperSetting.Spec(0.1, 9, seed) with { Fills = PoissonFills.Instance, KeepPathOutcomes = true });

        // Then every path's P&L, inventory and fill count agree, and its average spread, Sharpe and Sortino ratios (paths
        // 0-7 are reduced as one vector of lanes, path 8 alone)
        for (var path = 0; path < 9; path++)
        {
            var (pnl, q, fills, stepPnl, averageSpread) = ReferencePath(seed, path, 0.1);
            var o = result.Strategies[0].Outcomes;
            o.Pnl[path].Should().BeApproximately(pnl, 1e-9);
            o.FinalInventory[path].Should().Be(q);
            o.Fills![path].Should().Be(fills);
            var mean = stepPnl.Average();
            var sd = Math.Sqrt(stepPnl.Sum(x => (x - mean) * (x - mean)) / (stepPnl.Length - 1));
            var downside = Math.Sqrt(stepPnl.Sum(x => Math.Min(x, 0) * Math.Min(x, 0)) / stepPnl.Length);
            o.Sharpe[path].Should().BeApproximately(mean / sd, 1e-9 * Math.Abs(mean / sd), $"path {path}");
            o.Sortino![path].Should().BeApproximately(mean / downside, 1e-9 * Math.Abs(mean / downside), $"path {path}");
            o.AverageSpread![path].Should().BeApproximately(averageSpread, 1e-12, $"path {path}");
        }
    }

    /// <summary>
    /// The loop written out plainly: quote, fill with p = 1 − e^(−A·e^(−kδ)·dt), then the binomial move; with each
    /// step's marked-to-market P&amp;L change and the average quoted spread.
    /// </summary>
    private static (double Pnl, double Q, double Fills, double[] StepPnl, double AverageSpread) ReferencePath(ulong seed, int path, double gamma)
    {
        var market = Xoshiro256StarStar.ForStream(seed, (ulong)path, BacktestStreams.Market);
        var fills = Xoshiro256StarStar.ForStream(seed, (ulong)path, BacktestStreams.Fills);
        double s = 100, q = 0, cash = 0, count = 0, spreads = 0;
        var stepPnl = new double[200];
        for (var i = 0; i < 200; i++)
        {
            var markBefore = cash + q * s;
            var tau = 1.0 - i * 0.005;
            var r = s - q * gamma * 4 * tau;
            var half = Math.Log(1 + gamma / 1.5) / gamma + 0.5 * gamma * 4 * tau;
            double bid = r - half, ask = r + half;
            // The engine draws once per step: the output's high 32 bits are the bid's uniform, its low 32 bits the ask's.
            var draw = fills.NextUInt64();
            var uBid = (draw >> 32) * (1.0 / 4294967296.0);
            var uAsk = (draw & 0xFFFFFFFF) * (1.0 / 4294967296.0);
            if (uBid < 1 - Math.Exp(-140 * Math.Exp(-1.5 * (s - bid)) * 0.005)) { q++; cash -= bid; count++; }
            if (uAsk < 1 - Math.Exp(-140 * Math.Exp(-1.5 * (ask - s)) * 0.005)) { q--; cash += ask; count++; }
            s += (market.NextDouble() < 0.5 ? 1 : -1) * 2 * Math.Sqrt(0.005);
            stepPnl[i] = cash + q * s - markBefore;
            spreads += ask - bid;
        }
        return (cash + q * s, q, count, stepPnl, spreads / 200);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Run_FixedDepthQuotes_FillAtTheModelsProbability(bool poisson)
    {
        // Given quotes always 0.5 from the mid: λ = 140·e^(−0.75) = 66.13, λ·dt = 0.3307
        var intensity = new ExponentialIntensity(140, 1.5);
        IFillModel model = poisson ? PoissonFills.Instance : LinearFills.Instance;
        var spec = new BacktestSpec
        {
            Market = new SyntheticMarket(new BinomialProcess(2.0), 100, 0.005, 1.0),
            BidIntensity = intensity,
            AskIntensity = intensity,
            Fills = model,
            Strategies = [new FixedDepth(0.5)],
            Paths = 400,
            KeepPathOutcomes = true,
        };

        // When run
        var result = Backtester.Run(spec);

        // Then fills per path average 2·200·p within 4 standard errors
        var p = model.Probability(140 * Math.Exp(-1.5 * 0.5) * 0.005);
        var fills = result.Strategies[0].Metrics.Fills;
        fills.Value.Should().BeApproximately(400 * p, 4 * fills.StandardError);
        // and the spread capture is exactly 0.5 per unit filled
        result.Strategies[0].Outcomes.SpreadCapture![0].Should().BeApproximately(0.5 * result.Strategies[0].Outcomes.Fills![0], 1e-9);
    }

    [Fact]
    public void Run_UnpostedQuotes_NeverFill()
    {
        var spec = PaperSetting.Spec(0.1, 20) with { Strategies = [new FixedDepth(double.NaN)], KeepPathOutcomes = true };

        var result = Backtester.Run(spec);

        result.Strategies[0].Outcomes.Fills.Should().OnlyContain(f => f == 0);
        result.Strategies[0].Outcomes.Pnl.Should().OnlyContain(p => p == 0);
        result.Strategies[0].Path0.Bid.Take(200).Should().OnlyContain(b => double.IsNaN(b));
    }

    [Fact]
    public void Run_SeriesMarket_ReplaysTheMids()
    {
        // Given a short historical series with uneven times
        double[] mid = [100, 100.5, 100.2, 99.8, 100.1];
        double[] time = [0, 0.01, 0.03, 0.04, 0.06];
        var spec = PaperSetting.Spec(0.1, 1) with { Market = new SeriesMarket(mid, time, 0.01), TimeseriesEvery = 1 };

        var result = Backtester.Run(spec);

        // Then path 0 sees exactly those mids at those times, and τ runs to 0 at the last row
        result.Steps.Should().Be(4);
        result.Horizon.Should().BeApproximately(0.06, 1e-15);
        result.Strategies[0].Path0.Mid.Should().Equal(mid);
        result.Strategies[0].Path0.Time.Should().Equal(time);
    }

    [Theory]
    [InlineData("paths")]
    [InlineData("quote_size")]
    [InlineData("max_inventory")]
    [InlineData("markout_horizons")]
    [InlineData("threads")]
    public void Run_InvalidSpec_ThrowsNamingTheKey(string field)
    {
        var spec = PaperSetting.Spec(0.1, 10);
        spec = field switch
        {
            "paths" => spec with { Paths = 0 },
            "quote_size" => spec with { QuoteSize = double.NaN },
            "max_inventory" => spec with { MaxInventory = -1 },
            "markout_horizons" => spec with { MarkoutHorizons = [0] },
            _ => spec with { Threads = -1 },
        };

        ((Action)(() => Backtester.Run(spec))).Should().Throw<InputException>().Which.Field.Should().Be(field);
    }

    [Fact]
    public void Run_StrategyListedTwice_ThrowsNamingTheFirstRepeatedName()
    {
        // Given strategies A, B, B, A (both repeat; A comes first in the list)
        var spec = PaperSetting.Spec(0.1, 10);
        var (a, b) = (spec.Strategies[0], spec.Strategies[1]);
        a.Name.Should().NotBe(b.Name);

        // When run / Then the run is refused under `compare`, naming A
        var thrown = ((Action)(() => Backtester.Run(spec with { Strategies = [a, b, b, a] }))).Should().Throw<InputException>().Which;
        thrown.Field.Should().Be("compare");
        thrown.Message.Should().Contain($"strategy '{a.Name}' is listed twice");
    }

    [Fact]
    public void Run_Cancelled_Throws()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        ((Action)(() => Backtester.Run(PaperSetting.Spec(0.1, 100), cancel.Token))).Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public async Task WarmUp_BeforeAndBetweenRuns_LeavesResultsUnchanged()
    {
        // Given a paper run
        var before = Backtester.Run(PaperSetting.Spec(0.1, 40, seed: 9));

        // When the warm-ups run (on another thread, as the tool runs them: the Monte Carlo one, the one-path one) and the same run follows
        await Task.Run(() => Backtester.WarmUp());
        await Task.Run(() => Backtester.WarmUp(onePath: true));
        var after = Backtester.Run(PaperSetting.Spec(0.1, 40, seed: 9));

        // Then the run is unchanged: the warm-up shares no state with it
        for (var s = 0; s < before.Strategies.Count; s++)
        {
            after.Strategies[s].Outcomes.Pnl.Should().Equal(before.Strategies[s].Outcomes.Pnl);
            after.Strategies[s].Metrics.Should().BeEquivalentTo(before.Strategies[s].Metrics);
        }
    }

    [Theory]
    [InlineData(false, null, new[] { 1, 10, 50 })]
    [InlineData(true, 3.0, new[] { 1, 10, 50 })]
    [InlineData(false, null, new[] { 7 })]
    [InlineData(false, 2.0, new[] { 1, 2, 3, 5, 8, 13 })]
    public void Run_AffineFastPath_BitIdenticalToGeneralKernel(bool poisson, double? cap, int[] horizons)
    {
        // Given the same run twice: once with the affine quoters (time-inner kernel beyond the first path's batch),
        // once with the same quoters hidden behind a plain IQuoter (general kernel everywhere); one to six markout
        // horizons (the affine kernel keeps four sums in registers and any more in memory)
        var fast = PaperSetting.Spec(0.1, 300, maxInventory: cap, fills: poisson ? PoissonFills.Instance : LinearFills.Instance)
            with { DistributionPaths = 1, KeepPathOutcomes = true, MarkoutHorizons = horizons };
        var general = fast with { Strategies = fast.Strategies.Select(s => (IQuotingStrategy)new Opaque(s)).ToArray() };

        // When both run
        var a = Backtester.Run(fast);
        var b = Backtester.Run(general);

        // Then every per-path outcome is bit-identical
        for (var s = 0; s < a.Strategies.Count; s++)
        {
            var x = a.Strategies[s].Outcomes;
            var y = b.Strategies[s].Outcomes;
            x.Pnl.Should().Equal(y.Pnl);
            x.FinalInventory.Should().Equal(y.FinalInventory);
            x.SpreadCapture.Should().Equal(y.SpreadCapture);
            x.InventoryPnl.Should().Equal(y.InventoryPnl);
            x.Sharpe.Should().Equal(y.Sharpe);
            x.Sortino.Should().Equal(y.Sortino);
            x.MaxDrawdown.Should().Equal(y.MaxDrawdown);
            x.InventoryM2.Should().Equal(y.InventoryM2);
            x.AverageSpread.Should().Equal(y.AverageSpread);
            x.Fills.Should().Equal(y.Fills);
            x.AdverseSelection.Should().HaveCount(horizons.Length);
            for (var h = 0; h < horizons.Length; h++) x.AdverseSelection![h].Should().Equal(y.AdverseSelection![h]);
        }
    }

    [Theory]
    [InlineData(false, null, 1, 150, true)]
    [InlineData(true, 3.0, 7, 150, true)]
    [InlineData(false, null, 13, 1, false)]
    [InlineData(false, 2.0, 5, 70, false)]
    [InlineData(true, null, 3, 1, true)]
    public void Run_TracedRecordingBatches_BitIdenticalToGeneralKernel(bool poisson, double? cap, int every, int paths, bool allFills)
    {
        // Given runs whose every path is recorded (distribution paths, path 0, all fills), so every batch replays the
        // affine kernel's trace; and the same quoters hidden behind a plain IQuoter (general kernel step by step)
        var traced = PaperSetting.Spec(0.1, paths, maxInventory: cap, fills: poisson ? PoissonFills.Instance : LinearFills.Instance)
            with { AllFills = allFills, TimeseriesEvery = every, DistributionPaths = Math.Max(1, paths / 2) };
        var general = traced with { Strategies = traced.Strategies.Select(s => (IQuotingStrategy)new Opaque(s)).ToArray() };

        // When both run
        var a = Backtester.Run(traced);
        var b = Backtester.Run(general);

        // Then the metrics, path 0's series, the fans and every recorded fill with its markouts are bit-identical
        for (var s = 0; s < a.Strategies.Count; s++)
        {
            var x = a.Strategies[s];
            var y = b.Strategies[s];
            x.Metrics.Should().BeEquivalentTo(y.Metrics);
            x.Outcomes.Pnl.Should().Equal(y.Outcomes.Pnl);
            foreach (var (u, v) in new[] { (x.Path0.Bid, y.Path0.Bid), (x.Path0.Ask, y.Path0.Ask), (x.Path0.Inventory, y.Path0.Inventory), (x.Path0.Cash, y.Path0.Cash),
                         (x.Path0.Pnl, y.Path0.Pnl), (x.Path0.BidFill, y.Path0.BidFill), (x.Path0.AskFill, y.Path0.AskFill) })
            {
                u.Should().Equal(v);
            }
            for (var q = 0; q < x.PnlFan.Values.Length; q++)
            {
                x.PnlFan.Values[q].Should().Equal(y.PnlFan.Values[q]);
                x.InventoryFan.Values[q].Should().Equal(y.InventoryFan.Values[q]);
            }
            x.Fills.Should().HaveCountGreaterThan(3);
            x.Fills.Should().BeEquivalentTo(y.Fills, o => o.WithStrictOrdering());
        }
    }

    [Theory]
    [InlineData(1, false, null, 1.0, 100.0)]
    [InlineData(1, true, 4.0, 1.0, 100.0)]
    [InlineData(1, false, 2.5, 0.1, 100.0)]
    [InlineData(1, false, null, 1.0, 0.5)]
    [InlineData(257, false, null, 1.0, 100.0)]
    [InlineData(257, true, 3.0, 0.5, 0.0)]
    public void Run_OnePathBatch_BitIdenticalToGeneralKernel(int paths, bool poisson, double? cap, double quoteSize, double s0)
    {
        // Given a long horizon (3000 steps: many chunks, quotes from far to close), whose batches of one path (the run's
        // only path, or the last of 257) take the one-path kernel; quote sizes whose sums are inexact (0.1), caps the
        // inventory reaches, and mids near zero (prices of both signs, where cash's zeros keep their signs); and the same
        // quoters hidden behind a plain IQuoter (general kernel step by step)
        var paper = PaperSetting.Spec(0.1, paths, maxInventory: cap, fills: poisson ? PoissonFills.Instance : LinearFills.Instance);
        var spec = paper with
        {
            Market = new SyntheticMarket(new BinomialProcess(2.0), s0, 0.005, 15.0),
            QuoteSize = quoteSize,
            TimeseriesEvery = 7,
            DistributionPaths = 1,
            KeepPathOutcomes = true,
        };
        var general = spec with { Strategies = spec.Strategies.Select(s => (IQuotingStrategy)new Opaque(s)).ToArray() };

        // When both run
        var a = Backtester.Run(spec);
        var b = Backtester.Run(general);

        // Then the last path's outcomes, the metrics, path 0's series and its fills are bit-identical, and it traded
        for (var s = 0; s < a.Strategies.Count; s++)
        {
            var x = a.Strategies[s];
            var y = b.Strategies[s];
            x.Outcomes.Fills![^1].Should().BeGreaterThan(20);
            foreach (var (u, v) in new[] { (x.Outcomes.Pnl, y.Outcomes.Pnl), (x.Outcomes.FinalInventory, y.Outcomes.FinalInventory), (x.Outcomes.MaxDrawdown, y.Outcomes.MaxDrawdown),
                         (x.Outcomes.Sortino!, y.Outcomes.Sortino!), (x.Outcomes.InventoryM2!, y.Outcomes.InventoryM2!), (x.Outcomes.AverageSpread!, y.Outcomes.AverageSpread!),
                         (x.Outcomes.AdverseSelection![1], y.Outcomes.AdverseSelection![1]), (x.Path0.Inventory, y.Path0.Inventory), (x.Path0.Cash, y.Path0.Cash), (x.Path0.Bid, y.Path0.Bid) })
            {
                u.Should().Equal(v);
            }
            x.Metrics.Should().BeEquivalentTo(y.Metrics);
            x.Fills.Should().BeEquivalentTo(y.Fills, o => o.WithStrictOrdering());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(70)]
    public void Run_AllFills_InPathStepBuyFirstOrder(int paths)
    {
        // Given every path's fills recorded, over batches of many lanes whose fills interleave step by step
        var spec = PaperSetting.Spec(0.1, paths) with { AllFills = true, DistributionPaths = paths };

        // When it runs
        var fills = Backtester.Run(spec).Strategies[0].Fills;

        // Then the fills are ordered by path, then step, buys before sells, and each has its markouts
        fills.Should().HaveCountGreaterThan(10 * paths);
        fills.Select(f => (f.Path, f.Step, -f.Side)).Should().BeInAscendingOrder();
        fills.Select(f => f.Path).Distinct().Should().HaveCount(paths);
        fills.Should().OnlyContain(f => f.Markouts.Length == spec.MarkoutHorizons.Count);
    }

    /// <summary>The same strategy without its affine fast path.</summary>
    private sealed record Opaque(IQuotingStrategy Inner) : IQuotingStrategy
    {
        public string Name => Inner.Name;

        public IQuoter CreateQuoter(in QuoterSetup setup) => new Quoter(Inner.CreateQuoter(setup));

        private sealed class Quoter(IQuoter inner) : IQuoter
        {
            public void Quote(in QuoteRequest request, in QuoteResponse response) => inner.Quote(request, response);
        }
    }

    /// <summary>Quotes a fixed distance from the mid on both sides (NaN: posts nothing).</summary>
    private sealed record FixedDepth(double Depth) : IQuotingStrategy
    {
        public string Name => "fixed";

        public IQuoter CreateQuoter(in QuoterSetup setup) => new Quoter(Depth);

        private sealed class Quoter(double depth) : IQuoter
        {
            public void Quote(in QuoteRequest request, in QuoteResponse response)
            {
                for (var i = 0; i < request.Mid.Length; i++)
                {
                    response.Bid[i] = request.Mid[i] - depth;
                    response.Ask[i] = request.Mid[i] + depth;
                }
            }
        }
    }
}
