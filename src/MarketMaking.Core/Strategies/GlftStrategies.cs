using MarketMaking.Core.Quoting;

namespace MarketMaking.Core.Strategies;

/// <summary>
/// `glft`: the Guéant–Lehalle–Fernandez-Tapia closed-form (long-horizon) quotes in the event loop, with the drift term.
/// bid = S − δ_b(q), ask = S + δ_a(q) (see <see cref="Glft"/>): affine in q with slope ξ, so without drift the engine
/// runs it in the register-resident kernel.
/// </summary>
public sealed class GlftStrategy : IQuotingStrategy
{
    public const string StrategyName = "glft";

    public GlftStrategy(GlftParameters parameters)
    {
        Parameters = parameters;
    }

    public GlftParameters Parameters { get; }
    public string Name => StrategyName;

    public IQuoter CreateQuoter(in QuoterSetup setup)
    {
        var p = Parameters;
        var xi = Glft.InventorySkew(p.Gamma, p.Sigma, p.A, p.K, p.Size);
        // δ_b = static + (q + Δ/2)ξ − μξ/(γσ²), δ_a = static − (q − Δ/2)ξ + μξ/(γσ²): a centre S − qξ + offset, half static + Δξ/2.
        var half = Glft.StaticDepth(p.Gamma, p.K, p.Size) + 0.5 * p.Size * xi;
        var offset = p.Drift * xi / (p.Gamma * p.Sigma * p.Sigma);
        return offset == 0 ? new AffineQuoter(xi, half) : new OffsetQuoter(xi, half, offset);
    }

    private sealed class AffineQuoter(double slope, double half) : IQuoter, IAffineQuoter
    {
        public void Quote(in QuoteRequest request, in QuoteResponse response) =>
            QuoteKernels.AroundReservation(request.Mid, request.Inventory, slope, half, response.Bid, response.Ask);

        public void Coefficients(int step, double time, double tau, double dt, out double slope1, out double half1)
        {
            slope1 = slope;
            half1 = half;
        }
    }

    private sealed class OffsetQuoter(double slope, double half, double offset) : IQuoter
    {
        public void Quote(in QuoteRequest request, in QuoteResponse response)
        {
            for (var lane = 0; lane < request.Mid.Length; lane++)
            {
                var centre = request.Mid[lane] - request.Inventory[lane] * slope + offset;
                response.Bid[lane] = centre - half;
                response.Ask[lane] = centre + half;
            }
        }
    }
}

/// <summary>
/// `glft-exact`: the exact bounded-inventory solution at the current τ. The depth table over the run's time grid
/// (τ_i = T − i·T/n) is computed once per run (stepping exp(−M·Δτ) from one τ to the next, stopping once stationary)
/// and shared by every batch; each step then looks the depths up by step and inventory level. No bid at +Q, no ask at −Q.
/// </summary>
public sealed class GlftExactStrategy : IQuotingStrategy
{
    public const string StrategyName = "glft-exact";

    /// <summary>Beyond this many rows the table stops growing and longer τ use its last (most stationary) row.</summary>
    private const int MaxRows = 1 << 20;

    private readonly GlftExactModel _model;
    private readonly object _gate = new();
    private (int Steps, double Horizon, double[][] Bid, double[][] Ask)? _table;

    public GlftExactStrategy(GlftParameters parameters, double maxInventory)
    {
        _model = new GlftExactModel(parameters, maxInventory);
    }

    public GlftParameters Parameters => _model.Parameters;
    public double MaxInventory => _model.MaxInventory;
    public string Name => StrategyName;

    /// <summary>The depth table for a grid of <paramref name="steps"/> steps over <paramref name="horizon"/>: row r is τ = (r + 1)·T/n.</summary>
    public (double[][] Bid, double[][] Ask) Table(int steps, double horizon)
    {
        lock (_gate)
        {
            if (_table is { } t && t.Steps == steps && t.Horizon.Equals(horizon)) return (t.Bid, t.Ask);
            var rows = Math.Min(steps, MaxRows);
            var taus = new double[rows];
            for (var r = 0; r < rows; r++) taus[r] = (r + 1) * (horizon / steps);
            var (bid, ask) = _model.DepthTable(taus);
            _table = (steps, horizon, bid, ask);
            return (bid, ask);
        }
    }

    public IQuoter CreateQuoter(in QuoterSetup setup)
    {
        var (bid, ask) = Table(setup.Steps, setup.Horizon);
        return new Quoter(bid, ask, setup.Steps, _model.Levels, Parameters.Size);
    }

    private sealed class Quoter(double[][] bidTable, double[][] askTable, int steps, int levels, double size) : IQuoter
    {
        public void Quote(in QuoteRequest request, in QuoteResponse response)
        {
            // Step i quotes at τ_i = T − i·T/n = row n − i − 1 (the last row when the table stopped at stationarity).
            var row = Math.Min(steps - request.Step - 1, bidTable.Length - 1);
            row = Math.Max(row, 0);
            var bids = bidTable[row];
            var asks = askTable[row];
            for (var lane = 0; lane < request.Mid.Length; lane++)
            {
                var j = (int)Math.Round(request.Inventory[lane] / size);
                var s = request.Mid[lane];
                if (j < -levels || j > levels)
                {
                    // Outside the model's grid (another cap let it through): only reduce.
                    response.Bid[lane] = double.NaN;
                    response.Ask[lane] = double.NaN;
                    if (j < -levels) response.Bid[lane] = s - bids[0];
                    else response.Ask[lane] = s + asks[2 * levels];
                    continue;
                }
                response.Bid[lane] = s - bids[j + levels];
                response.Ask[lane] = s + asks[j + levels];
            }
        }
    }
}
