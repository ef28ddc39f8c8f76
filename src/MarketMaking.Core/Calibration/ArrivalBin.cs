namespace MarketMaking.Core.Calibration;

/// <summary>One row of binned arrival data: <see cref="Count"/> market orders reached depth <see cref="Delta"/> during <see cref="Exposure"/> time units.</summary>
public readonly record struct ArrivalBin
{
    public ArrivalBin(double delta, double count, double exposure)
    {
        Delta = Guard.NonNegative(delta, "delta");
        Count = Guard.NonNegative(count, "count");
        Exposure = Guard.NonNegative(exposure, "exposure");
        if (exposure == 0 && count > 0)
        {
            throw new InputException("zero exposure with a positive count: arrivals cannot be observed in no time", field: "exposure");
        }
    }

    public double Delta { get; }
    public double Count { get; }
    public double Exposure { get; }
}

public enum IntensityModelKind
{
    Exponential,
    Power,
}

/// <summary>What an optimiser did, reported beside every estimate.</summary>
/// <param name="Boundary">Null for an interior optimum; otherwise which bound the optimum ran into, in words.</param>
public sealed record OptimizerOutcome(bool Converged, int Iterations, string Method, string? Boundary)
{
    public bool BoundaryHit => Boundary is not null;
}

/// <summary>An estimate with its standard error and Wald 95% interval.</summary>
public sealed record ParameterEstimate(string Name, double Value, double StandardError)
{
    /// <summary>Φ⁻¹(0.975).</summary>
    public const double Z975 = 1.959963984540054;

    public double Lower95 => Value - Z975 * StandardError;
    public double Upper95 => Value + Z975 * StandardError;
}

/// <summary>Observed versus fitted intensity in one bin (a struct: a fit's bins are computed as they are read).</summary>
public readonly record struct BinFit(double Delta, double Count, double Exposure, double ObservedIntensity, double FittedIntensity, double ExpectedCount, double PearsonResidual);

/// <summary>Goodness of fit of a Poisson model: deviance and Pearson χ² with their p-values.</summary>
public sealed record GoodnessOfFit(double Deviance, double PearsonChiSquare, int DegreesOfFreedom, double DevianceP, double PearsonP);
