using MarketMaking.Core.Intensity;

namespace MarketMaking.Core.Backtest;

/// <summary>The run's fixed shape, derived once from the spec: batch sizes, recorded rows, sample budgets.</summary>
internal sealed class RunPlan
{
    /// <summary>Paths simulated together, structure-of-arrays; a multiple of the vector width.</summary>
    public const int BatchLanes = 256;

    /// <summary>Steps of mid path produced per market call: bounds memory however long the series.</summary>
    public const int ChunkSteps = 128;

    /// <summary>Values kept per distribution series (fans): about 8 MB each.</summary>
    public const long FanValueBudget = 1L << 20;

    /// <summary>One-step P&amp;L values kept for VaR/ES per strategy: about 32 MB.</summary>
    public const long TailValueBudget = 1L << 22;

    /// <summary>Fill rows kept per strategy, over all recorded paths.</summary>
    public const int FillRecordLimit = 1_000_000;

    public static readonly double[] FanProbabilities = [0.05, 0.25, 0.5, 0.75, 0.95];

    public RunPlan(BacktestSpec spec)
    {
        Spec = spec;
        Paths = spec.Paths;
        Steps = spec.Market.Steps;
        Horizon = spec.Market.Horizon;
        Every = spec.TimeseriesEvery > 0 ? spec.TimeseriesEvery : Math.Max(1, (int)Math.Ceiling(Steps / 200_000.0));
        Rows = RowCount(Steps, Every);
        DistributionPaths = Math.Min(Paths, spec.DistributionPaths);
        var fanFactor = (int)Math.Max(1, Math.Ceiling((double)DistributionPaths * Rows / FanValueBudget));
        FanEvery = Every * fanFactor;
        FanRows = RowCount(Steps, FanEvery);
        TailStride = (int)Math.Max(1, Math.Ceiling((double)DistributionPaths * Steps / TailValueBudget));
        TailColumns = (Steps + TailStride - 1) / TailStride;
        Horizons = [.. spec.MarkoutHorizons];
        var longest = 0;
        foreach (var h in Horizons) longest = Math.Max(longest, h);
        Ring = longest + 1;
        var trackedPaths = spec.AllFills ? Paths : DistributionPaths;
        FillCapPerPath = Math.Max(256, FillRecordLimit / Math.Max(1, trackedPaths));
        Bid = new SideModel(spec.BidIntensity);
        Ask = new SideModel(spec.AskIntensity);
        FillKind = spec.Fills switch
        {
            LinearFills => FillKind.Linear,
            PoissonFills => FillKind.Poisson,
            _ => FillKind.Generic,
        };
        Batches = (int)((Paths + BatchLanes - 1) / BatchLanes);
    }

    public BacktestSpec Spec { get; }
    public int Paths { get; }
    public int Steps { get; }
    public double Horizon { get; }
    public int Every { get; }
    public int Rows { get; }
    public int DistributionPaths { get; }
    public int FanEvery { get; }
    public int FanRows { get; }
    public int TailStride { get; }
    public int TailColumns { get; }
    public int[] Horizons { get; }
    public int Ring { get; }
    public int FillCapPerPath { get; }
    public SideModel Bid { get; }
    public SideModel Ask { get; }
    public FillKind FillKind { get; }
    public int Batches { get; }

    /// <summary>Recorded steps: multiples of <paramref name="every"/> below n, then step n.</summary>
    public static int RowCount(int steps, int every) => (steps - 1) / every + 2;

    public static int[] RowSteps(int steps, int every)
    {
        var rows = new int[RowCount(steps, every)];
        for (var r = 0; r < rows.Length - 1; r++) rows[r] = r * every;
        rows[^1] = steps;
        return rows;
    }
}

internal enum FillKind
{
    Linear,
    Poisson,
    Generic,
}

internal enum IntensityKind
{
    Exponential,
    Power,
    Generic,
}

/// <summary>An intensity model unpacked for the vector kernel (the known models run vectorised, any other lane by lane).</summary>
internal sealed class SideModel
{
    public SideModel(IIntensityModel model)
    {
        Model = model;
        switch (model)
        {
            case ExponentialIntensity e:
                Kind = IntensityKind.Exponential;
                A = e.A;
                K = e.K;
                break;
            case PowerLawIntensity p:
                Kind = IntensityKind.Power;
                A = p.A;
                K = p.K;
                Delta0 = p.Delta0;
                break;
            default:
                Kind = IntensityKind.Generic;
                break;
        }
    }

    public IIntensityModel Model { get; }
    public IntensityKind Kind { get; }
    public double A { get; }
    public double K { get; }
    public double Delta0 { get; }
}
