namespace MarketMaking.Core.Volatility;

/// <summary>σ of arithmetic mid-price increments per unit time, with its standard error.</summary>
public sealed record VolatilityEstimate(double Sigma, double StandardError, int Increments, double Drift);

public static class RealisedVolatility
{
    /// <summary>
    /// Maximum likelihood under arithmetic Brownian motion with drift, dS = μ·dt + σ·dW, on possibly uneven
    /// spacing: μ̂ = (S_n − S_0)/Σdt and σ̂² = (1/n)·Σ (ΔS_i − μ̂·Δt_i)²/Δt_i; SE(σ̂) = σ̂/√(2n) from the Fisher information.
    /// </summary>
    public static VolatilityEstimate Estimate(IReadOnlyList<double> mid, IReadOnlyList<double> time)
    {
        if (mid.Count != time.Count) throw new ArgumentException("mid and time must have the same length");
        if (mid.Count < 3) throw new InputException($"need at least three mid prices to estimate volatility, got {mid.Count}", field: "mid");
        var n = mid.Count - 1;
        var totalTime = time[^1] - time[0];
        if (!(totalTime > 0)) throw new InputException("time must increase", field: "time");
        var drift = (mid[^1] - mid[0]) / totalTime;
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var dt = time[i + 1] - time[i];
            if (!(dt > 0)) throw new InputException("time must be strictly increasing", field: "time");
            var r = mid[i + 1] - mid[i] - drift * dt;
            sum += r * r / dt;
        }
        var sigma = Math.Sqrt(sum / n);
        return new VolatilityEstimate(sigma, sigma / Math.Sqrt(2.0 * n), n, drift);
    }

    /// <summary>Evenly spaced observations, <paramref name="dt"/> apart.</summary>
    public static VolatilityEstimate Estimate(IReadOnlyList<double> mid, double dt)
    {
        Guard.Positive(dt, "dt");
        var time = new double[mid.Count];
        for (var i = 0; i < time.Length; i++) time[i] = i * dt;
        return Estimate(mid, time);
    }
}
