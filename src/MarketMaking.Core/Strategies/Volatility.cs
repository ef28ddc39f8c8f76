using MarketMaking.Core.Processes;
using MarketMaking.Core.Volatility;

namespace MarketMaking.Core.Strategies;

/// <summary>
/// The volatility signal of a run: a GARCH(1,1) fitted ONCE on a warm-up window of relative mid returns
/// (ΔS/S per step), then filtered O(1) per step on every path from the same starting forecast; optionally refitted
/// per path every <see cref="RefitEvery"/> steps on its latest window. When the fit fails (e.g. a binomial mid,
/// whose returns have constant size, has no variance dynamics to fit) the variance is the sample variance, constant.
/// </summary>
public sealed record VolatilitySettings
{
    public VolatilitySettings(Garch11Parameters parameters, double initialVariance, IReadOnlyList<double> window, Garch11Fit? fit = null, int refitEvery = 0)
    {
        Parameters = parameters;
        InitialVariance = Guard.Positive(initialVariance, "variance");
        Window = window;
        Fit = fit;
        RefitEvery = Guard.AtLeast(refitEvery, 0, "refit_every");
        if (refitEvery > 0 && fit is null) throw new InputException("refit_every needs a successful warm-up fit", field: "refit_every");
    }

    public Garch11Parameters Parameters { get; }
    public double InitialVariance { get; }
    public IReadOnlyList<double> Window { get; }
    public Garch11Fit? Fit { get; }
    public int RefitEvery { get; }

    /// <summary>The volatility the regime and pause thresholds are ratios of: the fit's unconditional volatility.</summary>
    public double ReferenceVolatility => Parameters.UnconditionalVolatility;

    /// <summary>Fits the warm-up returns; falls back to a constant sample variance when GARCH cannot be fitted.</summary>
    public static VolatilitySettings FromReturns(IReadOnlyList<double> returns, int refitEvery = 0)
    {
        if (returns.Count < 10) throw new InputException($"the volatility warm-up needs at least 10 returns, got {returns.Count}", field: "warmup");
        try
        {
            var fit = Garch11.Fit(returns);
            if (fit.Outcome.Converged)
            {
                return new VolatilitySettings(fit.Parameters, fit.NextVariance, returns, fit, refitEvery);
            }
        }
        catch (InputException)
        {
            // Fall through to the constant variance.
        }
        var mean = returns.Average();
        var variance = returns.Sum(r => (r - mean) * (r - mean)) / returns.Count;
        if (!(variance > 0)) variance = 1e-12;
        return new VolatilitySettings(new Garch11Parameters(mean, variance, 0, 0), variance, returns, null, 0);
    }

    /// <summary>
    /// The warm-up window: <paramref name="count"/> relative returns of a pre-sample path of the market, drawn from
    /// an independent stream (a historical series has one path: its first returns, in-sample for those steps).
    /// </summary>
    public static double[] WarmUpReturns(IMarket market, int count, ulong seed)
    {
        Guard.AtLeast(count, 10, "warmup");
        count = Math.Min(count, market.Steps);
        const int lanes = 8; // the market cursor's vector width; lane 0 is the path used
        var mids = new double[count * lanes];
        using (var cursor = market.Open(0, lanes, seed ^ WarmUpSeedMask))
        {
            cursor.Next(count, mids, new double[count], new double[count]);
        }
        var returns = new double[count];
        var previous = market.InitialMid;
        for (var j = 0; j < count; j++)
        {
            var s = mids[j * lanes];
            returns[j] = (s - previous) / previous;
            if (!double.IsFinite(returns[j])) throw new InputException("the warm-up mids give a non-finite return (a mid of zero?)", field: "warmup");
            previous = s;
        }
        return returns;
    }

    /// <summary>Keeps the warm-up path's stream apart from every path of the run.</summary>
    private const ulong WarmUpSeedMask = 0x5741524D55505F31;
}

/// <summary>The per-lane volatility state of one batch: a GARCH filter per path, updated O(1) per step.</summary>
public sealed class LaneVolatility
{
    private readonly GarchFilter[] _filters;
    private readonly double[] _previous;
    private readonly double[] _shock;

    public LaneVolatility(VolatilitySettings settings, int lanes)
    {
        _filters = new GarchFilter[lanes];
        for (var lane = 0; lane < lanes; lane++)
        {
            _filters[lane] = settings.Fit is { } fit && settings.RefitEvery > 0
                ? GarchFilter.FromFit(fit, settings.Window, settings.RefitEvery)
                : new GarchFilter(settings.Parameters, settings.InitialVariance);
        }
        _previous = new double[lanes];
        _shock = new double[lanes];
        Reference = settings.ReferenceVolatility;
    }

    public double Reference { get; }

    /// <summary>Observes each lane's mid; from the second call on, the relative return updates the filter.</summary>
    public void Observe(int step, ReadOnlySpan<double> mid)
    {
        for (var lane = 0; lane < _filters.Length; lane++)
        {
            if (step > 0)
            {
                var r = (mid[lane] - _previous[lane]) / _previous[lane];
                var filter = _filters[lane];
                // The shock is measured against the forecast made before this return.
                _shock[lane] = Math.Abs(r - filter.Parameters.Mu) / filter.Volatility;
                filter.Update(r);
            }
            _previous[lane] = mid[lane];
        }
    }

    /// <summary>Volatility forecast of the next relative return.</summary>
    public double Volatility(int lane) => _filters[lane].Volatility;

    /// <summary>|last return − μ| in forecast standard deviations.</summary>
    public double Shock(int lane) => _shock[lane];
}
