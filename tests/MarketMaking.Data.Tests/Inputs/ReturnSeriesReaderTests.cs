using MarketMaking.Core;
using MarketMaking.Data.Inputs;

namespace MarketMaking.Data.Tests.Inputs;

public sealed class ReturnSeriesReaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mm-returns-" + Guid.NewGuid().ToString("N"));

    public ReturnSeriesReaderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "r.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Read_DefaultColumn_ReadsReturnsInOrder()
    {
        // Given a file with the default column among others
        var path = Write("day,return\n1,0.125\n2,-3e-2\n3,0\n");

        // When read
        var series = ReturnSeriesReader.Read(path);

        // Then
        series.Values.Should().Equal(0.125, -0.03, 0);
        series.Column.Should().Be("return");
        series.Source.Should().Be(path);
    }

    [Fact]
    public void Read_NamedColumn_IsCaseInsensitive()
    {
        var series = ReturnSeriesReader.Read(Write("DAX,CAC\n1,2\n3,4\n"), "cac");
        series.Values.Should().Equal(2, 4);
    }

    [Theory]
    [InlineData("return\n0.1\nNaN\n", 3)]
    [InlineData("return\n0.1\n\"\"\n", 3)]
    [InlineData("return\n0.1\n\"1,5\"\n", 3)]
    [InlineData("return\n0.1\n0.2\n-abc\n", 4)]
    public void Read_BadCell_ThrowsWithLine(string text, int line)
    {
        var act = () => ReturnSeriesReader.Read(Write(text));
        var error = act.Should().Throw<InputException>().Which;
        error.Line.Should().Be(line);
        error.Field.Should().Be("return");
    }

    [Fact]
    public void Read_MissingColumn_Throws()
    {
        var act = () => ReturnSeriesReader.Read(Write("price\n1\n"));
        act.Should().Throw<InputException>().WithMessage("*missing column 'return'*");
    }

    [Fact]
    public void Read_HeaderOnly_Throws()
    {
        var act = () => ReturnSeriesReader.Read(Write("return\n"));
        act.Should().Throw<InputException>().WithMessage("*no data rows*");
    }

    [Fact]
    public void Read_MissingFile_Throws()
    {
        var act = () => ReturnSeriesReader.Read(Path.Combine(_dir, "none.csv"));
        act.Should().Throw<InputException>().WithMessage("*not found*");
    }

    [Fact]
    public void Read_EmptyColumnName_Throws()
    {
        var act = () => ReturnSeriesReader.Read(Write("return\n1\n"), " ");
        act.Should().Throw<InputException>().Which.Field.Should().Be("--column");
    }
}
