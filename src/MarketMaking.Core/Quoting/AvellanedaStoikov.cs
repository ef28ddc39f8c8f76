namespace MarketMaking.Core.Quoting;

/// <summary>Avellaneda and Stoikov (2008), "High-frequency trading in a limit order book", Quantitative Finance 8(3), section 3.</summary>
public static class AvellanedaStoikov
{
    /// <summary>Reservation (indifference) price r = S − q·γ·σ²·τ.</summary>
    public static double ReservationPrice(double s, double q, double gamma, double sigma, double tau) =>
        s - q * gamma * sigma * sigma * tau;

    /// <summary>Optimal half-spread δ* = (1/γ)·ln(1 + γ/k) + ½·γ·σ²·τ around the reservation price.</summary>
    public static double OptimalHalfSpread(double gamma, double k, double sigma, double tau) =>
        Log1P(gamma / k) / gamma + 0.5 * gamma * sigma * sigma * tau;

    /// <summary>ln(1 + x) accurate for small x (Goldberg's correction): small γ would otherwise lose digits to 1 + γ/k.</summary>
    private static double Log1P(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}
