namespace MarketMaking.Core.Volatility;

/// <summary>
/// GARCH(1,1) conditional variance for an event loop: fitted once on a warm-up window, then updated in O(1)
/// per observed return (h_{t+1} = ω + α·(r_t − μ)² + β·h_t). With <c>refitEvery</c> &gt; 0 the parameters are
/// re-estimated every that many updates on the latest window of the warm-up's length (warm-started from the
/// current parameters) and the variance is re-filtered over that window; between refits every step stays O(1).
/// A refit that fails keeps the previous parameters and is counted in <see cref="FailedRefits"/>.
/// </summary>
public sealed class GarchFilter
{
    private readonly int _refitEvery;
    private readonly Garch11Options _options;
    private readonly double[]? _window;
    private int _windowStart;
    private int _sinceRefit;

    /// <summary>Pure filtering with known parameters, starting from the variance forecast for the next return.</summary>
    public GarchFilter(Garch11Parameters parameters, double nextVariance)
    {
        Parameters = parameters;
        Variance = Guard.Positive(nextVariance, "variance");
        _options = new Garch11Options();
    }

    private GarchFilter(Garch11Fit fit, IReadOnlyList<double> warmUp, int refitEvery, Garch11Options options)
    {
        Parameters = fit.Parameters;
        LastFit = fit;
        Variance = fit.NextVariance;
        _refitEvery = refitEvery;
        _options = options;
        if (refitEvery > 0)
        {
            _window = warmUp.ToArray();
        }
    }

    /// <summary>Fits on <paramref name="warmUp"/> and positions the filter after its last return.</summary>
    /// <param name="refitEvery">0: never refit; otherwise refit after every that many updates.</param>
    public static GarchFilter Warm(IReadOnlyList<double> warmUp, int refitEvery = 0, Garch11Options? options = null)
    {
        Guard.AtLeast(refitEvery, 0, "refit_every");
        options ??= new Garch11Options();
        var fit = Garch11.Fit(warmUp, options);
        return new GarchFilter(fit, warmUp, refitEvery, options);
    }

    /// <summary>
    /// A filter positioned after <paramref name="window"/> from a fit already made on it (so one warm-up fit can seed
    /// many filters, e.g. one per Monte Carlo path); with <paramref name="refitEvery"/> &gt; 0 each filter refits on
    /// its own latest window of that length.
    /// </summary>
    public static GarchFilter FromFit(Garch11Fit fit, IReadOnlyList<double> window, int refitEvery = 0, Garch11Options? options = null)
    {
        Guard.AtLeast(refitEvery, 0, "refit_every");
        return new GarchFilter(fit, window, refitEvery, options ?? new Garch11Options());
    }

    public Garch11Parameters Parameters { get; private set; }

    /// <summary>The latest successful fit (null when built from known parameters).</summary>
    public Garch11Fit? LastFit { get; private set; }

    /// <summary>Conditional variance of the next, not yet observed return.</summary>
    public double Variance { get; private set; }

    /// <summary>√<see cref="Variance"/>: the volatility forecast for the next return, in the returns' units.</summary>
    public double Volatility => Math.Sqrt(Variance);

    public int Updates { get; private set; }
    public int Refits { get; private set; }
    public int FailedRefits { get; private set; }

    /// <summary>Observes return <paramref name="r"/>; returns the variance forecast for the one after it.</summary>
    public double Update(double r)
    {
        Guard.Finite(r, "return");
        var e = r - Parameters.Mu;
        Variance = Garch11.NextVariance(Parameters.Omega, Parameters.Alpha, Parameters.Beta, e * e, Variance);
        Updates++;
        if (_window is not null)
        {
            // Ring buffer: the oldest return is overwritten.
            _window[_windowStart] = r;
            _windowStart = (_windowStart + 1) % _window.Length;
            if (++_sinceRefit >= _refitEvery)
            {
                _sinceRefit = 0;
                Refit();
            }
        }
        return Variance;
    }

    private void Refit()
    {
        var ordered = new double[_window!.Length];
        for (var i = 0; i < ordered.Length; i++) ordered[i] = _window[(_windowStart + i) % _window.Length];
        try
        {
            var fit = Garch11.Fit(ordered, _options with { Start = Parameters });
            Parameters = fit.Parameters;
            LastFit = fit;
            Variance = fit.NextVariance;
            Refits++;
        }
        catch (InputException)
        {
            FailedRefits++;
        }
    }
}
