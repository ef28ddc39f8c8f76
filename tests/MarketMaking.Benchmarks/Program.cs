using BenchmarkDotNet.Running;

namespace MarketMaking.Benchmarks;

/// <summary>Entry point: pick benchmarks with --filter, e.g. --filter '*Chart*' --job short.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
