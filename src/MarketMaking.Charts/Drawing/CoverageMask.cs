namespace MarketMaking.Charts.Drawing;

/// <summary>
/// Per-pixel coverage in [0, 1] for one shape being drawn. Shapes union into it with max(), then the canvas
/// blends it once; so overlapping segments of one polyline, or strokes of one string, never double-darken.
/// Dirty spans are tracked per row so compositing touches only what was drawn.
/// </summary>
internal sealed class CoverageMask
{
    private readonly float[] _coverage;
    private readonly int[] _rowMin;
    private readonly int[] _rowMax;

    public CoverageMask(int width, int height)
    {
        Width = width;
        Height = height;
        _coverage = new float[width * height];
        _rowMin = new int[height];
        _rowMax = new int[height];
        for (var y = 0; y < height; y++)
        {
            _rowMin[y] = int.MaxValue;
            _rowMax[y] = -1;
        }

        Top = int.MaxValue;
        Bottom = -1;
    }

    public int Width { get; }

    public int Height { get; }

    public int Top { get; private set; }

    public int Bottom { get; private set; }

    /// <summary>All rows, row-major: pixel (x, y) is at <c>y * Width + x</c> (an array, not spans: see <see cref="Values"/>).</summary>
    public float[] Coverage => _coverage;

    public int RowMin(int y) => _rowMin[y];

    public int RowMax(int y) => _rowMax[y];

    /// <summary>Declares that pixels x0..x1 (inclusive) of row y may be non-zero.</summary>
    public void Touch(int y, int x0, int x1)
    {
        if (x0 < _rowMin[y])
        {
            _rowMin[y] = x0;
        }

        if (x1 > _rowMax[y])
        {
            _rowMax[y] = x1;
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

    /// <summary>Zeroes the dirty area and forgets it.</summary>
    public void Reset()
    {
        for (var y = Math.Max(Top, 0); y <= Bottom; y++)
        {
            if (_rowMax[y] >= _rowMin[y])
            {
                Array.Clear(_coverage, (y * Width) + _rowMin[y], _rowMax[y] - _rowMin[y] + 1);
            }

            _rowMin[y] = int.MaxValue;
            _rowMax[y] = -1;
        }

        Top = int.MaxValue;
        Bottom = -1;
    }
}
