using BenchmarkDotNet.Attributes;
using MarketMaking.Core.Calibration;
using MarketMaking.Core.Intensity;

namespace MarketMaking.Benchmarks;

/// <summary>Issue targets: both models on 10^6 bins in under 1 s; the exponential alone under 0.3 s (scipy baseline: python/scipy_calibration.py).</summary>
[MemoryDiagnoser]
public class CalibrationBenchmarks
{
    private IReadOnlyList<ArrivalBin> _bins = [];
    private IReadOnlyList<ArrivalBin> _powerBins = [];

    [Params(1_000_000)]
    public int Bins { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var deltas = Enumerable.Range(0, Bins).Select(i => 0.001 + 3.0 * i / Bins).ToArray();
        _bins = SyntheticArrivals.Generate(new ExponentialIntensity(140, 1.5), deltas, 0.01, seed: 1);
        // On exponential data the power law runs to the delta0 -> infinity boundary; this one has an interior optimum.
        _powerBins = SyntheticArrivals.Generate(new PowerLawIntensity(50, 2.0, 0.3), deltas, 0.05, seed: 3);
    }

    [Benchmark]
    public IntensityFit Exponential() => PoissonIntensityMle.FitExponential(_bins);

    [Benchmark]
    public IntensityFit PowerLaw() => PoissonIntensityMle.FitPowerLaw(_bins);

    [Benchmark]
    public IntensityFit PowerLawOnPowerData() => PoissonIntensityMle.FitPowerLaw(_powerBins);

    [Benchmark]
    public CalibrationResult BothModels() => IntensityCalibration.Run(new CalibrationRequest("bench", _bins, CalibrationModels.Both));
}
