using MarketMaking.Core.Random;

namespace MarketMaking.Core.Processes;

/// <summary>A mid-price process: the next mid of one path, one step of length <c>dt</c> later.</summary>
public interface IPriceProcess
{
    double Next(double mid, double dt, ref Xoshiro256StarStar rng);
}

/// <summary>The paper's binomial walk: S ± σ·√dt, each with probability ½.</summary>
public sealed record BinomialProcess : IPriceProcess
{
    public BinomialProcess(double sigma) => Sigma = Guard.NonNegative(sigma, "sigma");

    public double Sigma { get; }

    public double Next(double mid, double dt, ref Xoshiro256StarStar rng) =>
        mid + (rng.NextDouble() < 0.5 ? 1.0 : -1.0) * Sigma * Math.Sqrt(dt);
}

/// <summary>Arithmetic Brownian motion with drift: S + μ·dt + σ·√dt·Z.</summary>
public sealed record GaussianProcess : IPriceProcess
{
    public GaussianProcess(double drift, double sigma)
    {
        Drift = Guard.Finite(drift, "drift");
        Sigma = Guard.NonNegative(sigma, "sigma");
    }

    public double Drift { get; }
    public double Sigma { get; }

    public double Next(double mid, double dt, ref Xoshiro256StarStar rng) =>
        mid + Drift * dt + Sigma * Math.Sqrt(dt) * rng.NextGaussian();
}

/// <summary>Geometric Brownian motion, exact step: S·exp((μ − σ²/2)·dt + σ·√dt·Z).</summary>
public sealed record GbmProcess : IPriceProcess
{
    public GbmProcess(double drift, double sigma)
    {
        Drift = Guard.Finite(drift, "drift");
        Sigma = Guard.NonNegative(sigma, "sigma");
    }

    public double Drift { get; }
    public double Sigma { get; }

    public double Next(double mid, double dt, ref Xoshiro256StarStar rng) =>
        mid * Math.Exp((Drift - 0.5 * Sigma * Sigma) * dt + Sigma * Math.Sqrt(dt) * rng.NextGaussian());
}
