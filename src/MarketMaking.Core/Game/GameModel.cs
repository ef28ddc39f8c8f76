using System.Globalization;

namespace MarketMaking.Core.Game;

/// <summary>How the order flow is split between the makers' quotes.</summary>
public enum ShareModel
{
    /// <summary>w_i = e^(−β·s_i) / Σ_j e^(−β·s_j).</summary>
    Logit,

    /// <summary>The lowest half-spread takes all the flow; ties split it equally.</summary>
    WinnerTakesAll,
}

public static class ShareModels
{
    public const string LogitName = "logit";
    public const string WinnerTakesAllName = "winner_takes_all";

    public static ShareModel Parse(string? text, string field = "market.share_model") => text switch
    {
        LogitName => ShareModel.Logit,
        WinnerTakesAllName => ShareModel.WinnerTakesAll,
        null or "" => throw new InputException("is missing: expected logit or winner_takes_all", field: field),
        _ => throw new InputException($"unknown share model '{text}': expected logit or winner_takes_all", field: field),
    };

    public static string Name(this ShareModel model) => model == ShareModel.Logit ? LogitName : WinnerTakesAllName;
}

/// <summary>The market the makers compete in. Field names in errors are the configuration keys.</summary>
public sealed record GameMarket
{
    /// <param name="sigma">σ, mid-price volatility per unit time.</param>
    /// <param name="holdingHorizon">h, how long a fill is held before it is laid off.</param>
    /// <param name="arrivalRate">Λ0, order arrivals per unit time when every half-spread is zero.</param>
    /// <param name="flowElasticity">κ, how fast total flow falls with the flow-weighted half-spread.</param>
    /// <param name="shareElasticity">β, how fast a maker's share falls with its half-spread (logit only).</param>
    /// <param name="informedFraction">α, the fraction of orders that are informed.</param>
    /// <param name="informedMove">J, how far an informed order moves the price against the maker.</param>
    public GameMarket(double sigma, double holdingHorizon, double arrivalRate, double flowElasticity, ShareModel shareModel,
        double shareElasticity, double informedFraction = 0.0, double informedMove = 0.0)
    {
        Sigma = Guard.NonNegative(sigma, "market.sigma");
        HoldingHorizon = Guard.NonNegative(holdingHorizon, "market.holding_horizon");
        ArrivalRate = Guard.Positive(arrivalRate, "market.arrival_rate");
        FlowElasticity = Guard.NonNegative(flowElasticity, "market.flow_elasticity");
        if (!Enum.IsDefined(shareModel))
        {
            throw new InputException($"unknown share model {(int)shareModel}", field: "market.share_model");
        }
        ShareModel = shareModel;
        ShareElasticity = Guard.Positive(shareElasticity, "market.share_elasticity");
        InformedFraction = Guard.InRange(informedFraction, 0.0, 1.0, "market.informed_fraction");
        InformedMove = Guard.NonNegative(informedMove, "market.informed_move");
    }

    public double Sigma { get; }
    public double HoldingHorizon { get; }
    public double ArrivalRate { get; }
    public double FlowElasticity { get; }
    public ShareModel ShareModel { get; }
    public double ShareElasticity { get; }
    public double InformedFraction { get; }
    public double InformedMove { get; }

    /// <summary>A copy with σ changed, validated like the original (used by the sensitivity sweeps).</summary>
    public GameMarket WithSigma(double sigma) =>
        new(sigma, HoldingHorizon, ArrivalRate, FlowElasticity, ShareModel, ShareElasticity, InformedFraction, InformedMove);

    public GameMarket WithShareElasticity(double beta) =>
        new(Sigma, HoldingHorizon, ArrivalRate, FlowElasticity, ShareModel, beta, InformedFraction, InformedMove);

    public GameMarket WithFlowElasticity(double kappa) =>
        new(Sigma, HoldingHorizon, ArrivalRate, kappa, ShareModel, ShareElasticity, InformedFraction, InformedMove);

    public GameMarket WithArrivalRate(double arrivalRate) =>
        new(Sigma, HoldingHorizon, arrivalRate, FlowElasticity, ShareModel, ShareElasticity, InformedFraction, InformedMove);
}

/// <summary>One market maker.</summary>
public sealed record GamePlayer
{
    /// <param name="cost">Execution cost per fill.</param>
    /// <param name="riskAversion">γ: inventory risk is charged at γ·σ²·h per fill.</param>
    public GamePlayer(string name, double cost, double riskAversion, string field = "players")
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InputException("is missing: every player needs a name", field: field + ".name");
        }
        Name = name;
        Cost = Guard.NonNegative(cost, field + ".cost");
        RiskAversion = Guard.NonNegative(riskAversion, field + ".risk_aversion");
    }

    public string Name { get; }
    public double Cost { get; }
    public double RiskAversion { get; }

    public GamePlayer WithCost(double cost) => new(Name, cost, RiskAversion);
}

/// <summary>The tick grid of half-spreads {0, tick, 2·tick, …, max_half_spread}.</summary>
public sealed record SpreadGrid
{
    public const double DefaultMaxHalfSpread = 2.0;
    public const double DefaultTick = 0.001;

    /// <summary>Beyond this many points per player the exhaustive search stops being a matter of seconds.</summary>
    public const int MaxPoints = 1_000_001;

    public SpreadGrid(double maxHalfSpread = DefaultMaxHalfSpread, double tick = DefaultTick)
    {
        MaxHalfSpread = Guard.Positive(maxHalfSpread, "grid.max_half_spread");
        Tick = Guard.Positive(tick, "grid.tick");
        if (tick > maxHalfSpread)
        {
            throw new InputException($"must not exceed grid.max_half_spread ({Guard.Format(maxHalfSpread)}), got {Guard.Format(tick)}", field: "grid.tick");
        }
        // The relative slack keeps 2.0/0.001 at 2001 points despite 2.0/0.001 = 1999.9999999999998 in binary.
        var steps = Math.Floor(maxHalfSpread / tick * (1 + 1e-12));
        if (steps + 1 > MaxPoints)
        {
            throw new InputException($"gives {(steps + 1).ToString("0", CultureInfo.InvariantCulture)} grid points, more than {MaxPoints.ToString(CultureInfo.InvariantCulture)}: use a coarser tick", field: "grid.tick");
        }
        Count = (int)steps + 1;
    }

    public double MaxHalfSpread { get; }
    public double Tick { get; }

    /// <summary>Number of grid points.</summary>
    public int Count { get; }

    /// <summary>The k-th half-spread, k·tick (multiplied, not accumulated, so every point is exact to one rounding).</summary>
    public double this[int k] => k * Tick;

    /// <summary>Nearest grid index to a half-spread, clamped to the grid.</summary>
    public int IndexOf(double halfSpread) => (int)Math.Clamp(Math.Round(halfSpread / Tick), 0, Count - 1);

    public double[] Values()
    {
        var values = new double[Count];
        for (var k = 0; k < values.Length; k++) values[k] = this[k];
        return values;
    }
}

/// <summary>
/// N makers in one market: the game. Holds the marginal costs m_i and evaluates shares, flow and payoffs.
/// </summary>
public sealed class SpreadGame
{
    public SpreadGame(GameMarket market, IReadOnlyList<GamePlayer> players)
    {
        Market = market ?? throw new InputException("is missing", field: "market");
        if (players is null)
        {
            throw new InputException("is missing: at least two players are needed", field: "players");
        }
        if (players.Count < 2)
        {
            throw new InputException($"need at least two players for a game, got {players.Count.ToString(CultureInfo.InvariantCulture)}", field: "players");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < players.Count; i++)
        {
            if (players[i] is null) throw new InputException("is missing", field: $"players[{i.ToString(CultureInfo.InvariantCulture)}]");
            if (!names.Add(players[i].Name))
            {
                throw new InputException($"duplicate player name '{players[i].Name}'", field: $"players[{i.ToString(CultureInfo.InvariantCulture)}].name");
            }
        }
        Players = players.ToArray();
        MarginalCosts = Players.Select(p => GameFormulas.MarginalCost(p.Cost, p.RiskAversion, market.Sigma, market.HoldingHorizon, market.InformedFraction, market.InformedMove)).ToArray();
    }

    public GameMarket Market { get; }
    public IReadOnlyList<GamePlayer> Players { get; }
    public int N => Players.Count;

    /// <summary>m_i, each maker's expected cost of one fill.</summary>
    public IReadOnlyList<double> MarginalCosts { get; }

    public bool IsSmooth => Market.ShareModel == ShareModel.Logit;

    /// <summary>True when every maker has the same marginal cost (to 1e-15 relative): the closed form then applies to logit.</summary>
    public bool IsSymmetric => MarginalCosts.All(m => Math.Abs(m - MarginalCosts[0]) <= 1e-15 * Math.Max(1.0, Math.Abs(MarginalCosts[0])));

    public void Shares(ReadOnlySpan<double> halfSpreads, Span<double> shares)
    {
        if (Market.ShareModel == ShareModel.Logit)
        {
            GameFormulas.LogitShares(halfSpreads, Market.ShareElasticity, shares);
        }
        else
        {
            GameFormulas.WinnerTakesAllShares(halfSpreads, shares);
        }
    }

    /// <summary>π_i for every maker at the profile <paramref name="halfSpreads"/>.</summary>
    public void Payoffs(ReadOnlySpan<double> halfSpreads, Span<double> payoffs)
    {
        Span<double> shares = halfSpreads.Length <= 64 ? stackalloc double[halfSpreads.Length] : new double[halfSpreads.Length];
        Shares(halfSpreads, shares);
        var flow = GameFormulas.TotalFlow(Market.ArrivalRate, Market.FlowElasticity, halfSpreads, shares);
        for (var i = 0; i < halfSpreads.Length; i++)
        {
            payoffs[i] = GameFormulas.Payoff(flow, shares[i], halfSpreads[i], MarginalCosts[i]);
        }
    }

    /// <summary>π_i at one profile.</summary>
    public double Payoff(int player, ReadOnlySpan<double> halfSpreads)
    {
        if (N == 2)
        {
            return TwoPlayerPayoff(player, halfSpreads[player], halfSpreads[1 - player]);
        }
        Span<double> shares = halfSpreads.Length <= 64 ? stackalloc double[halfSpreads.Length] : new double[halfSpreads.Length];
        Shares(halfSpreads, shares);
        var flow = GameFormulas.TotalFlow(Market.ArrivalRate, Market.FlowElasticity, halfSpreads, shares);
        return GameFormulas.Payoff(flow, shares[player], halfSpreads[player], MarginalCosts[player]);
    }

    /// <summary>π_i when maker i quotes <paramref name="own"/> and the other of two quotes <paramref name="other"/>: the hot loop of the grid search.</summary>
    public double TwoPlayerPayoff(int player, double own, double other)
    {
        double share;
        if (Market.ShareModel == ShareModel.Logit)
        {
            share = GameFormulas.LogitShareOfTwo(own, other, Market.ShareElasticity);
        }
        else
        {
            share = own < other ? 1.0 : own > other ? 0.0 : 0.5;
        }
        var weighted = share * own + (1 - share) * other;
        var flow = Market.FlowElasticity == 0 ? Market.ArrivalRate : Market.ArrivalRate * Math.Exp(-Market.FlowElasticity * weighted);
        return GameFormulas.Payoff(flow, share, own, MarginalCosts[player]);
    }

    /// <summary>A typical payoff size, Λ0·(max half-spread + max m): tolerances for "as good as the best" are relative to it.</summary>
    public double PayoffScale(SpreadGrid grid) => Market.ArrivalRate * (grid.MaxHalfSpread + MarginalCosts.Max());

    /// <summary>The same makers in another market, or the same market with other makers: used by the sweeps.</summary>
    public SpreadGame With(GameMarket market) => new(market, Players);

    public SpreadGame With(IReadOnlyList<GamePlayer> players) => new(Market, players);
}
