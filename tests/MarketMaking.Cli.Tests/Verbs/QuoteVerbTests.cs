using System.Text.Json;

namespace MarketMaking.Cli.Tests.Verbs;

public class QuoteVerbTests
{
    private static JsonElement Json(params string[] args)
    {
        var (code, output, error) = CliRunner.Run(["quote", .. args, "--json"]);
        code.Should().Be(0, error);
        return JsonDocument.Parse(output).RootElement;
    }

    [Fact]
    public void Quote_As_PrintsHandComputedJson()
    {
        // Given S = 100, q = 3, γ = 0.1, σ = 2, k = 1.5, τ = 0.5: r = 99.4, half-spread = 10·ln(16/15) + 0.1
        var json = Json("--model", "as", "--mid", "100", "--q", "3", "--gamma", "0.1", "--sigma", "2", "--k", "1.5", "--tau", "0.5");

        // Then
        json.GetProperty("reservation_price").GetDouble().Should().BeApproximately(99.4, 1e-12);
        json.GetProperty("half_spread").GetDouble().Should().BeApproximately(0.7453852113757118, 1e-12);
        json.GetProperty("bid").GetDouble().Should().BeApproximately(99.4 - 0.7453852113757118, 1e-12);
        json.GetProperty("ask").GetDouble().Should().BeApproximately(99.4 + 0.7453852113757118, 1e-12);
        json.GetProperty("bid_depth").GetDouble().Should().BeApproximately(0.6 + 0.7453852113757118, 1e-12);
        json.GetProperty("model").GetString().Should().Be("as");
    }

    [Fact]
    public void Quote_NegativeInventory_IsParsedAsANumber()
    {
        var json = Json("--mid", "100", "--q", "-3", "--gamma", "0.1", "--sigma", "2", "--k", "1.5", "--tau", "0.5");
        json.GetProperty("reservation_price").GetDouble().Should().BeApproximately(100.6, 1e-12);
    }

    [Fact]
    public void Quote_Glft_MatchesTheClosedForm()
    {
        // Given the GLFT paper's parameters at q = 3 (numpy: δ_b = 3.51651269615719, δ_a = 3.1093177009718875)
        var json = Json("--model", "glft", "--mid", "100", "--q", "3", "--gamma", "0.01", "--sigma", "0.3", "--k", "0.3", "--A", "0.9");

        // Then asymmetric quotes, with the centre as reservation price and (ask − bid)/2 as half-spread
        json.GetProperty("bid_depth").GetDouble().Should().BeApproximately(3.51651269615719, 1e-11);
        json.GetProperty("ask_depth").GetDouble().Should().BeApproximately(3.1093177009718875, 1e-11);
        json.GetProperty("reservation_price").GetDouble().Should().BeApproximately(100 + (3.1093177009718875 - 3.51651269615719) / 2, 1e-11);
        json.GetProperty("half_spread").GetDouble().Should().BeApproximately((3.1093177009718875 + 3.51651269615719) / 2, 1e-11);
    }

    [Fact]
    public void Quote_GlftExactAtTheBound_HasNoBid()
    {
        var json = Json("--model", "glft-exact", "--mid", "100", "--q", "5", "--gamma", "0.01", "--sigma", "0.3", "--k", "0.3", "--A", "0.9",
            "--max-inventory", "5", "--tau", "20", "--drift", "0.001");
        json.GetProperty("bid").ValueKind.Should().Be(JsonValueKind.Null);
        json.GetProperty("reservation_price").ValueKind.Should().Be(JsonValueKind.Null);
        // scipy expm reference for this case (see Core GlftTests): δ_a(5) = 1.1020807779184145
        json.GetProperty("ask_depth").GetDouble().Should().BeApproximately(1.1020807779184145, 1e-10);
    }

    [Fact]
    public void Quote_Text_ListsEveryField()
    {
        var (code, output, _) = CliRunner.Run("quote", "--mid", "100", "--gamma", "0.1", "--sigma", "2", "--k", "1.5");
        code.Should().Be(0);
        output.Should().Contain("reservation price").And.Contain("bid").And.Contain("ask").And.Contain("half-spread");
    }

    [Theory]
    [InlineData("--model", "glft-exact", "--A", "0.9")]
    [InlineData("--model", "glft")]
    [InlineData("--model", "nope")]
    [InlineData("--model", "as", "--drift", "0.1")]
    public void Quote_MissingOrWrongModelOptions_AreUsageErrors(params string[] extra)
    {
        var (code, _, error) = CliRunner.Run(["quote", "--mid", "100", "--gamma", "0.01", "--sigma", "0.3", "--k", "0.3", .. extra]);
        code.Should().Be(2);
        error.Should().StartWith("mm-engine: error: ");
    }

    [Theory]
    [InlineData("--gamma", "0", "--gamma")]
    [InlineData("--gamma", "-1", "--gamma")]
    [InlineData("--gamma", "NaN", "--gamma")]
    [InlineData("--k", "0", "--k")]
    [InlineData("--sigma", "-0.3", "--sigma")]
    [InlineData("--tau", "-1", "--tau")]
    [InlineData("--max-inventory", "-2", "--max-inventory")]
    public void Quote_InvalidValues_FailNamingTheOption(string option, string value, string field)
    {
        string[] args = ["quote", "--mid", "100", "--gamma", "0.01", "--sigma", "0.3", "--k", "0.3"];
        var replaced = args.Contains(option) ? args.Select((a, i) => i > 0 && args[i - 1] == option ? value : a).ToArray() : [.. args, option, value];
        var (code, _, error) = CliRunner.Run(replaced);
        code.Should().Be(1);
        error.Should().Contain($"({field})");
    }

    [Fact]
    public void Quote_GlftExactOffGrid_FailsNamingQ()
    {
        var (code, _, error) = CliRunner.Run("quote", "--model", "glft-exact", "--mid", "100", "--q", "1.5", "--gamma", "0.01", "--sigma", "0.3",
            "--k", "0.3", "--A", "0.9", "--max-inventory", "5");
        code.Should().Be(1);
        error.Should().Contain("(--q)");
    }
}
