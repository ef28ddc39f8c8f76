using System.Globalization;
using MarketMaking.Core;
using YamlDotNet.RepresentationModel;

namespace MarketMaking.Data.Yaml;

/// <summary>What a number read from configuration must satisfy.</summary>
public enum NumberRule
{
    Any,
    Positive,
    NonNegative,
    Probability,
}

/// <summary>
/// A YAML mapping read with typed getters. Every getter records the key as known, so that
/// <see cref="RejectUnknownKeys"/> can name any key nobody asked for, its line, and the closest known key.
/// Every error is an <see cref="InputException"/> with file, line, column and the dotted key path.
/// </summary>
public sealed class ConfigMap
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly List<ConfigMap> _children = [];

    internal ConfigMap(YamlMappingNode node, string file, string path)
    {
        _node = node;
        File = file;
        Path = path;
        Line = node.Start.Line > 0 ? (int)node.Start.Line : null;
        Column = node.Start.Column > 0 ? (int)node.Start.Column : null;
    }

    public string File { get; }

    /// <summary>Dotted path of this map from the root ("" for the root, "market" for a section).</summary>
    public string Path { get; }

    public int? Line { get; }
    public int? Column { get; }

    public IEnumerable<string> Keys => _node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    public string FieldName(string key) => Path.Length == 0 ? key : Path + "." + key;

    /// <summary>True when the key is present with a non-null value (and marks it known).</summary>
    public bool Has(string key) => Find(key) is { } node && !IsNull(node);

    public ConfigMap? OptionalMap(string key)
    {
        var node = Find(key);
        if (node is null || IsNull(node)) return null;
        if (node is not YamlMappingNode map) throw Error(node, "expected a mapping of keys to values", key);
        var child = new ConfigMap(map, File, FieldName(key));
        _children.Add(child);
        return child;
    }

    /// <summary>A section that may be absent: an absent one reads as empty, so every getter falls back to its default.</summary>
    public ConfigMap Map(string key) => OptionalMap(key) ?? EmptyChild(key);

    public double? OptionalDouble(string key, NumberRule rule = NumberRule.Any)
    {
        var node = Find(key);
        if (node is null || IsNull(node)) return null;
        return ParseDouble(node, key, rule);
    }

    public double Double(string key, double defaultValue, NumberRule rule = NumberRule.Any) =>
        OptionalDouble(key, rule) ?? defaultValue;

    public double RequiredDouble(string key, NumberRule rule = NumberRule.Any) =>
        OptionalDouble(key, rule) ?? throw Missing(key);

    public int? OptionalInt(string key, int min = int.MinValue)
    {
        var node = Find(key);
        if (node is null || IsNull(node)) return null;
        var scalar = Scalar(node, key);
        if (!int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(node, $"expected an integer, got '{scalar.Value}'", key);
        }
        if (value < min)
        {
            throw Error(node, $"must be >= {min.ToString(CultureInfo.InvariantCulture)}, got {value.ToString(CultureInfo.InvariantCulture)}", key);
        }
        return value;
    }

    public int Int(string key, int defaultValue, int min = int.MinValue) => OptionalInt(key, min) ?? defaultValue;

    public bool Bool(string key, bool defaultValue)
    {
        var node = Find(key);
        if (node is null || IsNull(node)) return defaultValue;
        var scalar = Scalar(node, key);
        return scalar.Value?.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Error(node, $"expected true or false, got '{scalar.Value}'", key),
        };
    }

    public string? OptionalString(string key)
    {
        var node = Find(key);
        if (node is null || IsNull(node)) return null;
        return Scalar(node, key).Value;
    }

    public string String(string key, string defaultValue) => OptionalString(key) ?? defaultValue;

    /// <summary>A string restricted to a set of names; a wrong one lists them and the closest.</summary>
    public string Choice(string key, string defaultValue, params string[] allowed)
    {
        var value = OptionalString(key);
        if (value is null) return defaultValue;
        if (allowed.Contains(value, StringComparer.Ordinal)) return value;
        var closest = Closest(value, allowed);
        var hint = closest is null ? "" : $"; did you mean '{closest}'?";
        throw Error(Find(key)!, $"'{value}' is not one of {string.Join(", ", allowed)}{hint}", key);
    }

    public IReadOnlyList<double>? OptionalDoubleList(string key, NumberRule rule = NumberRule.Any) => Doubles(key, rule);

    private double[]? Doubles(string key, NumberRule rule)
    {
        var node = Find(key);
        if (node is null || IsNull(node)) return null;
        if (node is YamlScalarNode) return [ParseDouble(node, key, rule)];
        if (node is not YamlSequenceNode sequence) throw Error(node, "expected a list of numbers", key);
        // Plain loops rather than LINQ over doubles here and below: a LINQ instantiation over a value type is not in
        // the ReadyToRun image and costs a JIT compilation on every cold start.
        var values = new double[sequence.Children.Count];
        for (var i = 0; i < values.Length; i++) values[i] = ParseDouble(sequence.Children[i], key, rule);
        return values;
    }

    public IReadOnlyList<double> DoubleList(string key, IReadOnlyList<double> defaultValue, NumberRule rule = NumberRule.Any) =>
        OptionalDoubleList(key, rule) ?? defaultValue;

    public IReadOnlyList<int>? OptionalIntList(string key, int min = int.MinValue)
    {
        var values = Doubles(key, NumberRule.Any);
        if (values is null) return null;
        var node = Find(key)!;
        var integers = new int[values.Length];
        for (var i = 0; i < integers.Length; i++)
        {
            var v = values[i];
            if (v != Math.Floor(v) || v < min || v > int.MaxValue)
            {
                throw Error(node, $"expected integers >= {min.ToString(CultureInfo.InvariantCulture)}, got {Guard.Format(v)}", key);
            }
            integers[i] = (int)v;
        }
        return integers;
    }

    public IReadOnlyList<string>? OptionalStringList(string key)
    {
        var node = Find(key);
        if (node is null || IsNull(node)) return null;
        if (node is YamlScalarNode scalar) return (scalar.Value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (node is not YamlSequenceNode sequence) throw Error(node, "expected a list of names", key);
        return sequence.Children.Select(item => Scalar(item, key).Value ?? "").ToArray();
    }

    /// <summary>A list of mappings, e.g. players or regimes.</summary>
    public IReadOnlyList<ConfigMap> MapList(string key)
    {
        var node = Find(key);
        if (node is null || IsNull(node)) return [];
        if (node is not YamlSequenceNode sequence) throw Error(node, "expected a list", key);
        var maps = new List<ConfigMap>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (sequence.Children[i] is not YamlMappingNode map) throw Error(sequence.Children[i], "expected a mapping of keys to values", key);
            var child = new ConfigMap(map, File, $"{FieldName(key)}[{i.ToString(CultureInfo.InvariantCulture)}]");
            _children.Add(child);
            maps.Add(child);
        }
        return maps;
    }

    /// <summary>The named entries of a mapping whose keys are user-chosen names (e.g. regimes: { calm: {...} }).</summary>
    public IReadOnlyList<(string Name, ConfigMap Map)> NamedMaps(string key)
    {
        var section = OptionalMap(key);
        if (section is null) return [];
        var result = new List<(string, ConfigMap)>();
        foreach (var (k, v) in section._node.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            section._known.Add(name);
            if (v is not YamlMappingNode map) throw section.Error(v, "expected a mapping of keys to values", name);
            var child = new ConfigMap(map, File, section.FieldName(name));
            section._children.Add(child);
            result.Add((name, child));
        }
        return result;
    }

    /// <summary>
    /// Runs a constructor that validates with <see cref="Guard"/> and locates its error at the key it names
    /// (the field of the error, looked up in this map), or at this map.
    /// </summary>
    public T Build<T>(Func<T> construct)
    {
        try
        {
            return construct();
        }
        catch (InputException error) when (error.File is null)
        {
            var key = error.Field;
            var node = key is null ? null : NodeAt(key);
            var line = node is null ? Line : (int)node.Start.Line;
            var column = node is null ? Column : (int)node.Start.Column;
            throw new InputException(error.Message, File, line, column, key is null ? Path : FieldName(key), error);
        }
    }

    /// <summary>An error located at a key of this map (or at the map when the key is absent).</summary>
    public InputException ErrorAt(string key, string message)
    {
        var node = NodeAt(key);
        return node is null ? new InputException(message, File, Line, Column, FieldName(key)) : Error(node, message, key);
    }

    /// <summary>Fails on the first key, here or in any section read through this map, that no getter asked for.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var (keyNode, _) in _node.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            if (!_known.Contains(key))
            {
                var closest = Closest(key, _known);
                var hint = closest is null ? "" : $"; did you mean '{closest}'?";
                var known = _known.Count == 0 ? "" : $" (known keys: {string.Join(", ", _known.Order(StringComparer.Ordinal))})";
                throw new InputException($"unknown key '{key}'{hint}{(closest is null ? known : "")}", File, (int)keyNode.Start.Line, (int)keyNode.Start.Column, FieldName(key));
            }
        }
        foreach (var child in _children)
        {
            child.RejectUnknownKeys();
        }
    }

    private ConfigMap EmptyChild(string key)
    {
        var child = new ConfigMap(new YamlMappingNode(), File, FieldName(key));
        _children.Add(child);
        return child;
    }

    /// <summary>The value under a key, without marking the key known (for locating an error).</summary>
    private YamlNode? NodeAt(string key)
    {
        foreach (var (keyNode, value) in _node.Children)
        {
            if (((YamlScalarNode)keyNode).Value == key) return value;
        }
        return null;
    }

    private YamlNode? Find(string key)
    {
        _known.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode scalar && scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private YamlScalarNode Scalar(YamlNode node, string key) =>
        node as YamlScalarNode ?? throw Error(node, "expected a single value", key);

    private double ParseDouble(YamlNode node, string key, NumberRule rule)
    {
        var scalar = Scalar(node, key);
        var text = scalar.Value ?? "";
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Error(node, $"expected a finite number, got '{text}'", key);
        }
        var problem = rule switch
        {
            NumberRule.Positive when value <= 0 => "must be > 0",
            NumberRule.NonNegative when value < 0 => "must be >= 0",
            NumberRule.Probability when value is < 0 or > 1 => "must be in [0, 1]",
            _ => null,
        };
        if (problem is not null)
        {
            throw Error(node, $"{problem}, got {text}", key);
        }
        return value;
    }

    private InputException Missing(string key) =>
        new($"missing required key '{key}'", File, Line, Column, FieldName(key));

    private InputException Error(YamlNode node, string message, string key) =>
        new(message, File, (int)node.Start.Line, (int)node.Start.Column, FieldName(key));

    /// <summary>The known name with the smallest edit distance, if it is close enough to be a plausible typo.</summary>
    public static string? Closest(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(value.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best is not null && bestDistance <= Math.Max(2, best.Length / 3) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
