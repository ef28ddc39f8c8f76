namespace MarketMaking.Core.Calibration;

/// <summary>
/// A sum over bins, split into contiguous chunks whose boundaries depend only on the number of bins and combined in
/// chunk order: the floating-point result is bit-identical however many threads ran the chunks.
/// </summary>
internal static class ChunkedSum
{
    // Small inputs stay one chunk (one plain loop, no thread hand-off); large ones get at most MaxChunks chunks.
    private const int MinChunk = 8192;
    private const int MaxChunks = 64;

    public static T Run<T>(int count, ParallelOptions parallel, Func<int, int, T> chunk, Func<T, T, T> combine)
    {
        var size = Math.Max(MinChunk, (count + MaxChunks - 1) / MaxChunks);
        var chunks = (count + size - 1) / size;
        if (chunks <= 1)
        {
            return chunk(0, count);
        }
        var partial = new T[chunks];
        Parallel.For(0, chunks, parallel, c => partial[c] = chunk(c * size, Math.Min(count, (c + 1) * size)));
        var total = partial[0];
        for (var c = 1; c < chunks; c++)
        {
            total = combine(total, partial[c]);
        }
        return total;
    }

    /// <summary>Runs <paramref name="body"/> over the same chunks, for element-wise work with no sum.</summary>
    public static void ForEach(int count, ParallelOptions parallel, Action<int, int> body) =>
        Run(count, parallel, (from, to) => { body(from, to); return 0; }, (a, _) => a);
}
