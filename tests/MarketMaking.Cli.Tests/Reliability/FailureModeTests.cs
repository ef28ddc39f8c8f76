using System.Text;
using MarketMaking.Reports;

namespace MarketMaking.Cli.Tests.Reliability;

/// <summary>
/// One test per failure mode of the issue, for every verb that writes files: exit code, a single
/// `mm-engine: error: ` line, no stack trace, and the output directory exactly as it was.
/// </summary>
public class FailureModeTests
{
    private static (TempDir Dir, string[] Args, string Out) Prepare(string verb)
    {
        var dir = new TempDir();
        var output = dir.Combine("out");
        Directory.CreateDirectory(output);
        // A report of an earlier run: a failed run must leave it alone.
        File.WriteAllText(Path.Combine(output, "index.md"), "earlier run\n");
        return (dir, [.. VerbCase.Named(verb).Args(dir), "--out", output], output);
    }

    [Theory]
    [MemberData(nameof(VerbCase.Writers), MemberType = typeof(VerbCase))]
    public void Run_OutIsAnExistingFile_Exit1NothingWritten(string verb)
    {
        // Given --out naming an existing file
        var (dir, args, _) = Prepare(verb);
        using var _d = dir;
        var file = dir.Write("taken", "keep me\n");
        args[^1] = file;

        // When run, Then exit 1, one line naming --out, the file untouched
        CleanFailure.Check(dir, args, 1, "exists and is a file");
    }

    [Theory]
    [MemberData(nameof(VerbCase.Writers), MemberType = typeof(VerbCase))]
    public void Run_OutUnwritable_Exit1NothingWritten(string verb)
    {
        // Given an --out that cannot be created (its parent is a file; chmod does not stop root, this does)
        var (dir, args, _) = Prepare(verb);
        using var _d = dir;
        args[^1] = Path.Combine(dir.Write("plain-file", "x"), "reports");

        // When run, Then exit 1 naming --out, nothing written
        CleanFailure.Check(dir, args, 1, "(--out)");
    }

    [Theory]
    [MemberData(nameof(VerbCase.FastWriters), MemberType = typeof(VerbCase))]
    public void Run_DiskFullOnSecondFile_Exit1NothingWritten(string verb)
    {
        // Given a disk that fills up after the first report file
        var (dir, args, _) = Prepare(verb);
        using var _d = dir;
        var writes = 0;
        OutputDirectory.BeforeWrite.Value = name =>
        {
            if (++writes == 2) throw new IOException("No space left on device : '" + name + "'");
        };
        try
        {
            // When run, Then exit 1, one line saying so, no partial report
            CleanFailure.Check(dir, args, 1, "No space left on device");
        }
        finally
        {
            OutputDirectory.BeforeWrite.Value = null;
        }
    }

    [Theory]
    [MemberData(nameof(VerbCase.FastWriters), MemberType = typeof(VerbCase))]
    public void Run_DiskFullAtCommit_Exit1NothingWritten(string verb)
    {
        // Given a failure when the finished reports are moved into place
        var (dir, args, _) = Prepare(verb);
        using var _d = dir;
        OutputDirectory.BeforeWrite.Value = name =>
        {
            if (name.Length == 0) throw new IOException("No space left on device");
        };
        try
        {
            CleanFailure.Check(dir, args, 1, "cannot write");
        }
        finally
        {
            OutputDirectory.BeforeWrite.Value = null;
        }
    }

    [Theory]
    [MemberData(nameof(VerbCase.Writers), MemberType = typeof(VerbCase))]
    public void Run_CtrlCWhileWritingReports_Exit1NoPartialReport(string verb)
    {
        // Given Ctrl-C pressed while the first report file is being written
        var (dir, args, _) = Prepare(verb);
        using var _d = dir;
        using var interrupt = new CancellationTokenSource();
        OutputDirectory.BeforeWrite.Value = _ => interrupt.Cancel();
        try
        {
            // When run, Then exit 1 "interrupted" and none of the reports appears
            CleanFailure.Check(dir, args, 1, "interrupted", interrupt.Token);
        }
        finally
        {
            OutputDirectory.BeforeWrite.Value = null;
        }
    }

    [Theory]
    [MemberData(nameof(VerbCase.Writers), MemberType = typeof(VerbCase))]
    public void Run_CtrlCBeforeStart_Exit1NothingWritten(string verb)
    {
        var (dir, args, _) = Prepare(verb);
        using var _d = dir;
        using var interrupt = new CancellationTokenSource();
        interrupt.Cancel();
        CleanFailure.Check(dir, args, 1, "interrupted", interrupt.Token);
    }

    [Theory]
    [MemberData(nameof(VerbCase.Inputs), MemberType = typeof(VerbCase))]
    public void Run_MissingInput_Exit1NamesFile(string verb, string input)
    {
        // Given one input file removed
        var (dir, args, _) = Prepare(verb);
        using var _d = dir;
        File.Delete(dir.Combine(input));

        // When run, Then exit 1, "file not found" naming it
        CleanFailure.Check(dir, args, 1, input + ": file not found");
    }

    [Theory]
    [MemberData(nameof(VerbCase.Inputs), MemberType = typeof(VerbCase))]
    public void Run_DirectoryAsInput_Exit1(string verb, string input)
    {
        var (dir, args, _) = Prepare(verb);
        using var _d = dir;
        File.Delete(dir.Combine(input));
        Directory.CreateDirectory(dir.Combine(input));
        CleanFailure.Check(dir, args, 1, "is a directory, expected a file");
    }

    public static TheoryData<string, string, string> HostileCells()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var verb in VerbCase.WithFiles)
        {
            foreach (var input in verb.CsvInputs.Keys)
            {
                foreach (var cell in new[] { "1e400", "NaN", "inf", "0x10", "1,5", "" })
                {
                    data.Add(verb.Name, input, cell);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(HostileCells))]
    public void Run_HostileNumberInInput_Exit1AtLineAndColumn(string verb, string input, string cell)
    {
        // Given the last column of the first data row replaced by a hostile number (quoted when it holds a comma)
        var (dir, args, _) = Prepare(verb);
        using var _d = dir;
        var lines = VerbCase.Named(verb).CsvInputs[input].Split('\n');
        var numeric = Array.FindIndex(lines[0].Split(','), h => h is "delta" or "count" or "exposure" or "mid" or "time" or "return" or "price" or "size" or "bid" or "A" or "k");
        var cells = lines[1].Split(',');
        cells[numeric] = cell.Contains(',', StringComparison.Ordinal) ? "\"" + cell + "\"" : cell;
        lines[1] = string.Join(',', cells);
        File.WriteAllText(dir.Combine(input), string.Join('\n', lines));

        // When run, Then exit 1 located at line 2 and that column
        CleanFailure.Check(dir, args, 1, $"{input}:2:{numeric + 1}: ");
    }

    [Theory]
    [MemberData(nameof(VerbCase.Inputs), MemberType = typeof(VerbCase))]
    public void Run_SemicolonSeparated_Exit1WithHint(string verb, string input)
    {
        var (dir, args, _) = Prepare(verb);
        using var _d = dir;
        File.WriteAllText(dir.Combine(input), VerbCase.Named(verb).CsvInputs[input].Replace(',', ';').Replace('.', ','));
        var outcome = CleanFailure.Check(dir, args, 1);
        // A one-column file has no separator to spot, but its decimal comma splits every row.
        outcome.Error.Should().ContainAny("';'-separated", "',' decimal separator");
    }

    [Theory]
    [MemberData(nameof(VerbCase.Inputs), MemberType = typeof(VerbCase))]
    public void Run_BomCrlfQuotedExtraColumn_Accepted(string verb, string input)
    {
        // Given the input with a BOM, CRLF line ends, every cell quoted and an extra column
        var (dir, args, output) = Prepare(verb);
        using var _d = dir;
        var lines = VerbCase.Named(verb).CsvInputs[input].TrimEnd('\n').Split('\n')
            .Select((l, i) => string.Join(',', l.Split(',').Select(c => "\"" + c + "\"")) + (i == 0 ? ",note" : ",\"a, b\""));
        File.WriteAllText(dir.Combine(input), "\uFEFF" + string.Join("\r\n", lines) + "\r\n", new UTF8Encoding(false));

        // When run, Then it succeeds as with the plain file
        var outcome = CleanFailure.Run(args);
        outcome.ExitCode.Should().Be(0, outcome.Error);
        Directory.GetFiles(output).Length.Should().BeGreaterThan(1);
    }

    public static TheoryData<string, string, string> BrokenFiles()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var verb in VerbCase.WithFiles)
        {
            foreach (var input in verb.CsvInputs.Keys)
            {
                foreach (var kind in new[] { "empty", "header-only", "truncated-row", "random-bytes", "nul", "duplicated-header" })
                {
                    // A one-column row cut short is still a number: nothing can tell it from a complete one.
                    if (kind == "truncated-row" && !verb.CsvInputs[input].Split('\n')[0].Contains(',', StringComparison.Ordinal)) continue;
                    data.Add(verb.Name, input, kind);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void Run_BrokenInput_Exit1OneLine(string verb, string input, string kind)
    {
        // Given an input broken in one way
        var (dir, args, _) = Prepare(verb);
        using var _d = dir;
        var valid = VerbCase.Named(verb).CsvInputs[input];
        var header = valid[..valid.IndexOf('\n', StringComparison.Ordinal)];
        var bytes = kind switch
        {
            "empty" => [],
            "header-only" => Encoding.UTF8.GetBytes(header + "\n"),
            // Cut inside the second data row, before its last field.
            // The last data row cut after its first field.
            "truncated-row" => Encoding.UTF8.GetBytes(valid[..(valid.TrimEnd('\n').LastIndexOf('\n') + 1)] + valid.TrimEnd('\n').Split('\n')[^1].Split(',')[0]),
            "random-bytes" => RandomBytes(),
            "nul" => Encoding.UTF8.GetBytes(valid.Insert(header.Length + 2, "\0")),
            _ => Encoding.UTF8.GetBytes(header + "," + header.Split(',')[0] + valid[header.Length..]),
        };
        File.WriteAllBytes(dir.Combine(input), bytes);

        // When run, Then exit 1 with one line naming the file
        CleanFailure.Check(dir, args, 1, input);
    }

    private static byte[] RandomBytes()
    {
        var bytes = new byte[300];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void Run_Verbose_AddsStackTrace()
    {
        // Given a failing run with --verbose, Then the stack trace follows the error line (and only then)
        using var dir = new TempDir();
        var outcome = CleanFailure.Run(["calibrate", "--input", dir.Combine("missing.csv"), "--out", dir.Combine("out"), "--verbose"]);
        outcome.ExitCode.Should().Be(1);
        outcome.Error.Should().StartWith("mm-engine: error: ").And.Contain("   at ");
    }
}
