using MarketMaking.Core.Intensity;

namespace MarketMaking.Core.Calibration;

/// <summary>A fitted intensity model with everything the report shows about it.</summary>
public sealed record IntensityFit
{
    public required IntensityModelKind Model { get; init; }
    public required ParameterEstimate A { get; init; }
    public required ParameterEstimate K { get; init; }

    /// <summary>Null for the exponential model.</summary>
    public ParameterEstimate? Delta0 { get; init; }

    /// <summary>True when δ0 was estimated (power law without a fixed δ0).</summary>
    public bool Delta0Estimated { get; init; }

    public required double LogLikelihood { get; init; }
    public required int ParameterCount { get; init; }
    public required int BinCount { get; init; }
    public required double TotalCount { get; init; }
    public required GoodnessOfFit Goodness { get; init; }
    public required IReadOnlyList<BinFit> Bins { get; init; }
    public required OptimizerOutcome Outcome { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>AIC = 2p − 2ℓ.</summary>
    public double Aic => InformationCriteria.Aic(ParameterCount, LogLikelihood);

    /// <summary>BIC = p·ln(number of bins) − 2ℓ.</summary>
    public double Bic => InformationCriteria.Bic(ParameterCount, BinCount, LogLikelihood);

    public string ModelName => Model == IntensityModelKind.Exponential ? "exponential" : "power";

    /// <summary>The fitted λ(δ); throws <see cref="InputException"/> if the fit ran to a boundary where the model is undefined.</summary>
    public IIntensityModel ToModel() => Model == IntensityModelKind.Exponential
        ? new ExponentialIntensity(A.Value, K.Value)
        : new PowerLawIntensity(A.Value, K.Value, Delta0!.Value);

    public double Intensity(double delta) => Model == IntensityModelKind.Exponential
        ? A.Value * Math.Exp(-K.Value * delta)
        : A.Value * Math.Pow(delta + Delta0!.Value, -K.Value);
}

public static class InformationCriteria
{
    public static double Aic(int parameterCount, double logLikelihood) => 2.0 * parameterCount - 2.0 * logLikelihood;

    public static double Bic(int parameterCount, int observationCount, double logLikelihood) =>
        parameterCount * Math.Log(observationCount) - 2.0 * logLikelihood;
}
