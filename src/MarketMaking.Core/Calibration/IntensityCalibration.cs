using MarketMaking.Core.Volatility;

namespace MarketMaking.Core.Calibration;

public enum CalibrationModels
{
    Both,
    Exponential,
    Power,
}

/// <summary>What `calibrate` was asked to do.</summary>
public sealed record CalibrationRequest
{
    public CalibrationRequest(string source, IReadOnlyList<ArrivalBin> bins, CalibrationModels models, double? delta0 = null, MidPrices? mid = null)
    {
        Source = source;
        Bins = bins;
        Models = models;
        Delta0 = delta0 is double d ? Guard.Positive(d, "--delta0") : null;
        Mid = mid;
    }

    public string Source { get; }
    public IReadOnlyList<ArrivalBin> Bins { get; }
    public CalibrationModels Models { get; }
    public double? Delta0 { get; }
    public MidPrices? Mid { get; }
}

/// <summary>Mid prices for a volatility estimate: times, or an even spacing dt.</summary>
public sealed record MidPrices(string Source, IReadOnlyList<double> Mid, IReadOnlyList<double>? Time, double Dt);

public sealed record CalibrationResult(string Source, IReadOnlyList<IntensityFit> Fits, VolatilityEstimate? Volatility)
{
    /// <summary>The model with the lowest AIC among converged fits (any fit if none converged).</summary>
    public IntensityFit Preferred =>
        Fits.Where(f => f.Outcome.Converged).DefaultIfEmpty().MinBy(f => f?.Aic ?? double.PositiveInfinity) ?? Fits.MinBy(f => f.Aic)!;
}

public static class IntensityCalibration
{
    public static CalibrationResult Run(CalibrationRequest request)
    {
        var fits = new List<IntensityFit>();
        if (request.Models is CalibrationModels.Both or CalibrationModels.Exponential)
        {
            fits.Add(PoissonIntensityMle.FitExponential(request.Bins));
        }
        if (request.Models is CalibrationModels.Both or CalibrationModels.Power)
        {
            fits.Add(PoissonIntensityMle.FitPowerLaw(request.Bins, request.Delta0));
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
        return new CalibrationResult(request.Source, fits, volatility);
    }
}
