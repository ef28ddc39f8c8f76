namespace MarketMaking.Cli.Tests.Reliability;

/// <summary>
/// The failure modes specific to `scenarios` and `scenarios merge` (the shared ones, --out, disk full and Ctrl-C,
/// run for them through <see cref="VerbCase.WithFiles"/>): exit code, one line, the output directory untouched.
/// </summary>
public class ScenariosFailureTests
{
    private static (TempDir Dir, string[] Args) Prepare(VerbCase verb)
    {
        var dir = new TempDir();
        var output = dir.Combine("out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "index.md"), "earlier run\n");
        return (dir, [.. verb.Args(dir), "--out", output]);
    }

    [Fact]
    public void Scenarios_MissingConfig_Exit1NamesFile()
    {
        // Given the --config file removed, When run, Then exit 1 "file not found" naming it, nothing written
        var (dir, args) = Prepare(VerbCase.Scenarios);
        using var _d = dir;
        File.Delete(dir.Combine("sc.yaml"));
        CleanFailure.Check(dir, args, 1, "sc.yaml: file not found");
    }

    [Fact]
    public void Scenarios_DirectoryAsConfig_Exit1()
    {
        var (dir, args) = Prepare(VerbCase.Scenarios);
        using var _d = dir;
        File.Delete(dir.Combine("sc.yaml"));
        Directory.CreateDirectory(dir.Combine("sc.yaml"));
        CleanFailure.Check(dir, args, 1, "is a directory, expected a file");
    }

    [Fact]
    public void Scenarios_CtrlCDuringSweep_Exit1NothingWritten()
    {
        // Given a sweep far too long to finish (10^6 paths a cell) and Ctrl-C 100 ms into it
        var (dir, args) = Prepare(VerbCase.Scenarios);
        using var _d = dir;
        args = [.. args, "--paths", "1000000"];
        // (pressed on a thread of its own: a timer's callback can wait behind the sweep's busy thread pool)
        using var interrupt = new CancellationTokenSource();
        var ctrlC = new Thread(() =>
        {
            Thread.Sleep(100);
            interrupt.Cancel();
        });
        ctrlC.Start();

        // When run, Then exit 1 "interrupted"
        CleanFailure.Check(dir, args, 1, "interrupted", interrupt.Token);
        ctrlC.Join();
    }

    [Fact]
    public void ScenariosMerge_MissingShardDirectory_Exit1()
    {
        var (dir, args) = Prepare(VerbCase.ScenariosMerge);
        using var _d = dir;
        Directory.Delete(dir.Combine("shards"), recursive: true);
        CleanFailure.Check(dir, args, 1, "no such directory (DIR)");
    }

    [Fact]
    public void ScenariosMerge_DirectoryWithoutShards_Exit1()
    {
        var (dir, args) = Prepare(VerbCase.ScenariosMerge);
        using var _d = dir;
        foreach (var file in Directory.GetFiles(dir.Combine("shards"))) File.Delete(file);
        CleanFailure.Check(dir, args, 1, "no scenarios_shard_*_of_*.json here");
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("empty")]
    [InlineData("not-json")]
    [InlineData("directory")]
    public void ScenariosMerge_BrokenShardFile_Exit1NamesFile(string kind)
    {
        // Given shard 2 of 2 broken in one way
        var (dir, args) = Prepare(VerbCase.ScenariosMerge);
        using var _d = dir;
        var shard = Path.Combine(dir.Combine("shards"), "scenarios_shard_2_of_2.json");
        var text = File.ReadAllText(shard);
        File.Delete(shard);
        if (kind == "directory") Directory.CreateDirectory(shard);
        else File.WriteAllText(shard, kind switch { "truncated" => text[..(text.Length / 2)], "empty" => "", _ => "shard,of,cells\n1,2,3\n" });

        // When merged, Then exit 1 with one line naming that file
        // (a directory of that name is not a shard file: shard 2 is then missing)
        CleanFailure.Check(dir, args, 1, kind == "directory" ? "missing shard(s) 2/2" : "scenarios_shard_2_of_2.json");
    }
}
