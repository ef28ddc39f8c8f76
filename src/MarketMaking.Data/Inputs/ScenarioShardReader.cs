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
            // Cells were checked against their own file's grid: the grids must then be one and the same.
            if (JsonSerializer.Serialize(m.Grid, ScenarioShardJson.Default.ScenarioGrid) != JsonSerializer.Serialize(manifest.Grid, ScenarioShardJson.Default.ScenarioGrid))
            {
                throw new InputException($"its grid differs from the one in {Path.GetFileName(firstFile)}", file, field: "grid");
            }
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
            shard = JsonSerializer.Deserialize(stream, ScenarioShardJson.Default.ScenarioShard);
        }
        catch (InputException e) when (e.File is null)
        {
            // A record's own validation (a regime without a name, a negative σ) while the file is read.
            throw new InputException($"not a valid scenarios shard: {e.Message}", file, field: e.Field, inner: e);
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
        CheckShape(shard, file);
        return shard;
    }

    /// <summary>
    /// What the merge and the reports rely on and the JSON schema alone cannot say: a non-empty grid, a shard number
    /// within its count, and every cell in its place with arrays of the lengths one sweep writes.
    /// </summary>
    private static void CheckShape(ScenarioShard shard, string file)
    {
        var m = shard.Manifest;
        var grid = m.Grid;
        if (grid.Regimes.Count == 0 || grid.Gammas.Count == 0) throw new InputException("the grid is empty", file, field: "grid");
        if (grid.Regimes.Any(r => r is null) || grid.Gammas.Any(g => !(g > 0) || !double.IsFinite(g))) throw new InputException("the grid holds a missing regime or a γ that is not > 0", file, field: "grid");
        if (grid.Paths < 1 || !(grid.Lambda >= 0) || !double.IsFinite(grid.Lambda)) throw new InputException($"paths {grid.Paths} or λ {grid.Lambda} out of range", file, field: "grid");
        if (m.Shards < 1 || m.Shard < 1 || m.Shard > m.Shards) throw new InputException($"shard {m.Shard} of {m.Shards} is not a shard", file, field: "shard");
        if (string.IsNullOrEmpty(m.ConfigHash) || m.ConfigHash.Length < 12) throw new InputException("no config hash", file, field: "config_hash");
        foreach (var cell in shard.Cells)
        {
            string? Problem()
            {
                if (cell is null) return "a cell is missing";
                if (cell.Cell < 0 || cell.Cell >= grid.CellCount) return $"cell {cell.Cell} is out of the {grid.CellCount}-cell grid";
                var gammas = grid.Gammas.Count;
                if (cell.Regime != grid.Regimes[cell.Cell / gammas].Name || cell.Gamma != grid.Gammas[cell.Cell % gammas]) return $"cell {cell.Cell} is not the grid's regime and γ";
                if (cell.PathPnl.Length != grid.Paths || cell.PathSharpe.Length != grid.Paths) return $"cell {cell.Cell} does not hold {grid.Paths} paths";
                if (cell.PnlFan.Length != 5 || cell.InventoryFan.Length != 5 || cell.PnlFan.Concat(cell.InventoryFan).Any(row => row is null || row.Length != cell.FanTime.Length)) return $"cell {cell.Cell}: fans do not match their times";
                var steps = cell.Path0Time.Length;
                if (steps == 0 || cell.Path0Mid.Length != steps || cell.Path0Bid.Length != steps || cell.Path0Ask.Length != steps || cell.Path0Inventory.Length != steps) return $"cell {cell.Cell}: path 0's series differ in length";
                if (cell.MarkoutQuantiles.Length != ScenarioSweep.MarkoutProbabilities.Length) return $"cell {cell.Cell}: expected {ScenarioSweep.MarkoutProbabilities.Length} markout quantiles";
                if (cell.Kept is { } k && new[] { k.FinalInventory, k.SpreadCapture, k.InventoryPnl, k.AdverseSelection, k.Fills, k.AverageSpread, k.MaxDrawdown, k.MaxAbsInventory }.Any(a => a.Length != grid.Paths)) return $"cell {cell.Cell}: kept paths do not hold {grid.Paths} paths";
                return null;
            }
            if (Problem() is { } problem) throw new InputException(problem, file, field: "cells");
        }
    }
}
