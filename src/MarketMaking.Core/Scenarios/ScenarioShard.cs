using System.Text.Json.Serialization;

namespace MarketMaking.Core.Scenarios;

/// <summary>
/// What a shard run leaves for `scenarios merge`: the manifest (which sweep, which share) and its cells' results,
/// every double written as its round-trip text, so the merge rebuilds reports byte-identical to an unsharded run.
/// </summary>
public sealed record ScenarioShard(ScenarioManifest Manifest, IReadOnlyList<ScenarioCellResult> Cells)
{
    public const string Format = "mm-engine-scenarios-shard/1";

    public static string FileName(int index, int count) => $"scenarios_shard_{index}_of_{count}.json";
}

/// <summary>
/// The shard file's JSON contract, generated at compile time: no reflection over the records at run time, so the
/// trimmed tool (the linux-x64 package) keeps every member the file needs. Doubles as strings ("R" precision, NaN and
/// ±Infinity by name): exact and valid JSON.
/// </summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals | JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectRequiredConstructorParameters = true,
    // A `null` where the records hold no null is a bad file, not a NullReferenceException in the merge.
    RespectNullableAnnotations = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ScenarioShard))]
[JsonSerializable(typeof(ScenarioGrid))]
public sealed partial class ScenarioShardJson : JsonSerializerContext;

/// <param name="ConfigHash">Of the config file and the result-changing flags; shards of one sweep share it.</param>
/// <param name="CellIndices">The cells this shard ran.</param>
public sealed record ScenarioManifest(string Format, string ConfigHash, int Shard, int Shards, bool KeepPaths, ScenarioGrid Grid,
    IReadOnlyList<KeyValuePair<string, string>> Settings, IReadOnlyList<int> CellIndices);
