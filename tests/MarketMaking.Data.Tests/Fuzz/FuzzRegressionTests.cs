using MarketMaking.Core;
using MarketMaking.Data.Config;
using MarketMaking.Data.Tape;
using MarketMaking.Data.Yaml;

namespace MarketMaking.Data.Tests.Fuzz;

/// <summary>The inputs the fuzz loops found crashing a reader, each pinned as a plain test.</summary>
public class FuzzRegressionTests
{
    [Fact]
    public void TapeTime_YearZero_IsNotATime()
    {
        // Given an ISO timestamp in year 0 (DateTime cannot hold it), When parsed, Then a located InputException
        var act = () => TapeTime.Parse("0000-01-01T00:00:00Z", "q.csv", 3, 1);
        act.Should().Throw<InputException>().Which.Describe().Should().StartWith("q.csv:3:1: '0000-01-01T00:00:00Z' is not a time");
    }

    [Theory]
    [InlineData("market: {}\n{}: power\n", 2)]
    [InlineData("market: {}\n[1, [2]]: ~\n", 2)]
    [InlineData("market:\n  ? [a, b]\n  : 1\n", 2)]
    public void YamlConfig_NonScalarKey_LocatedError(string yaml, int line)
    {
        // Given a key that is a mapping or a list, When loaded, Then an error at that key's line (not an InvalidCastException)
        var act = () => EquilibriumConfigLoader.Parse(yaml, "g.yaml");
        act.Should().Throw<InputException>().Which.Line.Should().Be(line);
    }

    [Fact]
    public void YamlConfig_KeyWithoutMapping_LocatedError()
    {
        // Given an empty key under a commented-out line (YamlDotNet's "unsupported event"), When loaded, Then a YAML error
        var act = () => YamlConfig.Parse("intensity:\n#  model: power\n  : 100\n  k: 2\n", "b.yaml");
        act.Should().Throw<InputException>().Which.Message.Should().StartWith("invalid YAML");
    }

    [Fact]
    public void Describe_ControlCharactersInKeyOrValue_OnePrintableLine()
    {
        // Given a key holding a NUL and a tab, When reported, Then the description is one printable line
        var act = () => BacktestConfigLoader.Build(YamlConfig.Parse("in\ttensity: 1\n\"\\0\": 2\n", "b.yaml"), new BacktestOverrides());
        var line = act.Should().Throw<InputException>().Which.Describe();
        line.Should().NotContainAny("\t", "\0", "\n").And.StartWith("b.yaml:1:1: unknown key 'in tensity'");
    }
}
