using System.Text;
using MarketMaking.Core.Calibration;

namespace MarketMaking.Reports;

/// <summary>
/// The line under a Markdown table that shows "n/a": says why the figures could not be computed, so a report never
/// leaves a blank figure unexplained.
/// </summary>
public static class NotComputable
{
    public const string Prefix = "n/a: not computable: ";

    /// <summary>Appends <paramref name="table"/> and, when it shows "n/a", the reasons (the first that apply, deduplicated).</summary>
    public static void AppendTable(StringBuilder md, MarkdownTable table, IEnumerable<string> reasons)
    {
        var text = table.ToString();
        md.Append(text).Append('\n');
        if (!text.Contains("n/a", StringComparison.Ordinal)) return;
        var distinct = reasons.Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        md.Append(Prefix).Append(distinct.Count > 0 ? string.Join("; ", distinct) : "the data do not determine these figures").Append(".\n\n");
    }

    /// <summary>
    /// Why a fit's figures may be missing: its warnings about <paramref name="topic"/> (e.g. "standard error"), else every
    /// warning, else what its optimiser's outcome says.
    /// </summary>
    public static IEnumerable<string> Reasons(IReadOnlyList<string> warnings, OptimizerOutcome outcome, string topic, string? label = null)
    {
        var onTopic = warnings.Where(w => w.Contains(topic, StringComparison.OrdinalIgnoreCase)).ToList();
        var chosen = onTopic.Count > 0 ? onTopic : warnings.ToList();
        if (chosen.Count == 0)
        {
            if (!outcome.Converged) chosen.Add($"the optimiser ({outcome.Method}) did not converge");
            if (outcome.Boundary is { } boundary) chosen.Add("the estimate is on a boundary: " + boundary);
        }
        return chosen.Select(w => label is null ? w : label + ": " + w);
    }
}
