using MarketMaking.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MarketMaking.Data.Yaml;

/// <summary>Loads a YAML configuration file into a <see cref="ConfigMap"/> whose every value knows its line.</summary>
public static class YamlConfig
{
    /// <summary>A parse started ahead of its <see cref="Load"/> (see <see cref="Preload"/>).</summary>
    private sealed record Preloaded(string FullPath, Task<ConfigMap> Parse);

    private static Preloaded? s_preloaded;

    /// <summary>
    /// Starts reading and parsing <paramref name="path"/> on the thread pool; the next <see cref="Load"/> of the same
    /// file takes that result, or its error, as if it had done the work itself. The tool calls this as it starts when no
    /// warm-up has the spare core, so a configuration's YAML (about 10 ms in a fresh process) is parsed while the command
    /// line is.
    /// </summary>
    public static void Preload(string path)
    {
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or IOException or NotSupportedException)
        {
            return; // Load reports it
        }
        s_preloaded = new Preloaded(fullPath, Task.Run(() => LoadNow(path)));
    }

    public static ConfigMap Load(string path)
    {
        // Taken once, and only for its own file.
        if (Volatile.Read(ref s_preloaded) is { } preloaded && SameFile(preloaded.FullPath, path)
            && Interlocked.CompareExchange(ref s_preloaded, null, preloaded) == preloaded)
        {
            return preloaded.Parse.GetAwaiter().GetResult();
        }
        return LoadNow(path);
    }

    private static bool SameFile(string fullPath, string path)
    {
        try
        {
            return string.Equals(fullPath, Path.GetFullPath(path), StringComparison.Ordinal);
        }
        catch (Exception e) when (e is ArgumentException or IOException or NotSupportedException)
        {
            return false;
        }
    }

    private static ConfigMap LoadNow(string path)
    {
        InputFiles.RequireFile(path, "config");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot read: {e.Message}", path, field: "config", inner: e);
        }
        return Parse(text, path);
    }

    public static ConfigMap Parse(string text, string file)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new InputException("not a text file (contains a NUL byte)", file, field: "config");
        }
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            var inner = e.InnerException is YamlException nested ? nested.Message : null;
            throw new InputException($"invalid YAML: {OneLine(inner ?? e.Message)}", file, (int)e.Start.Line, (int)e.Start.Column, "config", e);
        }
        catch (ArgumentException e)
        {
            // YamlDotNet's representation model fails this way on an event it cannot place (e.g. a key with no mapping).
            throw new InputException("invalid YAML: unexpected token", file, (int)scanner.CurrentPosition.Line, (int)scanner.CurrentPosition.Column, "config", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner fails this way on some broken flow collections; its position is still known.
            throw new InputException("invalid YAML: unterminated or malformed flow collection", file, (int)scanner.CurrentPosition.Line, (int)scanner.CurrentPosition.Column, "config", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new ConfigMap(new YamlMappingNode(), file, "");
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var node = stream.Documents[0].RootNode;
            throw new InputException("the configuration must be a mapping of keys to values", file, (int)node.Start.Line, (int)node.Start.Column, "config");
        }
        RequirePlainKeys(root, file, []);
        return new ConfigMap(root, file, "");
    }

    /// <summary>Every key must be a scalar: a configuration key is a name, never a list or a mapping (`[a]: 1`).</summary>
    private static void RequirePlainKeys(YamlNode node, string file, HashSet<YamlNode> seen)
    {
        // Aliases share nodes: visit each once.
        if (!seen.Add(node)) return;
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode)
                    {
                        throw new InputException("a key must be a plain name, not a list or a mapping", file, (int)key.Start.Line, (int)key.Start.Column, "config");
                    }
                    RequirePlainKeys(value, file, seen);
                }
                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children) RequirePlainKeys(item, file, seen);
                break;
        }
    }

    private static string OneLine(string message) => message.Replace('\n', ' ').Replace('\r', ' ');
}
