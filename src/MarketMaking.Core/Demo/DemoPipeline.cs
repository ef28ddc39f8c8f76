using MarketMaking.Core.Calibration;
using MarketMaking.Core.Intensity;

namespace MarketMaking.Core.Demo;

/// <summary>The demo's settings: the truth it generates from, and the seed.</summary>
public sealed record DemoSettings
{
    public DemoSettings(ulong seed, double trueA = 140, double trueK = 1.5)
    {
        Seed = seed;
        TrueA = Guard.Positive(trueA, "A");
        TrueK = Guard.Positive(trueK, "k");
    }

    public ulong Seed { get; }
    public double TrueA { get; }
    public double TrueK { get; }

    /// <summary>Quote depths of the synthetic bins: 0.05 to 3.0 in steps of 0.05, as a desk would bin ticks.</summary>
    public IReadOnlyList<double> Deltas { get; } = SyntheticArrivals.Grid(0.05, 3.0, 0.05);

    /// <summary>Time units observed at each depth.</summary>
    public double Exposure { get; init; } = 20.0;
}

public sealed record DemoResult(DemoSettings Settings, IReadOnlyList<ArrivalBin> Bins, CalibrationResult Calibration);

/// <summary>End to end on synthetic data with a known truth, so every estimate can be checked against it.</summary>
public static class DemoPipeline
{
    public const string BinsFileName = "demo_bins.csv";

    public static DemoResult Run(DemoSettings settings)
    {
        var truth = new ExponentialIntensity(settings.TrueA, settings.TrueK);
        var bins = SyntheticArrivals.Generate(truth, settings.Deltas, settings.Exposure, settings.Seed);
        var calibration = IntensityCalibration.Run(new CalibrationRequest(BinsFileName, bins, CalibrationModels.Both));
        return new DemoResult(settings, bins, calibration);
    }
}
