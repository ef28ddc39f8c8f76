using System.Text.Json.Nodes;

namespace MarketMaking.Cli.Tests.Reliability;

/// <summary>
/// `scenarios merge` end to end (reports and charts included) over shards whose figures were replaced by hostile
/// numbers (the reader's own fuzz loop covers the file's structure): exit 0, or exit 1 with one line and nothing written.
/// </summary>
public class ScenariosMergeFuzzTests
{
    private static readonly string[] HostileNumbers = ["NaN", "Infinity", "-Infinity", "1e308", "-1e308", "0", "-1", "5e-324", "1e-300", "123456789"];

    [Fact]
    public void ScenariosMerge_HostileFigures_Exit0OrOneLineExit1()
    {
        // Given the two shards of the small sweep
        using var dir = new TempDir();
        var args = VerbCase.ScenariosMerge.Args(dir);
        var files = Directory.GetFiles(dir.Combine("shards")).Order(StringComparer.Ordinal).ToArray();
        var valid = files.Select(File.ReadAllText).ToArray();
        var random = new Random(301);
        var (succeeded, failed) = (0, 0);
        // Each merge renders six charts (~0.4 s): a few dozen cases keep the test project fast.
        for (var i = 0; i < 12; i++)
        {
            // When 1 to 4 figures of one shard become hostile numbers
            var which = random.Next(files.Length);
            var root = JsonNode.Parse(valid[which])!;
            var leaves = Leaves(root["cells"]!).ToArray();
            for (var n = 1 + random.Next(4); n > 0; n--)
            {
                var (parent, key, index) = leaves[random.Next(leaves.Length)];
                var value = JsonValue.Create(HostileNumbers[random.Next(HostileNumbers.Length)]);
                if (parent is JsonObject o) o[key!] = value;
                else ((JsonArray)parent)[index] = value;
            }
            for (var f = 0; f < files.Length; f++) File.WriteAllText(files[f], f == which ? root.ToJsonString() : valid[f]);
            var output = dir.Combine("out-" + i);
            var outcome = CleanFailure.Run([.. args, "--out", output, "--quiet"]);

            // Then success, or a clean failure that wrote nothing
            if (outcome.ExitCode == 0)
            {
                succeeded++;
                continue;
            }
            failed++;
            CleanFailure.ShouldBe(outcome, 1);
            Directory.Exists(output).Should().BeFalse();
        }
        (succeeded + failed).Should().Be(12);
        succeeded.Should().BeGreaterThan(0, "hostile figures are data a report must be able to show");
    }

    /// <summary>Every scalar below <paramref name="node"/> with its parent and its place in it.</summary>
    private static IEnumerable<(JsonNode Parent, string? Key, int Index)> Leaves(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToArray())
                {
                    if (child is JsonValue) yield return (o, key, -1);
                    else if (child is not null) foreach (var inner in Leaves(child)) yield return inner;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonValue) yield return (a, null, i);
                    else if (a[i] is { } child) foreach (var inner in Leaves(child)) yield return inner;
                }
                break;
        }
    }
}
