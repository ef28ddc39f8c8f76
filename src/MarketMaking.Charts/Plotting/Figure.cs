namespace MarketMaking.Charts;

/// <summary>
/// Small multiples: a grid of <see cref="Plot"/> panels rendered into one PNG. Plot areas line up across rows and
/// columns; with <see cref="ShareX"/> all panels use one x range and only the bottom row shows x tick labels, with
/// <see cref="ShareY"/> one y range and only the left column shows y tick labels.
/// </summary>
public sealed class Figure
{
    private const double TitleHeight = 44;
    private readonly Plot[,] _panels;

    /// <summary>An empty figure of <paramref name="rows"/> x <paramref name="columns"/> panels.</summary>
    public Figure(int rows, int columns)
    {
        if (rows < 1 || columns < 1 || rows * columns > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"a figure needs 1 to 64 panels (got {rows}x{columns})");
        }

        _panels = new Plot[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                _panels[r, c] = new Plot();
            }
        }
    }

    /// <summary>Number of panel rows.</summary>
    public int Rows => _panels.GetLength(0);

    /// <summary>Number of panel columns.</summary>
    public int Columns => _panels.GetLength(1);

    /// <summary>Figure title above all panels.</summary>
    public string? Title { get; set; }

    /// <summary>All panels use the union of their x ranges.</summary>
    public bool ShareX { get; set; }

    /// <summary>All panels use the union of their y ranges.</summary>
    public bool ShareY { get; set; }

    /// <summary>The panel at (row, column), counted from the top left.</summary>
    public Plot this[int row, int column] => _panels[row, column];

    /// <summary>Renders to PNG bytes.</summary>
    public byte[] RenderPng(int width = 1600, int height = 1000)
    {
        var canvas = new Canvas(width, height);
        Render(canvas);
        return canvas.ToPngAndRecycle();
    }

    /// <summary>Renders and writes a PNG file.</summary>
    public void SavePng(string path, int width = 1600, int height = 1000)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllBytes(path, RenderPng(width, height));
    }

    /// <summary>Draws every panel onto the canvas.</summary>
    public void Render(Canvas canvas)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        var top = 0.0;
        if (Title is not null)
        {
            var style = _panels[0, 0].Style;
            canvas.DrawText(Title, canvas.Width / 2.0, 12, style.TitleFontSize, style.TextColor, HorizontalAlign.Center, bold: true);
            top = TitleHeight;
        }

        var cellWidth = canvas.Width / (double)Columns;
        var cellHeight = (canvas.Height - top) / Rows;
        PixelRect Cell(int r, int c) => new(c * cellWidth, top + (r * cellHeight), (c + 1) * cellWidth, top + ((r + 1) * cellHeight));

        // Flat arrays (r * Columns + c): a two-dimensional array of structs needs stubs compiled at run time.
        var options = new PanelOptions[Rows * Columns];
        var (sharedX, sharedY) = SharedLimits();
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                options[(r * Columns) + c] = new PanelOptions(sharedX, sharedY, HideXTickLabels: ShareX && r < Rows - 1, HideYTickLabels: ShareY && c > 0);
            }
        }

        // Align plot areas: each column takes its widest left/right margin, each row its tallest top/bottom.
        var margins = new Margins[Rows * Columns];
        var outside = new bool[Rows * Columns];
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                var layout = _panels[r, c].ComputeLayout(Cell(r, c), options[(r * Columns) + c]);
                margins[(r * Columns) + c] = _panels[r, c].Measure(layout, options[(r * Columns) + c]);
                outside[(r * Columns) + c] = layout.LegendOutside;
            }
        }

        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                double left = 0, right = 0, topMargin = 0, bottom = 0;
                for (var k = 0; k < Rows; k++)
                {
                    left = Math.Max(left, margins[(k * Columns) + c].Left);
                    right = Math.Max(right, margins[(k * Columns) + c].Right);
                }

                for (var k = 0; k < Columns; k++)
                {
                    topMargin = Math.Max(topMargin, margins[(r * Columns) + k].Top);
                    bottom = Math.Max(bottom, margins[(r * Columns) + k].Bottom);
                }

                var aligned = options[(r * Columns) + c] with { Margins = new Margins(left, topMargin, right, bottom), LegendOutside = outside[(r * Columns) + c] };
                _panels[r, c].Render(canvas, Cell(r, c), aligned);
            }
        }
    }

    private ((double, double)? X, (double, double)? Y) SharedLimits()
    {
        (double Min, double Max)? x = null, y = null;
        foreach (var panel in _panels)
        {
            var (px, py) = panel.Limits(PanelOptions.Default);
            if (ShareX)
            {
                x = x is null ? px : (Math.Min(x.Value.Min, px.Min), Math.Max(x.Value.Max, px.Max));
            }

            if (ShareY)
            {
                y = y is null ? py : (Math.Min(y.Value.Min, py.Min), Math.Max(y.Value.Max, py.Max));
            }
        }

        return (x, y);
    }
}
