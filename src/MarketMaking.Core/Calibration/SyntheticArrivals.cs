using MarketMaking.Core.Intensity;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Calibration;

/// <summary>Binned arrival data drawn from a known intensity: n_i ~ Poisson(λ(δ_i)·E_i).</summary>
public static class SyntheticArrivals
{
    public static IReadOnlyList<ArrivalBin> Generate(IIntensityModel truth, IReadOnlyList<double> deltas, double exposure, ulong seed)
    {
        Guard.Positive(exposure, "exposure");
        var rng = new Xoshiro256StarStar(seed);
        var bins = new ArrivalBin[deltas.Count];
        for (var i = 0; i < deltas.Count; i++)
        {
            var count = Sampling.Poisson(ref rng, truth.Intensity(deltas[i]) * exposure);
            bins[i] = new ArrivalBin(deltas[i], count, exposure);
        }
        return bins;
    }

    /// <summary>FROM, FROM+STEP, ... up to TO inclusive (rounded to the step so that 0.1·3 lands on 0.3).</summary>
    public static double[] Grid(double from, double to, double step)
    {
        Guard.NonNegative(from, "from");
        Guard.Positive(step, "step");
        if (to < from) throw new InputException("the grid's end is below its start", field: "to");
        var count = (int)Math.Floor((to - from) / step + 1e-9) + 1;
        var grid = new double[count];
        for (var i = 0; i < count; i++)
        {
            grid[i] = Math.Round(from + i * step, 12);
        }
        return grid;
    }
}
