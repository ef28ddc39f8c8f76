namespace MarketMaking.Core.Quoting;

/// <summary>
/// Avellaneda &amp; Stoikov (2008), "High-frequency trading in a limit order book": mid S_t = S_0 + σW_t,
/// fills at depth δ with intensity A·e^(−kδ), exponential utility with risk aversion γ, horizon τ = T − t.
/// </summary>
public static class AvellanedaStoikov
{
    /// <summary>Indifference (reservation) price r = S − q·γ·σ²·τ.</summary>
    public static double ReservationPrice(double s, double q, double gamma, double sigma, double tau) =>
        s - q * gamma * sigma * sigma * tau;

    /// <summary>Half of the optimal spread: (1/γ)·ln(1 + γ/k) + ½·γ·σ²·τ.</summary>
    public static double OptimalHalfSpread(double gamma, double k, double sigma, double tau) =>
        OptimalHalfSpreadFromArrival(ArrivalHalfSpread(gamma, k), gamma, sigma, tau);

    /// <summary>
    /// The same, from its time-independent part (1/γ)·ln(1 + γ/k) computed once (<see cref="ArrivalHalfSpread"/>):
    /// a quoter that posts every step of a long history does not take a logarithm per step.
    /// </summary>
    public static double OptimalHalfSpreadFromArrival(double arrivalHalfSpread, double gamma, double sigma, double tau) =>
        arrivalHalfSpread + 0.5 * gamma * sigma * sigma * tau;

    /// <summary>The half-spread's part due to the order arrivals, (1/γ)·ln(1 + γ/k): the whole of it as τ → 0.</summary>
    public static double ArrivalHalfSpread(double gamma, double k) => Log1P(gamma / k) / gamma;

    /// <summary>ln(1 + x) accurate for small x (Goldberg's correction): small γ would otherwise lose digits to 1 + γ/k.</summary>
    private static double Log1P(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>The full optimal spread δ_a + δ_b = γσ²τ + (2/γ)·ln(1 + γ/k).</summary>
    public static double OptimalSpread(double gamma, double k, double sigma, double tau) =>
        2.0 * OptimalHalfSpread(gamma, k, sigma, tau);
}

/// <summary>Validated Avellaneda–Stoikov parameters; quotes r ± half-spread, optionally within an inventory limit.</summary>
public sealed record AvellanedaStoikovModel : IQuoteModel
{
    public AvellanedaStoikovModel(double gamma, double sigma, double k, double? maxInventory = null, double size = 1.0)
    {
        Gamma = Guard.Positive(gamma, "gamma");
        Sigma = Guard.NonNegative(sigma, "sigma");
        K = Guard.Positive(k, "k");
        MaxInventory = maxInventory is double m ? Guard.NonNegative(m, "max_inventory") : null;
        Size = Guard.Positive(size, "size");
    }

    public double Gamma { get; }
    public double Sigma { get; }
    public double K { get; }
    public double? MaxInventory { get; }
    public double Size { get; }

    public Quote Quote(double mid, double inventory, double tau)
    {
        Guard.Finite(mid, "mid");
        Guard.Finite(inventory, "q");
        Guard.NonNegative(tau, "tau");
        var r = AvellanedaStoikov.ReservationPrice(mid, inventory, Gamma, Sigma, tau);
        var half = AvellanedaStoikov.OptimalHalfSpread(Gamma, K, Sigma, tau);
        // Depths measured from the mid: δ_b = S − (r − h), δ_a = (r + h) − S.
        return new Quote(mid, mid - r + half, r + half - mid).WithinInventoryLimit(inventory, Size, MaxInventory);
    }
}
