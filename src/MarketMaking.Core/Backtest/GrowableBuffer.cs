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
            var larger = new T[_items.Length * 2];
            Array.Copy(_items, larger, Count);
            _items = larger;
        }
        _items[Count++] = item;
    }

    public void Clear() => Count = 0;

    public Span<T> AsSpan() => new(_items, 0, Count);
}
