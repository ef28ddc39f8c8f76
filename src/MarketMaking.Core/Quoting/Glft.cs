namespace MarketMaking.Core.Quoting;

/// <summary>
/// Parameters of the Guéant–Lehalle–Fernandez-Tapia model: mid dS = μ·dt + σ·dW, fills of size Δ at depth δ
/// with intensity A·e^(−kδ), CARA utility with risk aversion γ.
/// </summary>
public sealed record GlftParameters
{
    public GlftParameters(double gamma, double sigma, double a, double k, double size = 1.0, double drift = 0.0)
    {
        Gamma = Guard.Positive(gamma, "gamma");
        Sigma = Guard.Positive(sigma, "sigma");
        A = Guard.Positive(a, "A");
        K = Guard.Positive(k, "k");
        Size = Guard.Positive(size, "size");
        Drift = Guard.Finite(drift, "drift");
    }

    public double Gamma { get; }
    public double Sigma { get; }
    public double A { get; }
    public double K { get; }

    /// <summary>Δ: the size of every fill; inventories move in steps of Δ.</summary>
    public double Size { get; }

    /// <summary>μ: drift of the mid per unit time.</summary>
    public double Drift { get; }
}

/// <summary>
/// Closed forms of Guéant, Lehalle &amp; Fernandez-Tapia (2013), "Dealing with the inventory risk: a solution to the
/// market making problem", with the drift and the order size Δ of Guéant (2017), "Optimal market making".
/// With w_q = e^{kθ_q/Δ} the value function's inventory part solves ∂_t w = M·w (see <see cref="GlftExactModel"/>);
/// its continuous (harmonic-oscillator) approximation gives, for a long horizon,
/// δ_b(q) ≈ (1/(γΔ))·ln(1+γΔ/k) + [(2q+Δ)/2 − μ/(γσ²)]·ξ and δ_a(q) ≈ (1/(γΔ))·ln(1+γΔ/k) + [μ/(γσ²) − (2q−Δ)/2]·ξ,
/// ξ = √( γσ²/(2AkΔ) · (1+γΔ/k)^(1+k/(γΔ)) ). Valid when ξ is small against the static depth (small γ).
/// </summary>
public static class Glft
{
    /// <summary>The depth at zero inventory and no drift without inventory risk: (1/(γΔ))·ln(1 + γΔ/k).</summary>
    public static double StaticDepth(double gamma, double k, double size = 1.0) =>
        QuotingMath.Log1p(gamma * size / k) / (gamma * size);

    /// <summary>ξ = √( γσ²/(2AkΔ) · (1+γΔ/k)^(1+k/(γΔ)) ): depth added per unit Δ of inventory (half on each side).</summary>
    public static double InventorySkew(double gamma, double sigma, double a, double k, double size = 1.0)
    {
        var x = gamma * size / k;
        var power = Math.Exp((1.0 + 1.0 / x) * QuotingMath.Log1p(x));
        return Math.Sqrt(gamma * sigma * sigma / (2.0 * a * k * size) * power);
    }

    /// <summary>η = A·(1+γΔ/k)^(−(1+k/(γΔ))): the off-diagonal of the exact solution's matrix.</summary>
    public static double Eta(double gamma, double a, double k, double size = 1.0)
    {
        var x = gamma * size / k;
        return a * Math.Exp(-(1.0 + 1.0 / x) * QuotingMath.Log1p(x));
    }

    /// <summary>Asymptotic bid depth δ_b(q) = S − bid.</summary>
    public static double AsymptoticBidDepth(GlftParameters p, double q) =>
        StaticDepth(p.Gamma, p.K, p.Size)
        + ((2.0 * q + p.Size) / 2.0 - p.Drift / (p.Gamma * p.Sigma * p.Sigma)) * InventorySkew(p.Gamma, p.Sigma, p.A, p.K, p.Size);

    /// <summary>Asymptotic ask depth δ_a(q) = ask − S.</summary>
    public static double AsymptoticAskDepth(GlftParameters p, double q) =>
        StaticDepth(p.Gamma, p.K, p.Size)
        + (p.Drift / (p.Gamma * p.Sigma * p.Sigma) - (2.0 * q - p.Size) / 2.0) * InventorySkew(p.Gamma, p.Sigma, p.A, p.K, p.Size);
}

/// <summary>`glft`: the asymptotic closed form; τ is ignored (the approximation is the long-horizon limit).</summary>
public sealed record GlftModel(GlftParameters Parameters, double? MaxInventory = null) : IQuoteModel
{
    public Quote Quote(double mid, double inventory, double tau)
    {
        Guard.Finite(mid, "mid");
        Guard.Finite(inventory, "q");
        Guard.NonNegative(tau, "tau");
        if (MaxInventory is double m) Guard.NonNegative(m, "max_inventory");
        return new Quote(mid, Glft.AsymptoticBidDepth(Parameters, inventory), Glft.AsymptoticAskDepth(Parameters, inventory))
            .WithinInventoryLimit(inventory, Parameters.Size, MaxInventory);
    }
}

/// <summary>Exact depths on the inventory grid −Q, −Q+Δ, …, Q at one time to the horizon; null where no quote is posted.</summary>
public sealed record GlftDepths(double Tau, IReadOnlyList<double> Inventory, IReadOnlyList<double?> Bid, IReadOnlyList<double?> Ask);

/// <summary>
/// `glft-exact`: the exact solution for inventories bounded by ±Q (Guéant, Lehalle &amp; Fernandez-Tapia 2013,
/// Theorem 1; drift and size Δ as in Guéant 2017). On the grid q = jΔ, j = −n…n (n = Q/Δ), with
/// α = kγσ²Δ/2 and η = A·(1+γΔ/k)^(−(1+k/(γΔ))), let M be tridiagonal with M_jj = α·j² − kμ·j and
/// M_{j,j±1} = −η. Then w(τ) = exp(−M·τ)·1 and
/// δ_b(j) = (1/k)·ln(w_j / w_{j+1}) + (1/(γΔ))·ln(1+γΔ/k) for j &lt; n (no bid at Q),
/// δ_a(j) = (1/k)·ln(w_j / w_{j−1}) + (1/(γΔ))·ln(1+γΔ/k) for j &gt; −n (no ask at −Q).
/// <para>
/// Only ratios of w matter. −M is a Metzler matrix, so with c = max M_jj the matrix B = c·I − M is entrywise
/// non-negative and exp(−Mτ)·1 = e^(−cτ)·exp(Bτ)·1: the vector is advanced in steps h with ‖B‖·h ≤ ½ by the
/// Taylor series of exp(Bh), every term non-negative (no cancellation, so even the tiny edge components keep their
/// relative accuracy), and renormalised after each step. τ = ∞ gives the stationary (ground-state) quotes.
/// </para>
/// </summary>
public sealed class GlftExactModel : IQuoteModel
{
    private const double StepNorm = 0.5;
    private readonly double[] _diagonalB;
    private readonly double _eta;
    private readonly double _normB;
    private readonly double _staticDepth;
    private GlftDepths? _last;

    public GlftExactModel(GlftParameters parameters, double maxInventory)
    {
        Parameters = parameters;
        MaxInventory = Guard.Positive(maxInventory, "max_inventory");
        var levels = maxInventory / parameters.Size;
        var n = (int)Math.Round(levels);
        if (Math.Abs(levels - n) > 1e-9 * Math.Max(1.0, levels) || n < 1)
        {
            throw new InputException($"max inventory {Guard.Format(maxInventory)} must be a positive whole number of order sizes ({Guard.Format(parameters.Size)})", field: "max_inventory");
        }
        if (n > 100_000)
        {
            throw new InputException($"max inventory / size = {n} levels is too many for the exact solution", field: "max_inventory");
        }
        Levels = n;
        var p = parameters;
        var alpha = 0.5 * p.K * p.Gamma * p.Sigma * p.Sigma * p.Size;
        _eta = Glft.Eta(p.Gamma, p.A, p.K, p.Size);
        _staticDepth = Glft.StaticDepth(p.Gamma, p.K, p.Size);
        var diagonal = new double[2 * n + 1];
        var c = double.NegativeInfinity;
        for (var j = -n; j <= n; j++)
        {
            diagonal[j + n] = alpha * j * j - p.K * p.Drift * j;
            c = Math.Max(c, diagonal[j + n]);
        }
        _diagonalB = new double[diagonal.Length];
        var maxDiagonal = 0.0;
        for (var i = 0; i < diagonal.Length; i++)
        {
            _diagonalB[i] = c - diagonal[i];
            maxDiagonal = Math.Max(maxDiagonal, _diagonalB[i]);
        }
        _normB = maxDiagonal + 2.0 * _eta;
    }

    public GlftParameters Parameters { get; }
    public double MaxInventory { get; }

    /// <summary>n = Q/Δ: the grid has 2n + 1 inventories.</summary>
    public int Levels { get; }

    public Quote Quote(double mid, double inventory, double tau)
    {
        Guard.Finite(mid, "mid");
        Guard.Finite(inventory, "q");
        var j = inventory / Parameters.Size;
        var index = (int)Math.Round(j);
        if (Math.Abs(j - index) > 1e-9 * Math.Max(1.0, Math.Abs(j)))
        {
            throw new InputException($"inventory {Guard.Format(inventory)} is not a whole number of order sizes ({Guard.Format(Parameters.Size)})", field: "q");
        }
        if (Math.Abs(index) > Levels)
        {
            throw new InputException($"inventory {Guard.Format(inventory)} is outside the bound ±{Guard.Format(MaxInventory)}", field: "q");
        }
        var depths = Depths(tau);
        return new Quote(mid, depths.Bid[index + Levels], depths.Ask[index + Levels]);
    }

    /// <summary>Depths for every inventory on the grid at time to horizon <paramref name="tau"/> (∞ for stationary).</summary>
    public GlftDepths Depths(double tau)
    {
        if (double.IsNaN(tau) || tau < 0)
        {
            throw new InputException($"must be >= 0, got {Guard.Format(tau)}", field: "tau");
        }
        if (_last is { } cached && cached.Tau.Equals(tau)) return cached;
        var w = W(tau);
        var size = w.Length;
        var inventory = new double[size];
        var bid = new double?[size];
        var ask = new double?[size];
        var k = Parameters.K;
        for (var i = 0; i < size; i++)
        {
            inventory[i] = (i - Levels) * Parameters.Size;
            bid[i] = i < size - 1 ? Math.Log(w[i] / w[i + 1]) / k + _staticDepth : null;
            ask[i] = i > 0 ? Math.Log(w[i] / w[i - 1]) / k + _staticDepth : null;
        }
        var depths = new GlftDepths(tau, inventory, bid, ask);
        _last = depths;
        return depths;
    }

    /// <summary>w(τ) = exp(−Mτ)·1 up to a positive factor (largest component 1).</summary>
    internal double[] W(double tau)
    {
        var w = new double[_diagonalB.Length];
        Array.Fill(w, 1.0);
        Advance(w, tau);
        return w;
    }

    /// <summary>w ← exp(−M·tau)·w, renormalised (largest component 1): how the table of a run steps through time.</summary>
    internal void Advance(double[] w, double tau)
    {
        var size = _diagonalB.Length;
        if (tau == 0 || _normB == 0) return;
        var infinite = double.IsPositiveInfinity(tau);
        var steps = infinite ? long.MaxValue : (long)Math.Ceiling(_normB * tau / StepNorm);
        var h = infinite ? StepNorm / _normB : tau / steps;
        var term = new double[size];
        var next = new double[size];
        var sum = new double[size];
        for (long step = 0; step < steps; step++)
        {
            Array.Copy(w, term, size);
            Array.Copy(w, sum, size);
            for (var order = 1; order <= 60; order++)
            {
                // next = (h/order)·B·term, B tridiagonal with η off the diagonal.
                var factor = h / order;
                var small = true;
                for (var i = 0; i < size; i++)
                {
                    var v = _diagonalB[i] * term[i];
                    if (i > 0) v += _eta * term[i - 1];
                    if (i < size - 1) v += _eta * term[i + 1];
                    v *= factor;
                    next[i] = v;
                    sum[i] += v;
                    if (v > 1e-17 * sum[i]) small = false;
                }
                (term, next) = (next, term);
                if (small) break;
            }
            var max = 0.0;
            foreach (var v in sum) max = Math.Max(max, v);
            var change = 0.0;
            for (var i = 0; i < size; i++)
            {
                var v = sum[i] / max;
                if (infinite) change = Math.Max(change, Math.Abs(v - w[i]) / v);
                w[i] = v;
            }
            if (infinite && change < 1e-15 && step > 0) break;
            if (infinite && step > 50_000_000 / Math.Max(1, size))
            {
                throw new InputException("the stationary GLFT quotes did not converge; give a finite --tau", field: "tau");
            }
        }
    }

    /// <summary>
    /// Depths for every inventory at every τ of <paramref name="taus"/> (ascending), stepping w from one τ to the
    /// next (so a whole time grid costs one pass): <c>bid[row][j]</c>, NaN where no quote is posted. Rows stop once
    /// the depths no longer change (the stationary solution); later τ use the last row.
    /// </summary>
    public (double[][] Bid, double[][] Ask) DepthTable(IReadOnlyList<double> taus)
    {
        var size = _diagonalB.Length;
        var w = new double[size];
        Array.Fill(w, 1.0);
        var bids = new List<double[]>();
        var asks = new List<double[]>();
        var previous = 0.0;
        var k = Parameters.K;
        foreach (var tau in taus)
        {
            if (!(tau >= previous)) throw new ArgumentException("taus must be ascending and non-negative");
            Advance(w, tau - previous);
            previous = tau;
            var bid = new double[size];
            var ask = new double[size];
            for (var i = 0; i < size; i++)
            {
                bid[i] = i < size - 1 ? Math.Log(w[i] / w[i + 1]) / k + _staticDepth : double.NaN;
                ask[i] = i > 0 ? Math.Log(w[i] / w[i - 1]) / k + _staticDepth : double.NaN;
            }
            if (bids.Count > 0 && Same(bids[^1], bid) && Same(asks[^1], ask)) break;
            bids.Add(bid);
            asks.Add(ask);
        }
        return (bids.ToArray(), asks.ToArray());

        static bool Same(double[] a, double[] b)
        {
            for (var i = 0; i < a.Length; i++)
            {
                if (!(Math.Abs(a[i] - b[i]) <= 1e-13 * Math.Abs(a[i])) && !(double.IsNaN(a[i]) && double.IsNaN(b[i]))) return false;
            }
            return true;
        }
    }
}

internal static class QuotingMath
{
    /// <summary>ln(1 + x), accurate for small x (Goldberg's trick; .NET has no log1p).</summary>
    public static double Log1p(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}
