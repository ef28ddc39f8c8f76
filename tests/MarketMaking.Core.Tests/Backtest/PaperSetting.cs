using MarketMaking.Core.Backtest;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Processes;
using MarketMaking.Core.Quoting;

namespace MarketMaking.Core.Tests.Backtest;

/// <summary>Avellaneda and Stoikov (2008), section 4: S0 = 100, T = 1, σ = 2, dt = 0.005, k = 1.5, A = 140, binomial mid, linear fills.</summary>
internal static class PaperSetting
{
    public static BacktestSpec Spec(double gamma, int paths, ulong seed = 1, int threads = 0, double? maxInventory = null, IFillModel? fills = null)
    {
        var intensity = new ExponentialIntensity(140, 1.5);
        return new BacktestSpec
        {
            Market = new SyntheticMarket(new BinomialProcess(2.0), 100, 0.005, 1.0),
            BidIntensity = intensity,
            AskIntensity = intensity,
            Fills = fills ?? LinearFills.Instance,
            Strategies = [new AvellanedaStoikovStrategy(gamma, 1.5, 2.0), new SymmetricStrategy(gamma, 1.5, 2.0)],
            Paths = paths,
            Seed = seed,
            Threads = threads,
            MaxInventory = maxInventory,
        };
    }
}
