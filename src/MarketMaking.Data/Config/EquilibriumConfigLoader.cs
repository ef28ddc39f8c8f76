using System.Globalization;
using MarketMaking.Core;
using MarketMaking.Core.Game;
using MarketMaking.Data.Yaml;

namespace MarketMaking.Data.Config;

/// <summary>
/// Reads the <c>mm-engine equilibrium</c> configuration (see config/equilibrium.yaml). Every value is read first,
/// then unknown keys are rejected (so a typo is reported as a typo, with "did you mean", before the key it hid
/// is reported missing), then the Core records validate, and their errors are traced back to the key's line.
/// </summary>
public static class EquilibriumConfigLoader
{
    public static EquilibriumConfig Load(string path) => Read(YamlConfig.Load(path));

    public static EquilibriumConfig Parse(string text, string file = "<config>") => Read(YamlConfig.Parse(text, file));

    private static EquilibriumConfig Read(ConfigMap root)
    {
        var market = root.Map("market");
        var sigma = market.OptionalDouble("sigma");
        var horizon = market.OptionalDouble("holding_horizon");
        var arrivalRate = market.OptionalDouble("arrival_rate");
        var kappa = market.Double("flow_elasticity", 0.0);
        var shareModel = market.Choice("share_model", ShareModels.LogitName, ShareModels.LogitName, ShareModels.WinnerTakesAllName);
        var beta = market.OptionalDouble("share_elasticity");
        var alpha = market.Double("informed_fraction", 0.0);
        var jump = market.Double("informed_move", 0.0);

        var playerMaps = root.MapList("players");
        var players = playerMaps.Select(p => (Map: p, Name: p.OptionalString("name"), Cost: p.OptionalDouble("cost"), RiskAversion: p.OptionalDouble("risk_aversion"))).ToList();

        var gridMap = root.Map("grid");
        var maxHalfSpread = gridMap.Double("max_half_spread", SpreadGrid.DefaultMaxHalfSpread);
        var tick = gridMap.Double("tick", SpreadGrid.DefaultTick);

        var sensitivityMap = root.OptionalMap("sensitivity");
        var sweeps = new List<(string Key, IReadOnlyList<double> Values)>();
        if (sensitivityMap is not null)
        {
            // Every sweepable key is known (so a typo gets "did you mean"); sweeps run in the file's order.
            foreach (var key in SensitivityParameters.ByKey.Keys) sensitivityMap.Has(key);
            foreach (var key in sensitivityMap.Keys.ToList())
            {
                if (SensitivityParameters.ByKey.ContainsKey(key))
                {
                    sweeps.Add((key, sensitivityMap.OptionalDoubleList(key) ?? []));
                }
            }
        }

        var dynamicsMap = root.OptionalMap("dynamics");
        var start = dynamicsMap?.OptionalDoubleList("start");
        var rounds = dynamicsMap?.Int("rounds", 50);

        var monteCarloMap = root.OptionalMap("monte_carlo");
        var mcHorizon = monteCarloMap?.Double("horizon", 1.0);
        var paths = monteCarloMap?.Int("paths", 10_000);
        var seedText = monteCarloMap?.OptionalString("seed");

        root.RejectUnknownKeys();

        // Required values, now that no typo can be hiding them.
        var modelKind = ShareModels.Parse(shareModel);
        if (modelKind == ShareModel.WinnerTakesAll) beta ??= 1.0; // β plays no part in winner-takes-all.
        var gameMarket = Locate(market, () => new GameMarket(
            Required(market, "sigma", sigma), Required(market, "holding_horizon", horizon), Required(market, "arrival_rate", arrivalRate),
            kappa, modelKind, Required(market, "share_elasticity", beta), alpha, jump));

        if (playerMaps.Count == 0) throw root.ErrorAt("players", "is missing: list at least two players, e.g. - { name: desk, cost: 0.01, risk_aversion: 0.1 }");
        var gamePlayers = players.Select(p => Locate(p.Map, () => new GamePlayer(
            p.Name ?? throw p.Map.ErrorAt("name", "missing required key 'name'"),
            Required(p.Map, "cost", p.Cost), Required(p.Map, "risk_aversion", p.RiskAversion), p.Map.Path))).ToList();

        var grid = Locate(gridMap, () => new SpreadGrid(maxHalfSpread, tick));

        var sensitivity = sweeps.Select(s => Locate(sensitivityMap!, () => new SensitivitySweep(SensitivityParameters.ByKey[s.Key], s.Values))).ToList();

        DynamicsSettings? dynamics = null;
        if (dynamicsMap is not null)
        {
            dynamics = Locate(dynamicsMap, () => new DynamicsSettings(start ?? throw dynamicsMap.ErrorAt("start", "missing required key 'start': one half-spread per player"), rounds!.Value));
        }

        MonteCarloSettings? monteCarlo = null;
        if (monteCarloMap is not null)
        {
            // Parsed as an integer, not a double: every 64-bit seed is kept exactly.
            ulong seed = 1;
            if (seedText is not null && !ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
            {
                throw monteCarloMap.ErrorAt("seed", $"must be a non-negative integer, got '{seedText}'");
            }
            monteCarlo = Locate(monteCarloMap, () => new MonteCarloSettings(mcHorizon!.Value, paths!.Value, seed));
        }

        // Cross-section checks (N ≥ 2, unique names, one start per player) name a key of the root.
        var maps = new Dictionary<string, ConfigMap>(StringComparer.Ordinal) { ["market"] = market, ["grid"] = gridMap };
        if (dynamicsMap is not null) maps["dynamics"] = dynamicsMap;
        foreach (var p in playerMaps) maps[p.Path] = p;
        return LocateIn(root, maps, () => new EquilibriumConfig(gameMarket, gamePlayers, grid, sensitivity, dynamics, monteCarlo));
    }

    private static double Required(ConfigMap map, string key, double? value) =>
        value ?? throw map.ErrorAt(key, $"missing required key '{key}'");

    /// <summary>Runs a Core constructor; an error naming a field under this map is reported at that key's line.</summary>
    private static T Locate<T>(ConfigMap map, Func<T> construct)
    {
        try
        {
            return construct();
        }
        catch (InputException error) when (error.File is null)
        {
            throw At(map, error);
        }
    }

    private static T LocateIn<T>(ConfigMap root, IReadOnlyDictionary<string, ConfigMap> maps, Func<T> construct)
    {
        try
        {
            return construct();
        }
        catch (InputException error) when (error.File is null)
        {
            var field = error.Field ?? "";
            // The deepest map whose path prefixes the field: players[1].name → the players[1] map.
            var map = maps.Where(kv => field.StartsWith(kv.Key + ".", StringComparison.Ordinal) || field.StartsWith(kv.Key + "[", StringComparison.Ordinal))
                .OrderByDescending(kv => kv.Key.Length).Select(kv => kv.Value).FirstOrDefault() ?? root;
            throw At(map, error);
        }
    }

    private static InputException At(ConfigMap map, InputException error)
    {
        var field = error.Field ?? map.Path;
        var local = map.Path.Length > 0 && field.StartsWith(map.Path, StringComparison.Ordinal) ? field[map.Path.Length..].TrimStart('.') : field;
        // start[1] is found at the key start; cost at cost.
        var cut = local.IndexOfAny(['.', '[']);
        var key = cut > 0 ? local[..cut] : local;
        var located = key.Length > 0 ? map.ErrorAt(key, error.Message) : new InputException(error.Message, map.File, map.Line, map.Column);
        return new InputException(error.Message, located.File, located.Line, located.Column, field, error);
    }
}
