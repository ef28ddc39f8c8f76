namespace MarketMaking.Core.Strategies;

/// <summary>Market regimes of the regime state machine (seed 003 §5) plus the seed-002 "news" pause.</summary>
public enum Regime
{
    MeanReversion = 0,
    Trending = 1,
    HighVol = 2,
    News = 3,
}

/// <summary>Names used in YAML and reports.</summary>
public static class RegimeNames
{
    public static readonly string[] All = ["mean_reversion", "trending", "high_vol", "news"];

    public static string Name(Regime regime) => All[(int)regime];
}

/// <summary>How one regime scales the quotes (the seed-002 tuning table): spread, skew and size multipliers, or a pause.</summary>
public sealed record RegimeTuning
{
    public RegimeTuning(double spread, double skew, double size, bool pause = false)
    {
        Spread = Guard.Positive(spread, "spread");
        Skew = Guard.NonNegative(skew, "skew");
        Size = Guard.InRange(size, 0, 1, "size");
        Pause = pause;
    }

    public double Spread { get; }
    public double Skew { get; }
    public double Size { get; }
    public bool Pause { get; }
}

/// <summary>
/// The regime detector's thresholds. Volatility is the ratio of the conditional volatility forecast to its
/// reference (the warm-up fit's unconditional volatility); trend strength is |short MA − long MA| / long MA.
/// Entry and exit bands differ (hysteresis) and a regime is held at least <see cref="MinDwell"/> steps.
/// </summary>
public sealed record RegimeSettings
{
    public RegimeSettings(double volEnter = 1.5, double volExit = 1.2, double trendEnter = 0.002, double trendExit = 0.001, int minDwell = 10,
        double newsThreshold = 0, int newsPause = 20)
    {
        VolEnter = Guard.Positive(volEnter, "vol_enter");
        VolExit = Guard.Positive(volExit, "vol_exit");
        if (volExit > volEnter) throw new InputException($"vol_exit ({Guard.Format(volExit)}) must not exceed vol_enter ({Guard.Format(volEnter)})", field: "vol_exit");
        TrendEnter = Guard.Positive(trendEnter, "trend_enter");
        TrendExit = Guard.Positive(trendExit, "trend_exit");
        if (trendExit > trendEnter) throw new InputException($"trend_exit ({Guard.Format(trendExit)}) must not exceed trend_enter ({Guard.Format(trendEnter)})", field: "trend_exit");
        MinDwell = Guard.AtLeast(minDwell, 0, "min_dwell");
        NewsThreshold = Guard.NonNegative(newsThreshold, "news_threshold");
        NewsPause = Guard.AtLeast(newsPause, 1, "news_pause");
    }

    /// <summary>Enter high_vol when vol ratio exceeds this.</summary>
    public double VolEnter { get; }

    /// <summary>Leave high_vol when the vol ratio falls below this.</summary>
    public double VolExit { get; }

    public double TrendEnter { get; }
    public double TrendExit { get; }

    /// <summary>Minimum steps in a regime before another may be entered.</summary>
    public int MinDwell { get; }

    /// <summary>A return larger than this many conditional standard deviations is a news shock (0 = off).</summary>
    public double NewsThreshold { get; }

    /// <summary>Steps the news regime lasts.</summary>
    public int NewsPause { get; }
}

/// <summary>
/// The regime state machine for every lane of a batch: O(1) per lane and step. A candidate regime is computed with
/// the band that applies to the current state (stay in high_vol until the ratio drops below the exit band, enter
/// it only above the entry band); the switch happens only after the minimum dwell. High volatility takes
/// precedence over trend; a news shock overrides both for <see cref="RegimeSettings.NewsPause"/> steps.
/// </summary>
public sealed class RegimeMachine
{
    private readonly RegimeSettings _settings;
    private readonly Regime[] _state;
    private readonly int[] _dwell;
    private readonly int[] _newsLeft;

    public RegimeMachine(RegimeSettings settings, int lanes)
    {
        _settings = settings;
        _state = new Regime[lanes];
        _dwell = new int[lanes];
        _newsLeft = new int[lanes];
        Transitions = new int[lanes];
    }

    /// <summary>Regime changes per lane so far.</summary>
    public int[] Transitions { get; }

    public Regime State(int lane) => _state[lane];

    /// <param name="volRatio">Conditional volatility over its reference.</param>
    /// <param name="trendStrength">|short MA − long MA| / long MA.</param>
    /// <param name="shockSigmas">|last return| in conditional standard deviations (0 if unknown).</param>
    public Regime Update(int lane, double volRatio, double trendStrength, double shockSigmas)
    {
        var s = _settings;
        var current = _state[lane];
        if (s.NewsThreshold > 0 && shockSigmas > s.NewsThreshold)
        {
            _newsLeft[lane] = s.NewsPause;
            return Switch(lane, Regime.News);
        }
        if (current == Regime.News)
        {
            if (--_newsLeft[lane] > 0) return current;
        }
        var highVol = current == Regime.HighVol ? volRatio > s.VolExit : volRatio > s.VolEnter;
        var trending = current == Regime.Trending ? trendStrength > s.TrendExit : trendStrength > s.TrendEnter;
        var candidate = highVol ? Regime.HighVol : trending ? Regime.Trending : Regime.MeanReversion;
        if (candidate != current && (current == Regime.News || _dwell[lane] >= s.MinDwell)) return Switch(lane, candidate);
        _dwell[lane]++;
        return current;
    }

    private Regime Switch(int lane, Regime next)
    {
        if (next != _state[lane]) Transitions[lane]++;
        _state[lane] = next;
        _dwell[lane] = 0;
        return next;
    }
}

/// <summary>Moving averages of the mid per lane (O(1) per step with running sums): the trend signal.</summary>
public sealed class LaneTrend
{
    private readonly int _short, _long, _lanes;
    private readonly double[] _ring;
    private readonly double[] _sumShort, _sumLong;
    private int _count;

    public LaneTrend(int shortWindow, int longWindow, int lanes)
    {
        _short = Guard.AtLeast(shortWindow, 1, "short_window");
        _long = Guard.AtLeast(longWindow, 2, "long_window");
        if (shortWindow >= longWindow) throw new InputException($"short_window ({shortWindow}) must be below long_window ({longWindow})", field: "short_window");
        _lanes = lanes;
        _ring = new double[longWindow * lanes];
        _sumShort = new double[lanes];
        _sumLong = new double[lanes];
    }

    /// <summary>Adds every lane's mid for this step (call once per step, before reading).</summary>
    public void Observe(ReadOnlySpan<double> mid)
    {
        var slot = _count % _long;
        var shortOut = (_count - _short) % _long;
        for (var lane = 0; lane < _lanes; lane++)
        {
            var at = slot * _lanes + lane;
            if (_count >= _long) _sumLong[lane] -= _ring[at];
            if (_count >= _short) _sumShort[lane] -= _ring[shortOut * _lanes + lane];
            _ring[at] = mid[lane];
            _sumLong[lane] += mid[lane];
            _sumShort[lane] += mid[lane];
        }
        _count++;
    }

    /// <summary>(short MA − long MA) / long MA over the observations so far (0 before two observations).</summary>
    public double Momentum(int lane)
    {
        if (_count < 2) return 0.0;
        var shortMa = _sumShort[lane] / Math.Min(_count, _short);
        var longMa = _sumLong[lane] / Math.Min(_count, _long);
        return (shortMa - longMa) / longMa;
    }

    /// <summary>short MA − long MA, in price units.</summary>
    public double Gap(int lane)
    {
        if (_count < 2) return 0.0;
        return _sumShort[lane] / Math.Min(_count, _short) - _sumLong[lane] / Math.Min(_count, _long);
    }
}
