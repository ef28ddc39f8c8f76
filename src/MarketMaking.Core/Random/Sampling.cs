namespace MarketMaking.Core.Random;

/// <summary>Draws from distributions the simulators need, on an injected generator.</summary>
public static class Sampling
{
    /// <summary>Poisson variate: multiplication method for small means, PTRS (Hörmann 1993, as numpy uses) above 10.</summary>
    public static long Poisson(ref Xoshiro256StarStar rng, double mean)
    {
        Guard.NonNegative(mean, nameof(mean));
        if (mean == 0)
        {
            return 0;
        }
        return mean < 10 ? PoissonByMultiplication(ref rng, mean) : PoissonPtrs(ref rng, mean);
    }

    /// <summary>Exponential variate with the given rate.</summary>
    public static double Exponential(ref Xoshiro256StarStar rng, double rate) => -Math.Log(rng.NextOpenDouble()) / rate;

    private static long PoissonByMultiplication(ref Xoshiro256StarStar rng, double mean)
    {
        var limit = Math.Exp(-mean);
        long k = 0;
        var product = rng.NextDouble();
        while (product > limit)
        {
            k++;
            product *= rng.NextDouble();
        }
        return k;
    }

    private static long PoissonPtrs(ref Xoshiro256StarStar rng, double mean)
    {
        var slam = Math.Sqrt(mean);
        var loglam = Math.Log(mean);
        var b = 0.931 + 2.53 * slam;
        var a = -0.059 + 0.02483 * b;
        var invalpha = 1.1239 + 1.1328 / (b - 3.4);
        var vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            var u = rng.NextDouble() - 0.5;
            var v = rng.NextDouble();
            var us = 0.5 - Math.Abs(u);
            var k = Math.Floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr)
            {
                return (long)k;
            }
            if (k < 0 || (us < 0.013 && v > us))
            {
                continue;
            }
            if (Math.Log(v) + Math.Log(invalpha) - Math.Log(a / (us * us) + b) <= -mean + k * loglam - MathNet.Numerics.SpecialFunctions.GammaLn(k + 1))
            {
                return (long)k;
            }
        }
    }
}
