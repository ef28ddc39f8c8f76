using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MarketMaking.Core.Quoting;

/// <summary>
/// γ, k and σ of the Avellaneda–Stoikov formulas, validated once for both strategies that quote with them (the
/// inventory strategy and the paper's symmetric benchmark).
/// </summary>
public abstract record AvellanedaStoikovParameters : IQuotingStrategy
{
    protected AvellanedaStoikovParameters(double gamma, double k, double sigma)
    {
        Gamma = Guard.Positive(gamma, "gamma");
        K = Guard.Positive(k, "k");
        Sigma = Guard.NonNegative(sigma, "sigma");
    }

    public double Gamma { get; }
    public double K { get; }
    public double Sigma { get; }

    public abstract string Name { get; }

    public abstract IQuoter CreateQuoter(in QuoterSetup setup);
}

/// <summary>
/// The Avellaneda–Stoikov inventory strategy: quotes r ± δ* with r the reservation price and δ* the optimal
/// half-spread, both recomputed every step from the current mid, inventory and τ.
/// </summary>
public sealed record AvellanedaStoikovStrategy(double Gamma, double K, double Sigma) : AvellanedaStoikovParameters(Gamma, K, Sigma)
{
    public const string StrategyName = "avellaneda-stoikov";

    public override string Name => StrategyName;

    public override IQuoter CreateQuoter(in QuoterSetup setup) => new Quoter(this);

    private sealed class Quoter(AvellanedaStoikovStrategy p) : IQuoter, IAffineQuoter
    {
        private readonly double _arrivalHalfSpread = AvellanedaStoikov.ArrivalHalfSpread(p.Gamma, p.K);

        public void Quote(in QuoteRequest request, in QuoteResponse response)
        {
            Coefficients(request.Step, request.Time, request.Tau, request.Dt, out var slope, out var half);
            QuoteKernels.AroundReservation(request.Mid, request.Inventory, slope, half, response.Bid, response.Ask);
        }

        public void Coefficients(int step, double time, double tau, double dt, out double slope, out double half)
        {
            half = AvellanedaStoikov.OptimalHalfSpreadFromArrival(_arrivalHalfSpread, p.Gamma, p.Sigma, tau);
            // r = S − q·γσ²τ is linear in S and q: one slope per step, then a vector pass over the lanes.
            slope = -AvellanedaStoikov.ReservationPrice(0.0, 1.0, p.Gamma, p.Sigma, tau);
        }
    }
}

/// <summary>
/// The paper's benchmark: a constant spread, the Avellaneda–Stoikov strategy's spread averaged over the horizon's
/// steps (same γ, k, σ, T), centred on the mid.
/// </summary>
public sealed record SymmetricStrategy(double Gamma, double K, double Sigma) : AvellanedaStoikovParameters(Gamma, K, Sigma)
{
    public const string StrategyName = "symmetric";

    public override string Name => StrategyName;

    /// <summary>Mean of δ*(τ_i) over τ_i = T − i·T/n, i = 0 … n−1 (the steps at which quotes are posted).</summary>
    public double AverageHalfSpread(int steps, double horizon)
    {
        Guard.AtLeast(steps, 1, "steps");
        var sum = 0.0;
        for (var i = 0; i < steps; i++)
        {
            sum += AvellanedaStoikov.OptimalHalfSpread(Gamma, K, Sigma, horizon - i * (horizon / steps));
        }
        return sum / steps;
    }

    public override IQuoter CreateQuoter(in QuoterSetup setup) => new Quoter(AverageHalfSpread(setup.Steps, setup.Horizon));

    private sealed class Quoter(double half) : IQuoter, IAffineQuoter
    {
        public void Quote(in QuoteRequest request, in QuoteResponse response) =>
            QuoteKernels.AroundReservation(request.Mid, request.Inventory, 0.0, half, response.Bid, response.Ask);

        public void Coefficients(int step, double time, double tau, double dt, out double slope, out double half1)
        {
            slope = 0.0;
            half1 = half;
        }
    }
}

/// <summary>Vectorised quote arithmetic shared by strategies.</summary>
public static class QuoteKernels
{
    /// <summary>bid = S − q·slope − half, ask = S − q·slope + half, lane by lane (lanes a multiple of 4).</summary>
    public static void AroundReservation(ReadOnlySpan<double> mid, ReadOnlySpan<double> inventory, double slope, double half, Span<double> bid, Span<double> ask)
    {
        var n = mid.Length;
        if (inventory.Length < n || bid.Length < n || ask.Length < n || n % Vector256<double>.Count != 0)
        {
            throw new ArgumentException("lanes must match and be a multiple of 4");
        }
        ref var s = ref MemoryMarshal.GetReference(mid);
        ref var q = ref MemoryMarshal.GetReference(inventory);
        ref var b = ref MemoryMarshal.GetReference(bid);
        ref var a = ref MemoryMarshal.GetReference(ask);
        var vSlope = Vector256.Create(slope);
        var vHalf = Vector256.Create(half);
        for (nuint i = 0; i < (nuint)n; i += (nuint)Vector256<double>.Count)
        {
            var r = Vector256.LoadUnsafe(ref s, i) - Vector256.LoadUnsafe(ref q, i) * vSlope;
            (r - vHalf).StoreUnsafe(ref b, i);
            (r + vHalf).StoreUnsafe(ref a, i);
        }
    }
}
