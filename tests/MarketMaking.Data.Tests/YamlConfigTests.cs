using MarketMaking.Core;
using MarketMaking.Data.Yaml;

namespace MarketMaking.Data.Tests;

public class YamlConfigTests
{
    private const string Sample = """
        market:
          sigma: 2.0
          dt: 0.005
        fills: linear
        paths: 1000
        gammas: [0.1, 0.01]
        """;

    [Fact]
    public void Load_AfterPreload_SameValuesAsLoadingDirectly()
    {
        // Given a config file whose parse was started ahead
        using var dir = new TempDir();
        var path = dir.Write("preloaded.yaml", Sample);
        YamlConfig.Preload(path);

        // When it is loaded, Then it reads as a direct load does
        var root = YamlConfig.Load(path);
        root.Map("market").Double("sigma", 1).Should().Be(2.0);
        root.Int("paths", 1, min: 1).Should().Be(1000);
        YamlConfig.Load(path).Int("paths", 1, min: 1).Should().Be(1000);
    }

    [Fact]
    public void Load_AfterPreloadOfMissingFile_ReportsTheSameError()
    {
        // Given a preload of a file that does not exist
        using var dir = new TempDir();
        var path = System.IO.Path.Combine(dir.Path, "missing.yaml");
        YamlConfig.Preload(path);

        // When it is loaded, Then the error is the one a direct load gives
        var preloaded = ((Action)(() => YamlConfig.Load(path))).Should().Throw<InputException>().Which;
        var direct = ((Action)(() => YamlConfig.Load(path))).Should().Throw<InputException>().Which;
        preloaded.Describe().Should().Be(direct.Describe());
    }

    [Fact]
    public void Load_AfterPreloadOfAnotherFile_ReadsTheRequestedOne()
    {
        // Given a preload of one file
        using var dir = new TempDir();
        YamlConfig.Preload(dir.Write("other.yaml", "paths: 5\n"));

        // When another is loaded, Then that one is read
        YamlConfig.Load(dir.Write("wanted.yaml", Sample)).Int("paths", 1, min: 1).Should().Be(1000);
    }

    [Fact]
    public void Getters_ValidConfig_ReadTypedValues()
    {
        var root = YamlConfig.Parse(Sample, "c.yaml");
        var market = root.Map("market");

        market.Double("sigma", 1).Should().Be(2.0);
        market.Double("drift", 0.5).Should().Be(0.5);
        root.Choice("fills", "poisson", "poisson", "linear").Should().Be("linear");
        root.Int("paths", 1, min: 1).Should().Be(1000);
        root.DoubleList("gammas", []).Should().Equal(0.1, 0.01);
        market.Double("dt", 1);
        root.Invoking(r => r.RejectUnknownKeys()).Should().NotThrow();
    }

    [Fact]
    public void RejectUnknownKeys_Typo_NamesKeyLineAndClosestKey()
    {
        var root = YamlConfig.Parse("market:\n  sigam: 2.0\n", "c.yaml");
        var market = root.Map("market");
        market.Double("sigma", 1);
        market.Double("drift", 0);

        var error = root.Invoking(r => r.RejectUnknownKeys()).Should().Throw<InputException>().Which;

        error.Message.Should().Contain("unknown key 'sigam'").And.Contain("did you mean 'sigma'?");
        error.Line.Should().Be(2);
        error.Field.Should().Be("market.sigam");
    }

    [Theory]
    [InlineData("sigma: -1\n", "must be > 0")]
    [InlineData("sigma: abc\n", "expected a finite number")]
    [InlineData("sigma: .nan\n", "expected a finite number")]
    [InlineData("sigma: [1, 2]\n", "expected a single value")]
    public void Double_BadValue_ErrorNamesKeyAndValue(string yaml, string message)
    {
        var root = YamlConfig.Parse(yaml, "c.yaml");

        var error = root.Invoking(r => r.Double("sigma", 1, NumberRule.Positive)).Should().Throw<InputException>().Which;

        error.Message.Should().Contain(message);
        error.Line.Should().Be(1);
        error.Field.Should().Be("sigma");
    }

    [Fact]
    public void Choice_UnknownName_ListsAllowedAndClosest()
    {
        var root = YamlConfig.Parse("fills: linaer\n", "c.yaml");
        root.Invoking(r => r.Choice("fills", "poisson", "poisson", "linear"))
            .Should().Throw<InputException>().WithMessage("*did you mean 'linear'*");
    }

    [Fact]
    public void Parse_BrokenSyntax_ReportsLine()
    {
        var act = () => YamlConfig.Parse("market:\n  sigma: [1, 2\nfoo: bar\n", "c.yaml");
        act.Should().Throw<InputException>().Which.Line.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Parse_NotAMapping_Throws()
    {
        var act = () => YamlConfig.Parse("- 1\n- 2\n", "c.yaml");
        act.Should().Throw<InputException>().WithMessage("*mapping*");
    }

    [Fact]
    public void Build_GuardErrorInConstructor_LocatedAtKey()
    {
        var root = YamlConfig.Parse("a: 1\nk: -2\n", "c.yaml");
        var k = root.Double("k", 1);

        var act = () => root.Build(() => Guard.Positive(k, "k"));

        var error = act.Should().Throw<InputException>().Which;
        error.Line.Should().Be(2);
        error.File.Should().Be("c.yaml");
    }

    [Fact]
    public void Int_NonInteger_Throws()
    {
        var root = YamlConfig.Parse("paths: 1.5\n", "c.yaml");
        root.Invoking(r => r.Int("paths", 1)).Should().Throw<InputException>().WithMessage("*integer*");
    }

    [Fact]
    public void Null_Value_FallsBackToDefault()
    {
        var root = YamlConfig.Parse("max_inventory: null\n", "c.yaml");
        root.OptionalDouble("max_inventory").Should().BeNull();
    }

    [Fact]
    public void Load_MissingFile_Throws()
    {
        var act = () => YamlConfig.Load("/nonexistent/c.yaml");
        act.Should().Throw<InputException>().WithMessage("*not found*");
    }
}
