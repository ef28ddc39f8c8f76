using System.Numerics;

namespace MarketMaking.Charts.Drawing;

/// <summary>
/// Per-pixel coverage in [0, 1] for one shape being drawn. Shapes union into it with max(), then the canvas
/// blends it once; so overlapping segments of one polyline, or strokes of one string, never double-darken.
/// </summary>
/// <remarks>
/// What was drawn is tracked in blocks of <see cref="BlockWidth"/> pixels per row (one bit each), so compositing
/// and clearing visit only those blocks. A single dirty span per row made a wiggly polyline, which revisits a row
/// at many x, scan (and clear) nearly the whole canvas for a few thousand inked pixels.
/// </remarks>
internal sealed class CoverageMask
{
    /// <summary>Pixels per dirty block.</summary>
    public const int BlockWidth = 16;

    private readonly float[] _coverage;
    private ulong[] _dirty = [];
    private int _wordsPerRow;

    public CoverageMask(int width, int height)
    {
        // Mapped for writing now: strokes read a pixel before writing it, and a fresh page first read maps the shared
        // zero page, so its first write is a copy-on-write fault that stalls every core running this process (a TLB
        // shootdown). That cost ~80 ms of CPU over a backtest's six figures.
        _coverage = FreshPages.Allocate<float>(width * height);
        Reuse(width, height);
    }

    public int Width { get; private set; }

    public int Height { get; private set; }

    /// <summary>Pixels the mask can hold (at least Width x Height).</summary>
    public int Capacity => _coverage.Length;

    /// <summary>
    /// Lays a clean mask (every pixel zero, nothing dirty: as after <see cref="Reset"/>) out as
    /// <paramref name="width"/> x <paramref name="height"/>, within <see cref="Capacity"/>.
    /// </summary>
    public CoverageMask Reuse(int width, int height)
    {
        if ((long)width * height > _coverage.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(width), "the mask is too small for this canvas");
        }

        Width = width;
        Height = height;
        _wordsPerRow = (((width + BlockWidth - 1) / BlockWidth) + 63) / 64;
        if (_dirty.Length < height * _wordsPerRow)
        {
            _dirty = new ulong[height * _wordsPerRow];
        }

        Top = int.MaxValue;
        Bottom = -1;
        return this;
    }

    /// <summary>First row that may be non-zero (int.MaxValue when none).</summary>
    public int Top { get; private set; }

    /// <summary>Last row that may be non-zero (-1 when none).</summary>
    public int Bottom { get; private set; }

    /// <summary>All rows, row-major: pixel (x, y) is at <c>y * Width + x</c> (an array, not spans: see <see cref="Values"/>).</summary>
    public float[] Coverage => _coverage;

    /// <summary>Declares that pixels x0..x1 (inclusive) of row y may be non-zero.</summary>
    public void Touch(int y, int x0, int x1)
    {
        if (x1 < x0)
        {
            return;
        }

        var first = x0 / BlockWidth;
        var last = x1 / BlockWidth;
        var row = y * _wordsPerRow;
        for (var word = first / 64; word <= last / 64; word++)
        {
            var lo = Math.Max(first, word * 64) - (word * 64);
            var hi = Math.Min(last, (word * 64) + 63) - (word * 64);
            var bits = (hi == 63 ? ulong.MaxValue : (1UL << (hi + 1)) - 1) & ~((1UL << lo) - 1);
            _dirty[row + word] |= bits;
        }

        if (y < Top)
        {
            Top = y;
        }

        if (y > Bottom)
        {
            Bottom = y;
        }
    }

    /// <summary>
    /// Calls <paramref name="visit"/> with (offset of the block's first pixel, its pixel count) for every dirty
    /// block, row by row from the top and left to right within a row.
    /// </summary>
    public void ForEachDirtyBlock<TVisitor>(ref TVisitor visit)
        where TVisitor : struct, IBlockVisitor
    {
        for (var y = Math.Max(Top, 0); y <= Bottom; y++)
        {
            var row = y * _wordsPerRow;
            for (var word = 0; word < _wordsPerRow; word++)
            {
                var bits = _dirty[row + word];
                while (bits != 0)
                {
                    var block = (word * 64) + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                    var x = block * BlockWidth;
                    visit.Visit((y * Width) + x, Math.Min(BlockWidth, Width - x));
                }
            }
        }
    }

    /// <summary>Forgets the dirty blocks, which the caller has zeroed (as <see cref="Reset"/> would).</summary>
    public void ForgetDirtyBlocks()
    {
        var top = Math.Max(Top, 0);
        if (Bottom >= top)
        {
            Array.Clear(_dirty, top * _wordsPerRow, (Bottom - top + 1) * _wordsPerRow);
        }

        Top = int.MaxValue;
        Bottom = -1;
    }

    /// <summary>Zeroes the dirty blocks and forgets them.</summary>
    public void Reset()
    {
        for (var y = Math.Max(Top, 0); y <= Bottom; y++)
        {
            var row = y * _wordsPerRow;
            for (var word = 0; word < _wordsPerRow; word++)
            {
                var bits = _dirty[row + word];
                while (bits != 0)
                {
                    var x = ((word * 64) + BitOperations.TrailingZeroCount(bits)) * BlockWidth;
                    bits &= bits - 1;
                    Array.Clear(_coverage, (y * Width) + x, Math.Min(BlockWidth, Width - x));
                }

                _dirty[row + word] = 0;
            }
        }

        Top = int.MaxValue;
        Bottom = -1;
    }
}

/// <summary>What <see cref="CoverageMask.ForEachDirtyBlock"/> calls per block (a struct, so the call is inlined).</summary>
internal interface IBlockVisitor
{
    void Visit(int offset, int count);
}
