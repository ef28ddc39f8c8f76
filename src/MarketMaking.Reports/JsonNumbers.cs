using System.Text.Json;

namespace MarketMaking.Reports;

/// <summary>Numbers in JSON reports: JSON has no NaN or infinity, so a value that is missing or not finite is written as null.</summary>
internal static class JsonNumbers
{
    public static void Write(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
