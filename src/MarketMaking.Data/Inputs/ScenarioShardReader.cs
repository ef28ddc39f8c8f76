using System.Text.Json;
using MarketMaking.Core;
using MarketMaking.Core.Scenarios;

namespace MarketMaking.Data.Inputs;

/// <summary>The shards of one sweep, checked to belong together and to cover every cell exactly once.</summary>
public sealed record MergedShards(ScenarioManifest Manifest, IReadOnlyList<ScenarioCellResult> Cells);

/// <summary>Reads `scenarios --shard` outputs for `scenarios merge`.</summary>
public static class ScenarioShardReader
{
    /// <summary>Every scenarios_shard_*.json in <paramref name="directories"/>; refuses mismatched, duplicate or missing shards.</summary>
    public static MergedShards Merge(IReadOnlyList<string> directories)
    {
        if (directories.Count == 0) throw new InputException("give at least one shard directory", field: "DIR");
        var shards = new List<(string File, ScenarioShard Shard)>();
        foreach (var directory in directories)
        {
            if (!Directory.Exists(directory)) throw new InputException("no such directory", directory, field: "DIR");
            var files = Directory.GetFiles(directory, "scenarios_shard_*_of_*.json").Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0) throw new InputException("no scenarios_shard_*_of_*.json here (written by `scenarios --shard I/N`)", directory, field: "DIR");
            shards.AddRange(files.Select(f => (f, Read(f))));
        }
        var (firstFile, first) = shards[0];
        var manifest = first.Manifest;
        foreach (var (file, shard) in shards)
        {
            var m = shard.Manifest;
            if (m.ConfigHash != manifest.ConfigHash)
            {
                throw new InputException($"belongs to another sweep (config hash {m.ConfigHash[..12]}… vs {manifest.ConfigHash[..12]}… in {Path.GetFileName(firstFile)}): same config, --paths and --seed needed", file, field: "config_hash");
            }
            if (m.Shards != manifest.Shards) throw new InputException($"is one of {m.Shards} shards, {Path.GetFileName(firstFile)} one of {manifest.Shards}", file, field: "shards");
            if (m.KeepPaths != manifest.KeepPaths) throw new InputException("--keep-paths differs between shards", file, field: "keep_paths");
        }
        var duplicate = shards.GroupBy(s => s.Shard.Manifest.Shard).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InputException($"shard {duplicate.Key}/{manifest.Shards} given twice", duplicate.Skip(1).First().File, field: "shard");
        var missing = Enumerable.Range(1, manifest.Shards).Except(shards.Select(s => s.Shard.Manifest.Shard)).ToArray();
        if (missing.Length > 0) throw new InputException($"missing shard(s) {string.Join(", ", missing.Select(i => $"{i}/{manifest.Shards}"))}", directories[0], field: "DIR");
        var cells = new ScenarioCellResult[manifest.Grid.CellCount];
        foreach (var (file, shard) in shards)
        {
            foreach (var cell in shard.Cells)
            {
                if (cell.Cell < 0 || cell.Cell >= cells.Length || cells[cell.Cell] is not null) throw new InputException($"cell {cell.Cell} is out of the grid or repeated", file, field: "cells");
                cells[cell.Cell] = cell;
            }
        }
        var absent = Array.FindIndex(cells, c => c is null);
        if (absent >= 0) throw new InputException($"no shard holds cell {absent}", directories[0], field: "cells");
        return new MergedShards(manifest, cells);
    }

    public static ScenarioShard Read(string file)
    {
        ScenarioShard? shard;
        try
        {
            using var stream = File.OpenRead(file);
            shard = JsonSerializer.Deserialize<ScenarioShard>(stream, ScenarioShard.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InputException($"not a scenarios shard file: {e.Message}", file, e.LineNumber is long line ? (int)line + 1 : null, null, e.Path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot read: {e.Message}", file, inner: e);
        }
        if (shard?.Manifest is null || shard.Cells is null) throw new InputException("not a scenarios shard file: empty", file);
        if (shard.Manifest.Format != ScenarioShard.Format) throw new InputException($"format '{shard.Manifest.Format}', expected '{ScenarioShard.Format}'", file, field: "format");
        return shard;
    }
}
