using MarketMaking.Core;
using MarketMaking.Reports;

namespace MarketMaking.Reports.Tests;

public class OutputDirectoryTests
{
    private static string NewTemp()
    {
        var path = Path.Combine(Path.GetTempPath(), "mm-reports-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    [Fact]
    public void Commit_WrittenFiles_AppearInTargetAndStagingIsGone()
    {
        var root = NewTemp();
        try
        {
            var target = Path.Combine(root, "out");
            using (var output = OutputDirectory.Begin(target))
            {
                output.WriteText("a.csv", "x\r\n1\n");
                Directory.Exists(target).Should().BeFalse("nothing is visible before commit");
                output.Commit();
            }

            File.ReadAllText(Path.Combine(target, "a.csv")).Should().Be("x\n1\n");
            Directory.GetDirectories(root).Should().ContainSingle();
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public void Dispose_WithoutCommit_LeavesNothing()
    {
        var root = NewTemp();
        try
        {
            using (var output = OutputDirectory.Begin(Path.Combine(root, "out")))
            {
                output.WriteText("a.csv", "x");
            }

            Directory.GetFileSystemEntries(root).Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public void Begin_TargetIsAFile_Throws()
    {
        var root = NewTemp();
        try
        {
            var file = Path.Combine(root, "f");
            File.WriteAllText(file, "");
            var act = () => OutputDirectory.Begin(file);
            act.Should().Throw<InputException>().WithMessage("*is a file*");
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}

public class TextTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(1.0 / 3)]
    [InlineData(1e-300)]
    [InlineData(-123456.789e10)]
    public void Num_AnyDouble_ReadsBackExactly(double value)
    {
        double.Parse(Text.Num(value), System.Globalization.CultureInfo.InvariantCulture).Should().Be(value);
    }

    [Fact]
    public void Num_NaN_IsEmptyCell() => Text.Num(double.NaN).Should().BeEmpty();

    [Theory]
    [InlineData(1234.5678, 4, "1235")]
    [InlineData(0.012345, 3, "0.0123")]
    [InlineData(1.5, 4, "1.5")]
    [InlineData(0.1 + 0.2, 4, "0.3")]
    public void Sig_Value_RoundsToSignificantDigits(double value, int digits, string expected) =>
        Text.Sig(value, digits).Should().Be(expected);

    [Fact]
    public void CsvBuilder_FieldWithComma_IsQuoted() =>
        new CsvBuilder("a", "b").Row("x,y", "z\"q").ToString().Should().Be("a,b\n\"x,y\",\"z\"\"q\"\n");

    [Fact]
    public void MarkdownTable_NumericColumn_RightAligned() =>
        new MarkdownTable("name", "value:").Row("a", "1").ToString().Should().Be("| name | value |\n|---|---:|\n| a | 1 |\n");
}

public class OutputDirectorySubTests
{
    [Fact]
    public void Sub_FilesInSubDirectory_CommittedUnderTargetAndRootTracksThem()
    {
        var root = Path.Combine(Path.GetTempPath(), "mm-reports-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            var target = Path.Combine(root, "out");
            using (var output = OutputDirectory.Begin(target))
            {
                output.WriteText("index.md", "i");
                var tape = output.Sub("tape");
                tape.WriteText("fit.csv", "t");
                output.WriteText("fit.csv", "r");
                output.Files.Should().Equal("index.md", "tape/fit.csv", "fit.csv");
                tape.Invoking(t => t.Commit()).Should().Throw<InvalidOperationException>();
                output.Commit();
            }

            File.ReadAllText(Path.Combine(target, "tape", "fit.csv")).Should().Be("t");
            File.ReadAllText(Path.Combine(target, "fit.csv")).Should().Be("r");
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    public void Sub_BadName_Throws(string name)
    {
        var root = Path.Combine(Path.GetTempPath(), "mm-reports-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var output = OutputDirectory.Begin(Path.Combine(root, "out"));
            output.Invoking(o => o.Sub(name)).Should().Throw<ArgumentException>();
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
