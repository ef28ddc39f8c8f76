namespace MarketMaking.Core.Backtest;

/// <summary>Probability that a resting quote is hit within a step, from the expected number of arrivals λ·Δt.</summary>
public interface IFillModel
{
    double Probability(double intensityDt);
}

/// <summary>p = 1 − e^(−λΔt): at least one Poisson arrival in the step (the seed's default).</summary>
public sealed class PoissonFills : IFillModel
{
    public const string ModelName = "poisson";

    public static readonly PoissonFills Instance = new();

    public double Probability(double intensityDt) => intensityDt <= 0 ? 0.0 : -double.ExpM1(-intensityDt);
}

/// <summary>p = min(1, λΔt): the first-order probability the 2008 paper's simulation uses.</summary>
public sealed class LinearFills : IFillModel
{
    public const string ModelName = "linear";

    public static readonly LinearFills Instance = new();

    public double Probability(double intensityDt) => intensityDt <= 0 ? 0.0 : Math.Min(1.0, intensityDt);
}
