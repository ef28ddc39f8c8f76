using MarketMaking.Core;
using MarketMaking.Core.Processes;

namespace MarketMaking.Data.Inputs;

/// <summary>
/// A historical mid series from CSV as a backtest market, streamed: one validating pass at construction (so bad
/// input fails before anything runs, and the horizon is known), then each batch of paths replays the file in chunks.
/// Every path sees the same mids; paths differ only in their fills.
/// </summary>
public sealed class CsvMidMarket : IMarket
{
    private readonly bool _hasTime;

    /// <param name="dt">Spacing of the rows when the file has no <c>time</c> column.</param>
    public CsvMidMarket(string path, double dt)
    {
        Path = path;
        var count = 0;
        double first = double.NaN, firstTime = double.NaN, lastTime = double.NaN;
        using (var rows = new MidRows(path))
        {
            _hasTime = rows.HasTime;
            while (rows.Next(out var mid, out var time))
            {
                if (count == 0)
                {
                    first = mid;
                    firstTime = time;
                }
                lastTime = time;
                count++;
            }
        }
        InitialMid = first;
        Steps = count - 1;
        if (_hasTime)
        {
            Horizon = lastTime - firstTime;
            Dt = Horizon / Steps;
        }
        else
        {
            Dt = Guard.Positive(dt, "dt");
            Horizon = dt * Steps;
        }
    }

    public string Path { get; }
    public double InitialMid { get; }
    public int Steps { get; }
    public double Horizon { get; }
    public double Dt { get; }

    public IMarketCursor Open(long firstPath, int lanes, ulong seed) => new Cursor(this, lanes);

    private sealed class Cursor : IMarketCursor
    {
        private readonly CsvMidMarket _market;
        private readonly int _lanes;
        private readonly MidRows? _rows;
        private readonly PrefetchedMidRows? _prefetched;
        private readonly double _startTime;
        private double _previousTime;
        private int _step;

        public Cursor(CsvMidMarket market, int lanes)
        {
            _market = market;
            _lanes = lanes;
            // A long series is parsed on a second thread while this one simulates; a short one is not worth the thread.
            if (market.Steps >= 2 * PrefetchedMidRows.BlockRows) _prefetched = new PrefetchedMidRows(market.Path);
            else _rows = new MidRows(market.Path);
            if (!NextRow(out _, out var time)) throw new InputException("the file changed while it was read", market.Path, field: "mid");
            _startTime = market._hasTime ? time : 0.0;
            _previousTime = _startTime;
        }

        private bool NextRow(out double mid, out double time) => _prefetched?.Next(out mid, out time) ?? _rows!.Next(out mid, out time);

        public void Next(int count, Span<double> mids, Span<double> times, Span<double> dts)
        {
            for (var j = 0; j < count; j++)
            {
                if (!NextRow(out var mid, out var t)) throw new InputException("the file changed while it was read", _market.Path, field: "mid");
                _step++;
                // Element by element: a single path has four lanes, fewer than a span fill is worth.
                var row = mids.Slice(j * _lanes, _lanes);
                for (var lane = 0; lane < row.Length; lane++) row[lane] = mid;
                if (_market._hasTime)
                {
                    dts[j] = t - _previousTime;
                    times[j] = t - _startTime;
                    _previousTime = t;
                }
                else
                {
                    dts[j] = _market.Dt;
                    times[j] = _step * _market.Dt;
                }
            }
        }

        public void Dispose()
        {
            _prefetched?.Dispose();
            _rows?.Dispose();
        }
    }
}
