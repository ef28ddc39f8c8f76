namespace MarketMaking.Core.Intensity;

/// <summary>Arrival intensity λ(δ) of market orders that reach a quote at distance δ from the mid.</summary>
public interface IIntensityModel
{
    double Intensity(double delta);
}

/// <summary>λ(δ) = A·e^(−kδ), the Avellaneda–Stoikov model.</summary>
public sealed record ExponentialIntensity : IIntensityModel
{
    public ExponentialIntensity(double a, double k)
    {
        A = Guard.Positive(a, "A");
        K = Guard.Positive(k, "k");
    }

    public double A { get; }
    public double K { get; }

    public double Intensity(double delta) => A * Math.Exp(-K * delta);
}

/// <summary>λ(δ) = A·(δ+δ0)^(−k).</summary>
public sealed record PowerLawIntensity : IIntensityModel
{
    public PowerLawIntensity(double a, double k, double delta0)
    {
        A = Guard.Positive(a, "A");
        K = Guard.Positive(k, "k");
        Delta0 = Guard.Positive(delta0, "delta0");
    }

    public double A { get; }
    public double K { get; }
    public double Delta0 { get; }

    /// <summary>Quotes inside the mid (δ ≤ −δ0) would meet every order: the intensity is capped there rather than undefined.</summary>
    public double Intensity(double delta) => delta + Delta0 <= 0 ? double.PositiveInfinity : A * Math.Pow(delta + Delta0, -K);
}
