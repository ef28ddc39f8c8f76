using MarketMaking.Core.Calibration;

namespace MarketMaking.Core.Tape;

/// <summary>The depths δ from the mid at which `bins` counts the orders that reached them.</summary>
public static class DepthGrid
{
    /// <summary>FROM, FROM+STEP, ... TO (inclusive), as <see cref="SyntheticArrivals.Grid"/> builds it.</summary>
    public static double[] FromRange(double from, double to, double step) => SyntheticArrivals.Grid(from, to, step);

    /// <summary>1, 2, ..., N ticks: a resting quote sits at least one tick from the mid on a tick grid.</summary>
    public static double[] FromTicks(int ticks, double tickSize)
    {
        Guard.AtLeast(ticks, 1, "--ticks");
        Guard.Positive(tickSize, "--tick-size");
        var grid = new double[ticks];
        for (var i = 0; i < ticks; i++)
        {
            grid[i] = Math.Round((i + 1) * tickSize, 12);
        }
        return grid;
    }

    /// <summary>Checks a grid: at least one depth, all finite, non-negative and strictly increasing.</summary>
    public static double[] Validate(IReadOnlyList<double> deltas)
    {
        if (deltas.Count == 0)
        {
            throw new InputException("the depth grid is empty", field: "--deltas");
        }
        var grid = new double[deltas.Count];
        for (var i = 0; i < grid.Length; i++)
        {
            grid[i] = Guard.NonNegative(deltas[i], "--deltas");
            if (i > 0 && grid[i] <= grid[i - 1])
            {
                throw new InputException("depths must increase strictly", field: "--deltas");
            }
        }
        return grid;
    }
}
