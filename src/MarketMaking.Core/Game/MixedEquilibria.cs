using MathNet.Numerics.LinearAlgebra;

namespace MarketMaking.Core.Game;

/// <summary>A mixed equilibrium of a bimatrix game: x over the rows (player 1), y over the columns (player 2).</summary>
public sealed record MixedEquilibrium(IReadOnlyList<double> RowStrategy, IReadOnlyList<double> ColumnStrategy, double RowPayoff, double ColumnPayoff, string Method);

/// <summary>
/// Mixed Nash equilibria of a two-player game with payoff matrices A (row player) and B (column player), both m×n.
/// Support enumeration lists every equilibrium with equal-size supports (all of them in a nondegenerate game);
/// its cost grows like C(m+n, m), so it is for small games. Lemke–Howson follows one complementary path per
/// dropped label and finds one equilibrium per path in polynomial space; it scales to a few hundred strategies.
/// </summary>
public static class MixedEquilibria
{
    public const double Tolerance = 1e-9;
    public const string SupportEnumerationName = "support enumeration";
    public const string LemkeHowsonName = "Lemke-Howson";

    /// <summary>Every equilibrium with supports of equal size, each verified, duplicates merged.</summary>
    public static IReadOnlyList<MixedEquilibrium> SupportEnumeration(double[,] a, double[,] b, int maxSupport = int.MaxValue)
    {
        var (m, n) = CheckShapes(a, b);
        var found = new List<MixedEquilibrium>();
        for (var size = 1; size <= Math.Min(Math.Min(m, n), maxSupport); size++)
        {
            foreach (var rows in Subsets(m, size))
            {
                foreach (var cols in Subsets(n, size))
                {
                    // y makes the row player indifferent over its support: Σ_j a_ij·y_j = u for i in rows, Σ y = 1.
                    var y = Indifference(a, rows, cols, transpose: false);
                    if (y is null) continue;
                    var x = Indifference(b, cols, rows, transpose: true);
                    if (x is null) continue;
                    var rowStrategy = new double[m];
                    var colStrategy = new double[n];
                    for (var k = 0; k < size; k++)
                    {
                        rowStrategy[rows[k]] = x[k];
                        colStrategy[cols[k]] = y[k];
                    }
                    if (IsEquilibrium(a, b, rowStrategy, colStrategy))
                    {
                        AddDistinct(found, Make(a, b, rowStrategy, colStrategy, SupportEnumerationName));
                    }
                }
            }
        }
        return found;
    }

    /// <summary>
    /// Lemke–Howson from each of the given dropped labels (0..m−1 rows, m..m+n−1 columns), with a lexicographic
    /// ratio test so degenerate games (ties are common in pricing games) still terminate. Verified, duplicates merged.
    /// </summary>
    public static IReadOnlyList<MixedEquilibrium> LemkeHowson(double[,] a, double[,] b, IEnumerable<int>? droppedLabels = null)
    {
        var (m, n) = CheckShapes(a, b);
        var found = new List<MixedEquilibrium>();
        foreach (var label in droppedLabels ?? Enumerable.Range(0, m + n))
        {
            var eq = LemkeHowsonPath(a, b, label);
            if (eq is not null && IsEquilibrium(a, b, eq.Value.X, eq.Value.Y))
            {
                AddDistinct(found, Make(a, b, eq.Value.X, eq.Value.Y, LemkeHowsonName));
            }
        }
        return found;
    }

    /// <summary>No pure deviation of either player gains more than the tolerance (relative to the payoff range).</summary>
    public static bool IsEquilibrium(double[,] a, double[,] b, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var (m, n) = CheckShapes(a, b);
        var scale = Math.Max(Range(a), Range(b));
        var tol = Tolerance * Math.Max(scale, 1e-300);
        if (x.Any(v => v < -tol) || y.Any(v => v < -tol)) return false;
        if (Math.Abs(x.Sum() - 1) > 1e-9 || Math.Abs(y.Sum() - 1) > 1e-9) return false;
        var rowValue = Value(a, x, y);
        var colValue = Value(b, x, y);
        for (var i = 0; i < m; i++)
        {
            var v = 0.0;
            for (var j = 0; j < n; j++) v += a[i, j] * y[j];
            if (v > rowValue + tol) return false;
        }
        for (var j = 0; j < n; j++)
        {
            var v = 0.0;
            for (var i = 0; i < m; i++) v += x[i] * b[i, j];
            if (v > colValue + tol) return false;
        }
        return true;
    }

    public static double Value(double[,] payoff, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var v = 0.0;
        for (var i = 0; i < x.Count; i++)
        {
            if (x[i] == 0) continue;
            for (var j = 0; j < y.Count; j++) v += x[i] * payoff[i, j] * y[j];
        }
        return v;
    }

    private static (double[] X, double[] Y)? LemkeHowsonPath(double[,] a, double[,] b, int droppedLabel)
    {
        var m = a.GetLength(0);
        var n = a.GetLength(1);
        // Shift both matrices positive: equilibria are unchanged and the polytopes become bounded.
        var shiftA = 1 - Min(a);
        var shiftB = 1 - Min(b);
        // Labels: 0..m−1 row strategies, m..m+n−1 column strategies.
        // Tableau for the row player's polytope {x ≥ 0 : Bᵀx ≤ 1}: n rows, basis starts at the slacks (labels m+j).
        var rowTab = new Tableau(n, m + n, r => m + r, (r, label) => label < m ? b[label, r] + shiftB : (label - m == r ? 1 : 0));
        // Column player's polytope {y ≥ 0 : A·y ≤ 1}: m rows, basis starts at the slacks (labels i).
        var colTab = new Tableau(m, m + n, r => r, (r, label) => label >= m ? a[r, label - m] + shiftA : (label == r ? 1 : 0));
        var entering = droppedLabel;
        var tab = droppedLabel < m ? rowTab : colTab;
        // In degenerate pricing games a path can run to tens of times m+n pivots, and rounding can defeat the
        // lexicographic rule so that it wanders: past 50·(m+n) pivots it is abandoned and that label finds nothing.
        var maxPivots = 50 * (m + n);
        var done = false;
        for (var pivots = 0; pivots < maxPivots; pivots++)
        {
            if (tab.IsBasic(entering)) return null;
            var leaving = tab.Pivot(entering);
            if (leaving < 0) return null;
            if (leaving == droppedLabel)
            {
                done = true;
                break;
            }
            entering = leaving;
            tab = ReferenceEquals(tab, rowTab) ? colTab : rowTab;
        }
        if (!done) return null;
        var x = new double[m];
        var y = new double[n];
        rowTab.Read(x, 0);
        colTab.Read(y, m);
        var sx = x.Sum();
        var sy = y.Sum();
        if (!(sx > 0) || !(sy > 0)) return null;
        for (var i = 0; i < m; i++) x[i] /= sx;
        for (var j = 0; j < n; j++) y[j] /= sy;
        return (x, y);
    }

    /// <summary>A dictionary tableau: rows are basic variables, columns every label plus the right-hand side; the identity columns of the initial slacks drive the lexicographic tie-break.</summary>
    private sealed class Tableau
    {
        private readonly double[,] _t;
        private readonly int[] _basis;
        private readonly int _rows;
        private readonly int _labels;
        private readonly int[] _slackColumns;

        public Tableau(int rows, int labels, Func<int, int> initialBasis, Func<int, int, double> entry)
        {
            _rows = rows;
            _labels = labels;
            _t = new double[rows, labels + 1];
            _basis = new int[rows];
            for (var r = 0; r < rows; r++)
            {
                _basis[r] = initialBasis(r);
                for (var c = 0; c < labels; c++) _t[r, c] = entry(r, c);
                _t[r, labels] = 1;
            }
            _slackColumns = (int[])_basis.Clone();
        }

        public bool IsBasic(int label) => Array.IndexOf(_basis, label) >= 0;

        /// <summary>Brings label <paramref name="entering"/> into the basis; returns the label that left (−1 if unbounded).</summary>
        public int Pivot(int entering)
        {
            var best = -1;
            for (var r = 0; r < _rows; r++)
            {
                if (_t[r, entering] <= 1e-12) continue;
                if (best < 0 || LexLess(r, best, entering)) best = r;
            }
            if (best < 0) return -1;
            var pivot = _t[best, entering];
            for (var c = 0; c <= _labels; c++) _t[best, c] /= pivot;
            for (var r = 0; r < _rows; r++)
            {
                if (r == best) continue;
                var factor = _t[r, entering];
                if (factor == 0) continue;
                for (var c = 0; c <= _labels; c++) _t[r, c] -= factor * _t[best, c];
            }
            var leaving = _basis[best];
            _basis[best] = entering;
            return leaving;
        }

        /// <summary>Row r's ratio vector (rhs, slack columns…)/pivot is lexicographically smaller than row q's.</summary>
        private bool LexLess(int r, int q, int entering)
        {
            var pr = _t[r, entering];
            var pq = _t[q, entering];
            var dr = _t[r, _labels] / pr;
            var dq = _t[q, _labels] / pq;
            if (Math.Abs(dr - dq) > 1e-12 * Math.Max(1, Math.Max(Math.Abs(dr), Math.Abs(dq)))) return dr < dq;
            foreach (var c in _slackColumns)
            {
                dr = _t[r, c] / pr;
                dq = _t[q, c] / pq;
                if (Math.Abs(dr - dq) > 1e-12 * Math.Max(1, Math.Max(Math.Abs(dr), Math.Abs(dq)))) return dr < dq;
            }
            return false;
        }

        /// <summary>Values of the basic variables whose labels are offset..offset+target.Length−1.</summary>
        public void Read(double[] target, int offset)
        {
            for (var r = 0; r < _rows; r++)
            {
                var label = _basis[r] - offset;
                if (label >= 0 && label < target.Length) target[label] = Math.Max(0.0, _t[r, _labels]);
            }
        }
    }

    /// <summary>Solves Σ_k M[support_k, other_l]·p_l = v (for each k) with Σ p = 1; null if singular or p has a negative entry.</summary>
    private static double[]? Indifference(double[,] payoff, int[] support, int[] other, bool transpose)
    {
        var k = support.Length;
        var system = Matrix<double>.Build.Dense(k + 1, k + 1);
        var rhs = Vector<double>.Build.Dense(k + 1);
        for (var r = 0; r < k; r++)
        {
            for (var c = 0; c < k; c++)
            {
                system[r, c] = transpose ? payoff[other[c], support[r]] : payoff[support[r], other[c]];
            }
            system[r, k] = -1;
        }
        for (var c = 0; c < k; c++) system[k, c] = 1;
        rhs[k] = 1;
        var lu = system.LU();
        if (Math.Abs(lu.Determinant) < 1e-300) return null;
        var solution = lu.Solve(rhs);
        var p = new double[k];
        for (var c = 0; c < k; c++)
        {
            if (!double.IsFinite(solution[c]) || solution[c] < -1e-12) return null;
            p[c] = Math.Max(0.0, solution[c]);
        }
        return p;
    }

    private static IEnumerable<int[]> Subsets(int n, int size)
    {
        var idx = Enumerable.Range(0, size).ToArray();
        while (true)
        {
            yield return (int[])idx.Clone();
            var i = size - 1;
            while (i >= 0 && idx[i] == n - size + i) i--;
            if (i < 0) yield break;
            idx[i]++;
            for (var j = i + 1; j < size; j++) idx[j] = idx[j - 1] + 1;
        }
    }

    private static MixedEquilibrium Make(double[,] a, double[,] b, double[] x, double[] y, string method) =>
        new(x, y, Value(a, x, y), Value(b, x, y), method);

    private static void AddDistinct(List<MixedEquilibrium> found, MixedEquilibrium candidate)
    {
        foreach (var f in found)
        {
            if (Close(f.RowStrategy, candidate.RowStrategy) && Close(f.ColumnStrategy, candidate.ColumnStrategy)) return;
        }
        found.Add(candidate);
    }

    private static bool Close(IReadOnlyList<double> p, IReadOnlyList<double> q)
    {
        for (var i = 0; i < p.Count; i++) if (Math.Abs(p[i] - q[i]) > 1e-7) return false;
        return true;
    }

    private static (int M, int N) CheckShapes(double[,] a, double[,] b)
    {
        if (a.GetLength(0) != b.GetLength(0) || a.GetLength(1) != b.GetLength(1)) throw new ArgumentException("payoff matrices must have the same shape");
        if (a.Length == 0) throw new ArgumentException("empty game");
        return (a.GetLength(0), a.GetLength(1));
    }

    private static double Min(double[,] m)
    {
        var min = double.PositiveInfinity;
        foreach (var v in m) min = Math.Min(min, v);
        return min;
    }

    private static double Range(double[,] m)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in m)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        return max - min;
    }
}
