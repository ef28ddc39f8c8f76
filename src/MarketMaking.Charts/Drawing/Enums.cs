namespace MarketMaking.Charts;

/// <summary>Stroke pattern; lengths scale with the line width.</summary>
public enum LinePattern
{
    /// <summary>Continuous line.</summary>
    Solid,

    /// <summary>Long dashes.</summary>
    Dashed,

    /// <summary>Round dots.</summary>
    Dotted,

    /// <summary>Dash, dot, dash.</summary>
    DashDot,
}

/// <summary>Marker drawn at a data point.</summary>
public enum MarkerShape
{
    /// <summary>No marker.</summary>
    None,

    /// <summary>Filled disc.</summary>
    Circle,

    /// <summary>Filled square.</summary>
    Square,

    /// <summary>Diagonal cross (x).</summary>
    Cross,

    /// <summary>Ring.</summary>
    OpenCircle,

    /// <summary>Filled diamond.</summary>
    Diamond,
}

/// <summary>Which points a self-intersecting polygon covers.</summary>
public enum FillRule
{
    /// <summary>Inside where the winding number is not zero.</summary>
    NonZero,

    /// <summary>Inside where a ray crosses the outline an odd number of times.</summary>
    EvenOdd,
}

/// <summary>Horizontal placement of a text box relative to its anchor point.</summary>
public enum HorizontalAlign
{
    /// <summary>Box starts at the anchor.</summary>
    Left,

    /// <summary>Box centred on the anchor.</summary>
    Center,

    /// <summary>Box ends at the anchor.</summary>
    Right,
}

/// <summary>Vertical placement of a text box relative to its anchor point.</summary>
public enum VerticalAlign
{
    /// <summary>Box hangs below the anchor.</summary>
    Top,

    /// <summary>Box centred on the anchor.</summary>
    Middle,

    /// <summary>Box sits on the anchor.</summary>
    Bottom,
}

/// <summary>Size of a text box in pixels, before any rotation.</summary>
public readonly record struct TextSize(double Width, double Height);

/// <summary>An axis-aligned rectangle in pixels (left/top inclusive, right/bottom exclusive).</summary>
public readonly record struct PixelRect(double Left, double Top, double Right, double Bottom)
{
    /// <summary>Right minus left.</summary>
    public double Width => Right - Left;

    /// <summary>Bottom minus top.</summary>
    public double Height => Bottom - Top;

    /// <summary>True when the point lies inside.</summary>
    public bool Contains(double x, double y) => x >= Left && x < Right && y >= Top && y < Bottom;

    /// <summary>True when the two rectangles overlap.</summary>
    public bool Intersects(PixelRect o) => Left < o.Right && o.Left < Right && Top < o.Bottom && o.Top < Bottom;
}
