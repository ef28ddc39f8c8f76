using MarketMaking.Core;
using MarketMaking.Data.Inputs;

namespace MarketMaking.Data.Tests;

public class ArrivalBinReaderTests
{
    [Fact]
    public void Read_ColumnsInAnyOrderWithExtras_ReadsBins()
    {
        using var dir = new TempDir();
        var file = dir.Write("bins.csv", "note,exposure,count,delta\nx,2,5,0.1\ny,2.5,3.5,0.2\n");

        var bins = ArrivalBinReader.Read(file);

        bins.Should().HaveCount(2);
        bins[1].Delta.Should().Be(0.2);
        bins[1].Count.Should().Be(3.5);
        bins[1].Exposure.Should().Be(2.5);
    }

    [Fact]
    public void Read_BomAndCrlfAndQuotedFields_Accepted()
    {
        using var dir = new TempDir();
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes("delta,count,exposure\r\n\"0.1\",5,1\r\n0.2,\"4\",1\r\n")).ToArray();
        var file = dir.WriteBytes("bins.csv", bytes);

        var bins = ArrivalBinReader.Read(file);

        bins.Should().HaveCount(2);
        bins[0].Count.Should().Be(5);
    }

    [Theory]
    [InlineData("delta,count,exposure\n0.1,abc,1\n", 2, 2, "count", "not a number")]
    [InlineData("delta,count,exposure\n0.1,5,1\n0.2,NaN,1\n", 3, 2, "count", "not a finite number")]
    [InlineData("delta,count,exposure\n0.1,5,inf\n", 2, 3, "exposure", "not a finite number")]
    [InlineData("delta,count,exposure\n1e400,5,1\n", 2, 1, "delta", "not a finite number")]
    [InlineData("delta,count,exposure\n0x10,5,1\n", 2, 1, "delta", "not a number")]
    [InlineData("delta,count,exposure\n\"1,5\",5,1\n", 2, 1, "delta", "decimal separator")]
    [InlineData("delta,count,exposure\n0.1,,1\n", 2, 2, "count", "empty cell")]
    [InlineData("delta,count,exposure\n-0.1,5,1\n", 2, 1, "delta", "must be >= 0")]
    [InlineData("delta,count,exposure\n0.1,-5,1\n", 2, 2, "count", "must be >= 0")]
    [InlineData("delta,count,exposure\n0.1,5,-1\n", 2, 3, "exposure", "must be >= 0")]
    [InlineData("delta,count,exposure\n0.1,5,0\n", 2, 3, "exposure", "zero exposure")]
    [InlineData("delta,count,exposure\n0.1,5\n", 2, 3, "exposure", "missing")]
    public void Read_BadCell_ErrorNamesLineColumnAndField(string content, int line, int column, string field, string message)
    {
        using var dir = new TempDir();
        var file = dir.Write("bins.csv", content);

        var act = () => ArrivalBinReader.Read(file);

        var error = act.Should().Throw<InputException>().Which;
        error.File.Should().Be(file);
        error.Line.Should().Be(line);
        error.Column.Should().Be(column);
        error.Field.Should().Be(field);
        error.Message.Should().Contain(message);
    }

    [Theory]
    [InlineData("", "empty file")]
    [InlineData("delta,count,exposure\n", "header only")]
    [InlineData("delta,count\n0.1,5\n", "missing column 'exposure'")]
    [InlineData("delta;count;exposure\n0.1;5;1\n", "';'-separated")]
    [InlineData("delta,count,count,exposure\n0.1,5,5,1\n", "duplicated column")]
    public void Read_BadFileShape_Throws(string content, string message)
    {
        using var dir = new TempDir();
        var file = dir.Write("bins.csv", content);

        var act = () => ArrivalBinReader.Read(file);

        act.Should().Throw<InputException>().WithMessage($"*{message}*").Which.File.Should().Be(file);
    }

    [Fact]
    public void Read_MissingFile_Throws()
    {
        var act = () => ArrivalBinReader.Read("/nonexistent/bins.csv");
        act.Should().Throw<InputException>().WithMessage("*not found*");
    }

    [Fact]
    public void Read_Directory_Throws()
    {
        using var dir = new TempDir();
        var act = () => ArrivalBinReader.Read(dir.Path);
        act.Should().Throw<InputException>().WithMessage("*directory*");
    }

    [Fact]
    public void Read_NulByteAndRandomBytes_CleanError()
    {
        using var dir = new TempDir();
        var file = dir.WriteBytes("bins.csv", [0x64, 0x65, 0x00, 0xFF, 0xFE, 0x0A, 0x01, 0x02]);

        var act = () => ArrivalBinReader.Read(file);

        act.Should().Throw<InputException>();
    }
}
