using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FluentAssertions;
using MarketMaking.Core;
using MarketMaking.Core.Scenarios;
using MarketMaking.Data.Inputs;
using MarketMaking.Data.Tests.Fuzz;

namespace MarketMaking.Data.Tests.Inputs;

public class ScenarioShardReaderTests
{
    /// <summary>The reflection-based options the shard format was first written with (before the source-generated contract).</summary>
    private static readonly JsonSerializerOptions ReflectionOptions = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals | JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    [Fact]
    public void ScenarioShardJson_RealShards_SameBytesAsTheReflectionSerializer()
    {
        // Given the shards of a real sweep (NaN among the bids, a null `kept`)
        var shards = ScenarioShardFuzzTests.ValidShardRecords();

        foreach (var shard in shards)
        {
            // When written with the source-generated contract and with reflection over the same options
            var generated = JsonSerializer.Serialize(shard, ScenarioShardJson.Default.ScenarioShard);
            var reflected = JsonSerializer.Serialize(shard, ReflectionOptions);

            // Then the text is the same: the file format did not change
            generated.Should().Be(reflected);
        }
    }

    [Fact]
    public void Read_RegimeWithoutName_InputExceptionWithTheFile()
    {
        // Given a shard whose only change is a regime without a name (the record's own validation rejects it)
        using var dir = new TempDir();
        var root = JsonNode.Parse(ScenarioShardFuzzTests.ValidShards()[0])!;
        root["manifest"]!["grid"]!["regimes"]![0]!["name"] = "";
        var file = dir.Write(ScenarioShard.FileName(1, 2), root.ToJsonString());

        // When read
        var read = () => ScenarioShardReader.Read(file);

        // Then the record's InputException comes out located at the file, not wrapped in a reflection exception
        read.Should().Throw<InputException>()
            .Where(e => e.File == file && e.Message == "not a valid scenarios shard: a regime needs a name" && e.Field == "regimes");
    }
}
