using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        : this(path, dt, TwoPartBytes)
    {
    }

    /// <param name="twoPartBytes">Size from which the file is validated in two parts (tests lower it).</param>
    internal CsvMidMarket(string path, double dt, long twoPartBytes)
    {
        Path = path;
        if (!TryValidateInTwoParts(path, twoPartBytes, out _hasTime, out var count, out var first, out var firstTime, out var lastTime))
        {
            using var rows = new MidRows(path);
            _hasTime = rows.HasTime;
            (count, first, firstTime, lastTime) = Scan(rows, null);
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

    /// <summary>Files from this size on are validated by two threads, each reading half.</summary>
    internal const long TwoPartBytes = 4L << 20;

    /// <summary>
    /// The validating pass of a long file on two threads: this one reads the first half as <see cref="MidRows"/> do,
    /// another the second half, which must be plain lines only (the common case: numbers, commas, line feeds). Any
    /// doubt (an error, a quote, a blank line, a time that does not increase across the halves) gives false, and the
    /// one-thread pass reads the whole file again: it alone reports errors, so they are those of one pass.
    /// </summary>
    private static bool TryValidateInTwoParts(string path, long twoPartBytes, out bool hasTime, out int count, out double first, out double firstTime, out double lastTime)
    {
        hasTime = false;
        count = 0;
        first = firstTime = lastTime = double.NaN;
        long length, boundary;
        try
        {
            length = new FileInfo(path).Length;
            if (length < twoPartBytes) return false;
            // The second part starts at the first line that starts after the middle.
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            file.Position = length / 2 - 1;
            var probe = new byte[1 << 16];
            var read = file.ReadAtLeast(probe, probe.Length, throwOnEndOfStream: false);
            var newline = probe.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline < 0) return false;
            boundary = length / 2 + newline;
            if (boundary >= length) return false;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        try
        {
            using var rows = new MidRows(path);
            var csv = rows.Stream;
            if (!csv.ByteLevel || csv.Position >= boundary) return false;
            hasTime = rows.HasTime;
            var withTime = hasTime;
            using var part = csv.OpenPart(boundary);
            var second = new SecondPart(part, withTime);
            var thread = new Thread(second.Read) { IsBackground = true, Name = "mm-engine mid validation" };
            thread.Start();
            int firstCount;
            double lastFirstTime;
            csv.Limit = boundary;
            try
            {
                (firstCount, first, firstTime, lastFirstTime) = Scan(rows, second);
            }
            finally
            {
                thread.Join();
            }
            if (firstCount < 0) return false;
            if (!csv.ByteLevel || csv.BlankLinePending || csv.Position != boundary || !second.Clean || second.Count == 0) return false;
            if (withTime && !(second.FirstTime > lastFirstTime)) return false;
            if ((long)firstCount + second.Count > int.MaxValue) return false;
            count = firstCount + (int)second.Count;
            lastTime = second.LastTime;
            return true;
        }
        catch (InputException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads every row (validated by <see cref="MidRows"/>): how many, the first mid and time, the last time. A count
    /// of −1 when the <paramref name="second"/> part read beside it has failed: the one-pass check follows, so why go on.
    /// </summary>
    private static (int Count, double First, double FirstTime, double LastTime) Scan(MidRows rows, SecondPart? second)
    {
        const int block = 4096;
        var mids = new double[block];
        var times = new double[block];
        var count = 0;
        double first = double.NaN, firstTime = double.NaN, lastTime = double.NaN;
        for (int read; (read = rows.NextBlock(mids, times)) > 0; count += read)
        {
            if (second is { Failed: true }) return (-1, first, firstTime, lastTime);
            if (count == 0)
            {
                first = mids[0];
                firstTime = times[0];
            }
            lastTime = times[read - 1];
        }
        return (count, first, firstTime, lastTime);
    }

    /// <summary>The second half of a file in a two-part validation: plain lines only, times increasing.</summary>
    private sealed class SecondPart(Csv.CsvNumberStream part, bool hasTime)
    {
        public long Count;
        public double FirstTime = double.NaN;
        public double LastTime = double.NaN;
        public bool Clean;

        /// <summary>Set as soon as the part is known not to be clean, for the other thread to stop early.</summary>
        public volatile bool Failed;

        public void Read()
        {
            try
            {
                var mids = new double[4096];
                var times = new double[4096];
                var increasing = hasTime ? 1 : -1;
                var previous = double.NegativeInfinity;
                for (int read; (read = part.ReadPlainRows(mids, times, increasing, previous)) > 0; Count += read)
                {
                    if (!hasTime) continue;
                    if (Count == 0) FirstTime = times[0];
                    previous = times[read - 1];
                }
                LastTime = hasTime ? previous : double.NaN;
                Clean = part.AtEnd;
            }
            catch (Exception e) when (e is IOException or InputException)
            {
                Clean = false;
            }
            Failed = !Clean;
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

        /// <summary>
        /// A chunk of rows, read a block at a time (the prefetching thread's, or the file's own): the rows' mids land in
        /// <paramref name="dts"/> and their times in <paramref name="times"/> first, then each output takes a pass.
        /// </summary>
        public void Next(int count, Span<double> mids, Span<double> times, Span<double> dts)
        {
            for (var taken = 0; taken < count;)
            {
                var rows = _prefetched?.Take(dts[taken..count], times[taken..count]) ?? _rows!.NextBlock(dts[taken..count], times[taken..count]);
                if (rows == 0) throw new InputException("the file changed while it was read", _market.Path, field: "mid");
                taken += rows;
            }
            // Each row's mid on its lanes (two at a time: a 128-bit vector is precompiled, where Vector<T>, whose width is
            // known at run time only, would be compiled at start), then the steps' lengths and times.
            if (_lanes % 2 == 0)
            {
                ref var lanes = ref MemoryMarshal.GetReference(mids);
                for (var j = 0; j < count; j++)
                {
                    var mid = Vector128.Create(dts[j]);
                    for (var lane = 0; lane < _lanes; lane += 2) mid.StoreUnsafe(ref lanes, (nuint)(j * _lanes + lane));
                }
            }
            else
            {
                for (var j = 0; j < count; j++) mids.Slice(j * _lanes, _lanes).Fill(dts[j]);
            }
            _step += count;
            if (_market._hasTime)
            {
                var previous = _previousTime;
                for (var j = 0; j < count; j++)
                {
                    var time = times[j];
                    dts[j] = time - previous;
                    times[j] = time - _startTime;
                    previous = time;
                }
                _previousTime = previous;
            }
            else
            {
                var dt = _market.Dt;
                var step = _step - count;
                dts[..count].Fill(dt);
                for (var j = 0; j < count; j++) times[j] = ++step * dt;
            }
        }

        public void Dispose()
        {
            _prefetched?.Dispose();
            _rows?.Dispose();
        }
    }
}
