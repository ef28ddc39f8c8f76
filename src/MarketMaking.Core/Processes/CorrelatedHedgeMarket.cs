using MarketMaking.Core.Random;

namespace MarketMaking.Core.Processes;

/// <summary>
/// A market plus a synthetic second instrument to hedge with, correlated with the quoted mid: per step its relative
/// return is r_H = ρ·(σ_H/σ_S)·r_S + σ_H·√(1−ρ²)·√dt·Z, with r_S = ΔS/S the quoted mid's relative return, σ_S its
/// relative volatility per unit time and Z ~ N(0,1) from the stream (seed, path, 2). The returns' correlation is ρ
/// (exactly for Gaussian r_S) and the hedge's volatility σ_H.
/// </summary>
public sealed class CorrelatedHedgeMarket : IMarket
{
    public CorrelatedHedgeMarket(IMarket inner, double correlation, double hedgeS0, double quotedVolatility, double hedgeVolatility)
    {
        Inner = inner;
        Correlation = Guard.InRange(correlation, -1, 1, "correlation");
        InitialHedgeMid = Guard.Positive(hedgeS0, "s0");
        QuotedVolatility = Guard.Positive(quotedVolatility, "sigma");
        HedgeVolatility = Guard.NonNegative(hedgeVolatility, "sigma");
    }

    public IMarket Inner { get; }
    public double Correlation { get; }
    public double QuotedVolatility { get; }
    public double HedgeVolatility { get; }

    public double InitialMid => Inner.InitialMid;
    public int Steps => Inner.Steps;
    public double Horizon => Inner.Horizon;
    public double Dt => Inner.Dt;
    public bool HasHedge => true;
    public double InitialHedgeMid { get; }

    public IMarketCursor Open(long firstPath, int lanes, ulong seed) => new Cursor(this, Inner.Open(firstPath, lanes, seed), firstPath, lanes, seed);

    private sealed class Cursor : IMarketCursor
    {
        private readonly CorrelatedHedgeMarket _market;
        private readonly IMarketCursor _inner;
        private readonly Xoshiro256StarStar[] _rng;
        private readonly double[] _lastMid, _hedge;
        private double[] _chunk = [];
        private double[] _dts = [];
        private int _count;

        public Cursor(CorrelatedHedgeMarket market, IMarketCursor inner, long firstPath, int lanes, ulong seed)
        {
            _market = market;
            _inner = inner;
            _rng = new Xoshiro256StarStar[lanes];
            _lastMid = new double[lanes];
            _hedge = new double[lanes];
            for (var lane = 0; lane < lanes; lane++)
            {
                _rng[lane] = Xoshiro256StarStar.ForStream(seed, (ulong)(firstPath + lane), BacktestStreams.Hedge);
                _lastMid[lane] = market.InitialMid;
                _hedge[lane] = market.InitialHedgeMid;
            }
        }

        public void Next(int count, Span<double> mids, Span<double> times, Span<double> dts)
        {
            _inner.Next(count, mids, times, dts);
            if (_chunk.Length < mids.Length) _chunk = new double[mids.Length];
            if (_dts.Length < count) _dts = new double[count];
            mids[..(count * _rng.Length)].CopyTo(_chunk);
            dts[..count].CopyTo(_dts);
            _count = count;
        }

        public void NextHedge(int count, Span<double> hedgeMids)
        {
            if (count != _count) throw new InvalidOperationException("NextHedge must follow Next for the same steps");
            var lanes = _rng.Length;
            var m = _market;
            var beta = m.Correlation * m.HedgeVolatility / m.QuotedVolatility;
            var idiosyncratic = m.HedgeVolatility * Math.Sqrt(Math.Max(0.0, 1.0 - m.Correlation * m.Correlation));
            for (var lane = 0; lane < lanes; lane++)
            {
                ref var rng = ref _rng[lane];
                var previous = _lastMid[lane];
                var h = _hedge[lane];
                for (var j = 0; j < count; j++)
                {
                    var s = _chunk[j * lanes + lane];
                    var r = (s - previous) / previous;
                    previous = s;
                    h *= 1.0 + beta * r + idiosyncratic * Math.Sqrt(_dts[j]) * rng.NextGaussian();
                    hedgeMids[j * lanes + lane] = h;
                }
                _lastMid[lane] = previous;
                _hedge[lane] = h;
            }
        }

        public void Dispose() => _inner.Dispose();
    }
}
