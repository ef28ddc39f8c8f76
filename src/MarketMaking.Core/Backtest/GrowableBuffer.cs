namespace MarketMaking.Core.Backtest;

/// <summary>
/// An append-only buffer reused batch after batch. The project's own generic, so ReadyToRun precompiles it for the
/// backtest's value types: List&lt;T&gt; over them would be compiled by the JIT in every run.
/// </summary>
internal sealed class GrowableBuffer<T>
{
    private T[] _items = new T[16];

    public int Count { get; private set; }

    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            var larger = GC.AllocateUninitializedArray<T>(_items.Length * 2);
            Array.Copy(_items, larger, Count);
            _items = larger;
        }
        _items[Count++] = item;
    }

    /// <summary>
    /// Empties the buffer and makes room for <paramref name="capacity"/> items at once: growing by doubling copies
    /// every item several times and leaves each smaller array behind as fresh memory touched once, which in a short
    /// run costs more in page faults than the copying itself. Room never used is never touched.
    /// </summary>
    public void ClearWithCapacity(int capacity)
    {
        Count = 0;
        // Uninitialised: a zeroed array would touch every page of the room now (items are written before they are read).
        if (_items.Length < capacity) _items = GC.AllocateUninitializedArray<T>(capacity);
    }

    public Span<T> AsSpan() => new(_items, 0, Count);
}
