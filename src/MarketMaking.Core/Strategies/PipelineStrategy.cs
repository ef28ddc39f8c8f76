using MarketMaking.Core.Quoting;

namespace MarketMaking.Core.Strategies;

/// <summary>
/// Everything a <see cref="PipelineStrategy"/> does: the seed-003 composition order regime → spread → skew →
/// inventory governor → hedge, each stage optional (null = off) except the spread, plus the seed-002 risk controls.
/// The named strategies (heuristic, spread-centric, skew-centric, inventory-governor, hedged, regime, composite)
/// are this pipeline with different stages on.
/// </summary>
public sealed record PipelineSettings
{
    public required string Name { get; init; }
    public required SpreadStage Spread { get; init; }

    /// <summary>Hard inventory limit of the strategy (its own "max_inventory"): a quote is never sized past it.</summary>
    public required double InventoryLimit { get; init; }

    /// <summary>The volatility signal; required by volatility spreads, volatility scaling, regimes and the volatility pause.</summary>
    public VolatilitySettings? Volatility { get; init; }

    public RegimeSettings? Regime { get; init; }

    /// <summary>Per-regime multipliers; a regime missing here quotes unscaled.</summary>
    public IReadOnlyDictionary<Regime, RegimeTuning> Tuning { get; init; } = new Dictionary<Regime, RegimeTuning>();

    public SkewStage? Skew { get; init; }
    public GovernorStage? Governor { get; init; }
    public HedgeStage? Hedge { get; init; }
    public RiskControls? Risk { get; init; }

    /// <summary>Moving-average windows (steps) of the trend signal (momentum skew, regime detection).</summary>
    public int ShortWindow { get; init; } = 5;

    public int LongWindow { get; init; } = 20;

    /// <summary>Cost per unit of the hedge instrument (the run's), so the per-regime P&amp;L includes the hedge's.</summary>
    public double HedgeCost { get; init; }

    public void Validate()
    {
        Guard.Positive(InventoryLimit, "inventory_limit");
        Guard.AtLeast(ShortWindow, 1, "short_window");
        Guard.AtLeast(LongWindow, 2, "long_window");
        if (ShortWindow >= LongWindow) throw new InputException($"short_window ({ShortWindow}) must be below long_window ({LongWindow})", field: "short_window");
        Guard.NonNegative(HedgeCost, "hedge_cost");
        var needsVolatility = Spread.Mode == SpreadMode.Volatility || Spread.MaxVolScale > 1 || Regime is not null || Risk is { PauseVolRatio: > 0 };
        if (needsVolatility && Volatility is null) throw new InputException("this strategy needs the volatility warm-up", field: "warmup");
    }
}

/// <summary>The composable strategy: see <see cref="PipelineSettings"/>. Per-path state lives in its quoter.</summary>
public sealed class PipelineStrategy : IQuotingStrategy, IDiagnosticStrategy
{
    public PipelineStrategy(PipelineSettings settings)
    {
        settings.Validate();
        Settings = settings;
        var names = new List<string> { "paused_steps", "stop_losses", "daily_stops" };
        if (settings.Regime is not null)
        {
            var regimes = RegimeCount;
            names.AddRange(RegimeNames.All.Take(regimes).Select(r => "steps_" + r));
            names.AddRange(RegimeNames.All.Take(regimes).Select(r => "pnl_" + r));
            names.Add("regime_transitions");
        }
        if (settings.Hedge is not null) names.AddRange(["hedge_position", "residual_inventory", "hedge_traded"]);
        DiagnosticNames = names;
    }

    public PipelineSettings Settings { get; }
    public string Name => Settings.Name;
    public IReadOnlyList<string> DiagnosticNames { get; }

    private int RegimeCount => Settings.Regime is { NewsThreshold: > 0 } ? 4 : 3;

    public IQuoter CreateQuoter(in QuoterSetup setup) => new Quoter(this, setup);

    private sealed class Quoter : IQuoter, IDiagnosticQuoter
    {
        private readonly PipelineStrategy _strategy;
        private readonly PipelineSettings _s;
        private readonly QuoterSetup _setup;
        private readonly LaneVolatility? _volatility;
        private readonly LaneTrend? _trend;
        private readonly RegimeMachine? _regime;
        private readonly RegimeTuning _neutral = new(1, 1, 1);

        // Per-lane state.
        private readonly double[] _bid, _ask, _bidSize, _askSize, _avgCost, _dayStart, _realised, _hedgeCash, _hedgeTraded, _mark, _regimePnl;
        private readonly int[] _lastRefresh, _pauseLeft, _day, _realisedCount, _regimeSteps;
        private readonly bool[] _exiting, _dayStopped;
        private readonly int[] _paused, _stopLosses, _dailyStops;
        private readonly Regime[] _lastRegime;
        private double[]? _finalResidual, _finalHedge;

        public Quoter(PipelineStrategy strategy, in QuoterSetup setup)
        {
            _strategy = strategy;
            _s = strategy.Settings;
            _setup = setup;
            var lanes = setup.Lanes;
            if (_s.Volatility is { } vol) _volatility = new LaneVolatility(vol, lanes);
            if (_s.Regime is not null || _s.Skew is { MomentumSkew: > 0 }) _trend = new LaneTrend(_s.ShortWindow, _s.LongWindow, lanes);
            if (_s.Regime is { } regime) _regime = new RegimeMachine(regime, lanes);
            double[] D() => new double[lanes];
            _bid = D(); _ask = D(); _bidSize = D(); _askSize = D(); _avgCost = D(); _dayStart = D(); _realised = D(); _hedgeCash = D(); _hedgeTraded = D(); _mark = D();
            _regimePnl = new double[lanes * 4];
            _regimeSteps = new int[lanes * 4];
            _lastRefresh = new int[lanes]; _pauseLeft = new int[lanes]; _day = new int[lanes]; _realisedCount = new int[lanes];
            _exiting = new bool[lanes]; _dayStopped = new bool[lanes];
            _paused = new int[lanes]; _stopLosses = new int[lanes]; _dailyStops = new int[lanes];
            _lastRegime = new Regime[lanes];
            Array.Fill(_lastRefresh, int.MinValue / 2);
            Array.Fill(_day, -1);
        }

        public void Quote(in QuoteRequest request, in QuoteResponse response)
        {
            var step = request.Step;
            _volatility?.Observe(step, request.Mid);
            _trend?.Observe(request.Mid);
            var hedged = _s.Hedge is not null && !request.HedgeMid.IsEmpty;
            var risk = _s.Risk;
            var limit = _s.InventoryLimit;
            for (var lane = 0; lane < _setup.Lanes; lane++)
            {
                var mid = request.Mid[lane];
                var q = request.Inventory[lane];
                var boughtLast = request.LastBidFill[lane];
                var soldLast = request.LastAskFill[lane];
                var hedgeMid = hedged ? request.HedgeMid[lane] : 0.0;
                var hedgePosition = hedged ? request.HedgePosition[lane] : 0.0;

                // Mark-to-market since the last step, credited to the regime that quoted it.
                var mark = request.Cash[lane] + q * mid + _hedgeCash[lane] + hedgePosition * hedgeMid;
                if (step > 0) _regimePnl[lane * 4 + (int)_lastRegime[lane]] += mark - _mark[lane];
                if (step > 0) TrackFills(lane, q, boughtLast, soldLast, mid);

                // 1. Regime first: it selects the parameter set.
                var sigma = _volatility?.Volatility(lane) ?? 0.0;
                var volRatio = _volatility is null ? 1.0 : sigma / _volatility.Reference;
                var regime = _regime?.Update(lane, volRatio, Math.Abs(_trend!.Momentum(lane)), _volatility?.Shock(lane) ?? 0.0) ?? Strategies.Regime.MeanReversion;
                _lastRegime[lane] = regime;
                _regimeSteps[lane * 4 + (int)regime]++;
                var tuning = _s.Regime is null ? _neutral : _s.Tuning.GetValueOrDefault(regime, _neutral);

                // 5. Hedge (after the last fills): the later stages see the residual risk, not the raw inventory.
                var exposure = q;
                if (hedged)
                {
                    var target = -_s.Hedge!.Ratio * q;
                    var trade = target - hedgePosition;
                    response.Hedge[lane] = trade;
                    _hedgeCash[lane] -= trade * hedgeMid + Math.Abs(trade) * _s.HedgeCost;
                    _hedgeTraded[lane] += Math.Abs(trade);
                    exposure = q + target;
                    mark -= Math.Abs(trade) * _s.HedgeCost;
                }
                _mark[lane] = mark;

                // Risk controls: pauses, daily stop, stop-loss exit mode.
                var pause = tuning.Pause;
                if (risk is not null) pause |= RiskPause(lane, request.Time, mark, q, mid, volRatio);

                var refresh = risk is null || step - _lastRefresh[lane] >= risk.QuoteRefresh
                    || (risk.CancelOnFill && (boughtLast > 0 || soldLast > 0));
                if (refresh)
                {
                    _lastRefresh[lane] = step;
                    Compose(lane, mid, exposure, sigma, tuning, regime);
                }
                var bidSize = _bidSize[lane];
                var askSize = _askSize[lane];
                if (risk is { CancelOnFill: true })
                {
                    if (boughtLast > 0) askSize = 0;
                    if (soldLast > 0) bidSize = 0;
                }
                var bid = _bid[lane];
                var ask = _ask[lane];
                if (_exiting[lane])
                {
                    // Stop-loss exit: only the side that reduces the position, at the mid.
                    bid = ask = mid;
                    if (q > 0) bidSize = 0; else askSize = 0;
                    bidSize = Math.Min(bidSize, Math.Abs(q));
                    askSize = Math.Min(askSize, Math.Abs(q));
                }
                else if (pause)
                {
                    bidSize = askSize = 0;
                }
                // Hard limit: never size a quote past the strategy's limit (the governor also stops the side at the limit).
                bidSize = Math.Max(0.0, Math.Min(bidSize, limit - q));
                askSize = Math.Max(0.0, Math.Min(askSize, limit + q));
                if (bidSize < 1e-12) bidSize = 0;
                if (askSize < 1e-12) askSize = 0;
                if (bidSize == 0 && askSize == 0) _paused[lane]++;
                response.Bid[lane] = bid;
                response.Ask[lane] = ask;
                response.BidSize[lane] = bidSize;
                response.AskSize[lane] = askSize;
            }
        }

        /// <summary>Stages 2–4 for one lane: spread, skew, governor; stores the prices and sizes.</summary>
        private void Compose(int lane, double mid, double exposure, double sigma, RegimeTuning tuning, Regime regime)
        {
            var s = _s;
            var limit = s.InventoryLimit;
            var ratio = Math.Clamp(exposure / limit, -1.0, 1.0);

            // 2. Spread first, from volatility (or the base), scaled by the regime.
            var spreadBps = s.Spread.SpreadBps(sigma, _volatility?.Reference ?? 1.0) * tuning.Spread;
            var half = 0.5 * spreadBps * 1e-4 * mid;
            var bidHalf = half;
            var askHalf = half;
            var centre = mid;

            // 3. Skew: momentum lean, the trending regime's directional lean, inventory.
            if (s.Skew is { } skew)
            {
                if (skew.MomentumSkew > 0) centre += skew.MomentumSkew * _trend!.Gap(lane);
                if (regime == Regime.Trending && skew.TrendSkewBps > 0) centre += Math.Sign(_trend!.Momentum(lane)) * skew.TrendSkewBps * 1e-4 * mid;
                centre += skew.InventoryShift(ratio) * tuning.Skew * half;
            }
            // Spread-centric: inventory widens the side that would add to the position.
            if (s.Spread.InventoryWidening > 0)
            {
                var widen = Math.Abs(ratio) * s.Spread.InventoryWidening * 2.0 * half;
                if (ratio > 0) bidHalf += widen; else askHalf += widen;
            }

            // 4. Inventory governor: exposure scales spread and pushes the centre back towards flat.
            var size = _setup.QuoteSize * tuning.Size;
            var bidSize = size;
            var askSize = size;
            if (s.Governor is { } governor)
            {
                var e = Math.Abs(ratio);
                bidHalf *= 1.0 + governor.ExposureWidening * e;
                askHalf *= 1.0 + governor.ExposureWidening * e;
                centre -= Math.Sign(ratio) * governor.MaxAdjustBps * 1e-4 * mid * e;
                if (e >= 1.0)
                {
                    if (ratio > 0) bidSize = 0; else askSize = 0;
                }
            }
            _bid[lane] = centre - bidHalf;
            _ask[lane] = centre + askHalf;
            _bidSize[lane] = bidSize;
            _askSize[lane] = askSize;
        }

        /// <summary>Average entry cost of the open position and the realised spread of recent fills.</summary>
        private void TrackFills(int lane, double q, double bought, double sold, double mid)
        {
            if (bought == 0 && sold == 0) return;
            var before = q - bought + sold;
            // Fills were at last step's posted prices.
            if (bought > 0)
            {
                _avgCost[lane] = Accumulate(before, _avgCost[lane], bought, _bid[lane]);
                before += bought;
                Realised(lane, 2.0 * (mid - _bid[lane]) / mid * 1e4);
            }
            if (sold > 0)
            {
                _avgCost[lane] = Accumulate(before, _avgCost[lane], -sold, _ask[lane]);
                Realised(lane, 2.0 * (_ask[lane] - mid) / mid * 1e4);
            }
            if (_exiting[lane] && (q == 0 || Math.Sign(q) != Math.Sign(before))) _exiting[lane] = false;
        }

        private static double Accumulate(double position, double cost, double trade, double price)
        {
            var after = position + trade;
            if (after == 0) return 0;
            if (position == 0 || Math.Sign(after) != Math.Sign(position)) return price;
            // Adding to the position averages the cost; reducing keeps it.
            return Math.Sign(trade) == Math.Sign(position) ? (position * cost + trade * price) / after : cost;
        }

        private void Realised(int lane, double spreadBps)
        {
            // Exponential average over roughly the last ten fills.
            _realised[lane] = _realisedCount[lane] == 0 ? spreadBps : 0.9 * _realised[lane] + 0.1 * spreadBps;
            _realisedCount[lane]++;
        }

        private bool RiskPause(int lane, double time, double mark, double q, double mid, double volRatio)
        {
            var risk = _s.Risk!;
            var day = risk.DayLength > 0 ? (int)Math.Floor(time / risk.DayLength + 1e-9) : 0;
            if (day != _day[lane])
            {
                _day[lane] = day;
                _dayStart[lane] = mark;
                _dayStopped[lane] = false;
            }
            if (risk.DailyStop > 0 && !_dayStopped[lane] && mark - _dayStart[lane] < -risk.DailyStop * risk.Capital)
            {
                _dayStopped[lane] = true;
                _dailyStops[lane]++;
            }
            // A position the strategy did not build (an initial one) is costed at the first mid seen.
            if (q != 0 && _avgCost[lane] == 0) _avgCost[lane] = mid;
            if (risk.StopLoss > 0 && !_exiting[lane] && q != 0 && q * (mid - _avgCost[lane]) < -risk.StopLoss * Math.Abs(q) * _avgCost[lane])
            {
                _exiting[lane] = true;
                _stopLosses[lane]++;
            }
            if (q == 0) _exiting[lane] = false;
            // A pause rule that holds (re)starts the pause; it lasts PauseSteps steps after the rule last held.
            if ((risk.PauseVolRatio > 0 && volRatio > risk.PauseVolRatio)
                || (risk.CostBps > 0 && _realisedCount[lane] >= 5 && _realised[lane] < risk.CostBps))
            {
                _pauseLeft[lane] = risk.PauseSteps;
                // A fresh estimate of the realised spread after the pause.
                _realisedCount[lane] = 0;
            }
            if (_pauseLeft[lane] > 0)
            {
                _pauseLeft[lane]--;
                return true;
            }
            return _dayStopped[lane];
        }

        public void Finish(in QuoteRequest final)
        {
            var lanes = _setup.Lanes;
            var hedged = !final.HedgeMid.IsEmpty;
            _finalResidual = new double[lanes];
            _finalHedge = new double[lanes];
            for (var lane = 0; lane < lanes; lane++)
            {
                var hedgePosition = hedged ? final.HedgePosition[lane] : 0.0;
                var mark = final.Cash[lane] + final.Inventory[lane] * final.Mid[lane] + _hedgeCash[lane] + (hedged ? hedgePosition * final.HedgeMid[lane] : 0.0);
                _regimePnl[lane * 4 + (int)_lastRegime[lane]] += mark - _mark[lane];
                _finalHedge[lane] = hedgePosition;
                _finalResidual[lane] = final.Inventory[lane] + hedgePosition;
            }
        }

        public void Diagnostics(int lane, Span<double> values)
        {
            var i = 0;
            values[i++] = _paused[lane];
            values[i++] = _stopLosses[lane];
            values[i++] = _dailyStops[lane];
            if (_s.Regime is not null)
            {
                var regimes = _strategy.RegimeCount;
                for (var r = 0; r < regimes; r++) values[i++] = _regimeSteps[lane * 4 + r];
                for (var r = 0; r < regimes; r++) values[i++] = _regimePnl[lane * 4 + r];
                values[i++] = _regime!.Transitions[lane];
            }
            if (_s.Hedge is not null)
            {
                values[i++] = _finalHedge?[lane] ?? 0.0;
                values[i++] = _finalResidual?[lane] ?? 0.0;
                values[i++] = _hedgeTraded[lane];
            }
        }
    }
}
