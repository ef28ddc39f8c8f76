using MarketMaking.Core.Backtest;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Game;

public sealed record MonteCarloSettings
{
    public MonteCarloSettings(double horizon, int paths, ulong seed)
    {
        Horizon = Guard.Positive(horizon, "monte_carlo.horizon");
        Paths = Guard.AtLeast(paths, 2, "monte_carlo.paths");
        Seed = seed;
    }

    public double Horizon { get; }
    public int Paths { get; }
    public ulong Seed { get; }
}

/// <summary>One maker's realised P&amp;L over the horizon across paths.</summary>
/// <param name="ExpectedMean">π_i·T, what the mean should be.</param>
/// <param name="ExpectedStd">The compound-Poisson standard deviation √(λ_i·T·E[X²]).</param>
/// <param name="Quantile05">5% quantile (linear interpolation between order statistics).</param>
public sealed record PnlSummary(string Player, double HalfSpread, double FillRate, double Mean, double Std, double Quantile05, double ExpectedMean, double ExpectedStd, double MeanFills);

public sealed record PnlMonteCarloResult(MonteCarloSettings Settings, IReadOnlyList<PnlSummary> Makers, IReadOnlyList<double[]> Samples);

/// <summary>
/// Realised P&amp;L at fixed quotes. Orders arrive as a Poisson process of rate Λ(s); each goes to maker i with
/// probability w_i, so maker i's fills are Poisson with rate λ_i = Λ·w_i, split independently (thinning) into
/// informed fills, rate α·λ_i, and uninformed ones. Each fill earns the half-spread less its execution cost and the
/// inventory-risk charge γ·σ²·h (the certainty-equivalent cost of holding it), loses J if informed, and is marked to
/// market by the mid's move while held, σ·√h·Z. The X per fill has mean s_i − m_i, so E[P&amp;L] = π_i·T. The sum of
/// N Gaussian moves is √N·Z in distribution, so a path costs three draws per maker whatever its fill count.
/// Path p uses stream (seed, p): results do not depend on the number of threads.
/// </summary>
public static class PnlMonteCarlo
{
    public static PnlMonteCarloResult Run(SpreadGame game, IReadOnlyList<double> halfSpreads, MonteCarloSettings settings)
    {
        var players = game.N;
        var s = halfSpreads.ToArray();
        var shares = new double[players];
        game.Shares(s, shares);
        var flow = GameFormulas.TotalFlow(game.Market.ArrivalRate, game.Market.FlowElasticity, s, shares);
        var m = game.Market;
        var alpha = m.InformedFraction;
        var markToMarket = m.Sigma * Math.Sqrt(m.HoldingHorizon);
        var margin = new double[players];
        var rate = new double[players];
        for (var i = 0; i < players; i++)
        {
            var p = game.Players[i];
            margin[i] = s[i] - p.Cost - p.RiskAversion * m.Sigma * m.Sigma * m.HoldingHorizon;
            rate[i] = flow * shares[i] * settings.Horizon;
        }

        var samples = new double[players][];
        var fills = new double[players][];
        for (var i = 0; i < players; i++)
        {
            samples[i] = new double[settings.Paths];
            fills[i] = new double[settings.Paths];
        }
        Parallel.For(0, settings.Paths, path =>
        {
            var rng = Xoshiro256StarStar.ForStream(settings.Seed, (ulong)path);
            for (var i = 0; i < players; i++)
            {
                var informed = Sampling.Poisson(ref rng, alpha * rate[i]);
                var uninformed = Sampling.Poisson(ref rng, (1 - alpha) * rate[i]);
                var count = informed + uninformed;
                var z = rng.NextGaussian();
                samples[i][path] = count * margin[i] - informed * m.InformedMove + markToMarket * Math.Sqrt(count) * z;
                fills[i][path] = count;
            }
        });

        var summaries = new PnlSummary[players];
        for (var i = 0; i < players; i++)
        {
            var x = samples[i];
            var mean = x.Average();
            var variance = x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1);
            var secondMoment = margin[i] * margin[i] - 2 * margin[i] * alpha * m.InformedMove + alpha * m.InformedMove * m.InformedMove + markToMarket * markToMarket;
            summaries[i] = new PnlSummary(game.Players[i].Name, s[i], flow * shares[i], mean, Math.Sqrt(variance), Statistics.Quantile((double[])x.Clone(), 0.05),
                flow * shares[i] * (s[i] - game.MarginalCosts[i]) * settings.Horizon, Math.Sqrt(rate[i] * secondMoment), fills[i].Average());
        }
        return new PnlMonteCarloResult(settings, summaries, samples);
    }
}
