using BenchmarkDotNet.Running;

namespace MarketMaking.Benchmarks;

public static class Program
{
    /// <summary>`dotnet run -c Release --project tests/MarketMaking.Benchmarks -- --filter '*'` runs them all.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
