using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MarketMaking.Core.Scenarios;
using MarketMaking.Data.Config;
using MarketMaking.Data.Inputs;
using MarketMaking.Data.Yaml;

namespace MarketMaking.Data.Tests.Fuzz;

/// <summary>
/// `scenarios merge` over seeded mutations of a valid two-shard sweep: structural JSON mutations (a value replaced by a
/// hostile one, a member removed, an array shortened) and byte-level ones. Reading, merging and analysing the merged
/// cells (what the verb does before writing) either succeeds or throws InputException, nothing else.
/// </summary>
public class ScenarioShardFuzzTests
{
    private const string Config = """
        scenarios:
          gammas: [0.01, 0.1]
          regimes:
            calm: { drift: 0, sigma: 2 }
            turbulent: { sigma: 10 }
        market: { process: gaussian, s0: 100, sigma: 2, dt: 0.01, horizon: 0.1 }
        intensity: { model: exponential, A: 140, k: 1.5 }
        markout_horizons: [1, 5]
        paths: 6
        distribution_paths: 3
        seed: 5
        """;

    private static readonly JsonNode?[] HostileValues =
    [
        null, "NaN", "Infinity", "-Infinity", "1e400", "-1", "0", "2147483648", "x", "", true, -1, 0, 99, int.MaxValue, int.MinValue,
        new JsonArray(), new JsonObject(), new JsonArray("1", "2"), new JsonArray(new JsonArray()), "mm-engine-scenarios-shard/1",
    ];

    /// <summary>The two shards of <see cref="Config"/>, as `scenarios --shard I/2` writes them.</summary>
    internal static string[] ValidShards() =>
        [.. ValidShardRecords().Select(shard => JsonSerializer.Serialize(shard, ScenarioShardJson.Default.ScenarioShard))];

    /// <summary>The two shards of <see cref="Config"/> before they are written.</summary>
    internal static ScenarioShard[] ValidShardRecords()
    {
        var bytes = Encoding.UTF8.GetBytes(Config);
        return [.. new[] { 1, 2 }.Select(index =>
        {
            var setup = ScenarioConfigLoader.Build(YamlConfig.Parse(Config, "sc.yaml"), new ScenarioOverrides { Shard = new Shard(index, 2) }, bytes);
            var cells = ScenarioSweep.Run(setup.Spec);
            var manifest = new ScenarioManifest(ScenarioShard.Format, setup.ConfigHash, index, 2, false, ScenarioSweep.Grid(setup.Spec), setup.Settings,
                cells.Select(c => c.Cell).ToArray());
            return new ScenarioShard(manifest, cells);
        })];
    }

    [Fact]
    public void ScenarioShardReader_Mutations_OnlySuccessOrInputException()
    {
        // Given the two valid shards in one directory
        var shards = ValidShards();
        var directory = Path.Combine(Path.GetTempPath(), "mm-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var files = new[] { 1, 2 }.Select(i => Path.Combine(directory, ScenarioShard.FileName(i, 2))).ToArray();
            void Merge()
            {
                var merged = ScenarioShardReader.Merge([directory]);
                ScenarioAnalysis.Analyse(merged.Manifest.Grid, merged.Cells);
            }
            File.WriteAllText(files[0], shards[0]);
            File.WriteAllText(files[1], shards[1]);
            Merge();

            // When one shard at a time is mutated, Then every merge succeeds or fails with a clean InputException
            var mutator = new Mutator(201);
            var random = new Random(202);
            FuzzHarness.Loop(800, i =>
            {
                var which = random.Next(2);
                var text = Mutate(shards[which], random, mutator);
                File.WriteAllText(files[which], shards[which]);
                File.WriteAllText(files[1 - which], shards[1 - which]);
                File.WriteAllBytes(files[which], text);
                return (Merge, $"shard {which + 1}: {Encoding.UTF8.GetString(text[..Math.Min(text.Length, 400)])}…");
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static byte[] Mutate(string valid, Random random, Mutator mutator)
    {
        if (random.Next(5) == 0) return mutator.MutateCsv(valid);
        var root = JsonNode.Parse(valid)!;
        for (var n = 1 + random.Next(2); n > 0; n--)
        {
            var nodes = Flatten(root).ToArray();
            var (parent, key, index) = nodes[random.Next(nodes.Length)];
            switch (random.Next(4))
            {
                case 0:
                    var value = HostileValues[random.Next(HostileValues.Length)]?.DeepClone();
                    if (parent is JsonObject o) o[key!] = value;
                    else ((JsonArray)parent)[index] = value;
                    break;
                case 1:
                    if (parent is JsonObject o1) o1.Remove(key!);
                    else ((JsonArray)parent).RemoveAt(index);
                    break;
                case 2:
                    // A number nudged: cell indices, shard numbers and counts out of step with the rest.
                    var node = parent is JsonObject o2 ? o2[key!] : ((JsonArray)parent)[index];
                    if (node is JsonValue v && v.TryGetValue<int>(out var number))
                    {
                        var nudged = JsonValue.Create(number + random.Next(-2, 3));
                        if (parent is JsonObject o3) o3[key!] = nudged;
                        else ((JsonArray)parent)[index] = nudged;
                    }
                    break;
                default:
                    if (parent is JsonArray a) a.Add(a[random.Next(a.Count)]?.DeepClone());
                    break;
            }
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>Every node below <paramref name="node"/> with its parent and its place in it.</summary>
    private static IEnumerable<(JsonNode Parent, string? Key, int Index)> Flatten(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToArray())
                {
                    yield return (o, key, -1);
                    if (child is not null) foreach (var inner in Flatten(child)) yield return inner;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    yield return (a, null, i);
                    if (a[i] is { } child) foreach (var inner in Flatten(child)) yield return inner;
                }
                break;
        }
    }

    [Fact]
    public void ValidShards_AreInvariantText()
    {
        // Guard for the fuzz loop's starting point: the shards carry numbers as invariant strings.
        ValidShards()[0].Should().Contain("\"gamma\":\"0.01\"", CultureInfo.CurrentCulture.Name);
    }
}
