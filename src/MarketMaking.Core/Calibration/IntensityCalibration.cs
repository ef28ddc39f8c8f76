using MarketMaking.Core.Volatility;

namespace MarketMaking.Core.Calibration;

public enum CalibrationModels
{
    Both,
    Exponential,
    Power,
}

/// <summary>What `calibrate` was asked to do: intensity fits on binned arrivals, and/or volatility models.</summary>
public sealed record CalibrationRequest
{
    /// <param name="bins">Null when only volatility is calibrated (then <paramref name="returns"/> is required).</param>
    public CalibrationRequest(string? source, IReadOnlyList<ArrivalBin>? bins, CalibrationModels models, double? delta0 = null, MidPrices? mid = null,
        ReturnSeriesInput? returns = null)
    {
        if (bins is null && returns is null)
        {
            throw new InputException("nothing to calibrate: give arrival bins or a return series", field: "--input");
        }
        Source = source;
        Bins = bins;
        Models = models;
        Delta0 = delta0 is double d ? Guard.Positive(d, "--delta0") : null;
        Mid = mid;
        Returns = returns;
    }

    public string? Source { get; }
    public IReadOnlyList<ArrivalBin>? Bins { get; }
    public CalibrationModels Models { get; }
    public double? Delta0 { get; }
    public MidPrices? Mid { get; }
    public ReturnSeriesInput? Returns { get; }
}

/// <summary>Returns for a GARCH(1,1) fit, with where they came from (for located errors and the report).</summary>
public sealed record ReturnSeriesInput(string Source, string Column, IReadOnlyList<double> Values);

/// <summary>Mid prices for a volatility estimate: times, or an even spacing dt.</summary>
public sealed record MidPrices(string Source, IReadOnlyList<double> Mid, IReadOnlyList<double>? Time, double Dt);

public sealed record CalibrationResult(string? Source, IReadOnlyList<IntensityFit> Fits, VolatilityEstimate? Volatility, GarchCalibration? Garch = null)
{
    /// <summary>The model with the lowest AIC among converged fits (any fit if none converged).</summary>
    public IntensityFit Preferred =>
        Fits.Where(f => f.Outcome.Converged).DefaultIfEmpty().MinBy(f => f?.Aic ?? double.PositiveInfinity) ?? Fits.MinBy(f => f.Aic)!;
}

/// <summary>A GARCH(1,1) fit of the returns in column <see cref="Column"/> of <see cref="Source"/>.</summary>
public sealed record GarchCalibration(string Source, string Column, Garch11Fit Fit);

public static class IntensityCalibration
{
    public static CalibrationResult Run(CalibrationRequest request)
    {
        var fits = new List<IntensityFit>();
        if (request.Bins is { } bins && request.Models is CalibrationModels.Both or CalibrationModels.Exponential)
        {
            fits.Add(PoissonIntensityMle.FitExponential(bins));
        }
        if (request.Bins is { } powerBins && request.Models is CalibrationModels.Both or CalibrationModels.Power)
        {
            fits.Add(PoissonIntensityMle.FitPowerLaw(powerBins, request.Delta0));
        }
        VolatilityEstimate? volatility = null;
        if (request.Mid is { } mid)
        {
            try
            {
                volatility = mid.Time is null ? RealisedVolatility.Estimate(mid.Mid, mid.Dt) : RealisedVolatility.Estimate(mid.Mid, mid.Time);
            }
            catch (InputException error) when (error.File is null)
            {
                throw error.At(mid.Source, null, null);
            }
        }
        GarchCalibration? garch = null;
        if (request.Returns is { } returns)
        {
            try
            {
                garch = new GarchCalibration(returns.Source, returns.Column, Garch11.Fit(returns.Values));
            }
            catch (InputException error) when (error.File is null)
            {
                throw error.At(returns.Source, null, null, returns.Column);
            }
        }
        return new CalibrationResult(request.Source, fits, volatility, garch);
    }

    /// <summary>
    /// `calibrate --by-side`: each side fitted alone and both together (the symmetric model), with the likelihood-ratio
    /// test LR = 2(ℓ_bid + ℓ_ask − ℓ_both) ~ χ²(p) and, for nested tape counts, a robust Wald test.
    /// </summary>
    public static SidedCalibrationResult RunBySide(SidedCalibrationRequest request)
    {
        var bid = Run(new CalibrationRequest(request.Source, request.Bid, request.Models, request.Delta0));
        var ask = Run(new CalibrationRequest(request.Source, request.Ask, request.Models, request.Delta0));
        var both = Run(new CalibrationRequest(request.Source, [.. request.Bid, .. request.Ask], request.Models, request.Delta0, request.Mid));
        var cumulative = CumulativeCounts.LookCumulative(request.Bid) && CumulativeCounts.LookCumulative(request.Ask);
        var tests = new List<SymmetryTest>();
        var robust = new List<RobustErrors>();
        for (var m = 0; m < both.Fits.Count; m++)
        {
            var (b, a, pooled) = (bid.Fits[m], ask.Fits[m], both.Fits[m]);
            var lr = Math.Max(0, 2 * (b.LogLikelihood + a.LogLikelihood - pooled.LogLikelihood));
            var df = pooled.ParameterCount;
            var (wald, waldP) = cumulative ? CumulativeCounts.WaldEquality(b, request.Bid, a, request.Ask) : (double.NaN, double.NaN);
            tests.Add(new SymmetryTest(pooled.Model, lr, df, CumulativeCounts.ChiSquareSurvival(lr, df), wald, waldP,
                b.Outcome.Converged && a.Outcome.Converged && pooled.Outcome.Converged));
            if (cumulative)
            {
                AddRobust(robust, "bid", b, request.Bid);
                AddRobust(robust, "ask", a, request.Ask);
                AddRobust(robust, "both", pooled, request.Bid, request.Ask);
            }
        }
        return new SidedCalibrationResult(bid, ask, both, tests, cumulative, robust);
    }

    private static void AddRobust(List<RobustErrors> robust, string side, IntensityFit fit, params IReadOnlyList<ArrivalBin>[] groups)
    {
        if (CumulativeCounts.Estimates(fit, groups) is { } estimates)
        {
            robust.Add(new RobustErrors(side, fit.Model, estimates));
        }
    }
}
