using System.Text;
using MarketMaking.Core;

namespace MarketMaking.Reports;

/// <summary>
/// A run's reports, written into a hidden temporary directory beside the target and moved into place only by
/// <see cref="Commit"/>: a failed or interrupted run leaves nothing half-written (the temporary directory is
/// removed on dispose). Files already in the target that this run does not write are left alone.
/// </summary>
public sealed class OutputDirectory : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly List<string> _files = [];
    private bool _committed;

    private OutputDirectory(string target, string staging)
    {
        Target = target;
        Staging = staging;
    }

    /// <summary>Where the reports end up.</summary>
    public string Target { get; }

    /// <summary>Where they are written meanwhile.</summary>
    public string Staging { get; }

    public IReadOnlyList<string> Files => _files;

    public static OutputDirectory Begin(string target)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            throw new InputException("no output directory given", field: "--out");
        }
        var full = Path.GetFullPath(target);
        if (File.Exists(full))
        {
            throw new InputException("exists and is a file, expected a directory", target, field: "--out");
        }
        var parent = Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar)) ?? full;
        var name = Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar));
        var staging = Path.Combine(parent, $".{name}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot write: {e.Message}", target, field: "--out", inner: e);
        }
        return new OutputDirectory(full, staging);
    }

    /// <summary>Path to write <paramref name="fileName"/> to (inside the staging directory); records the file.</summary>
    public string PathFor(string fileName)
    {
        if (fileName.Contains('/', StringComparison.Ordinal) || fileName.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException("report files are flat: no directories", nameof(fileName));
        }
        if (!_files.Contains(fileName))
        {
            _files.Add(fileName);
        }
        return Path.Combine(Staging, fileName);
    }

    /// <summary>Text with '\n' line ends, UTF-8 without BOM: byte-identical on every machine.</summary>
    public void WriteText(string fileName, string content) =>
        Io(() => File.WriteAllText(PathFor(fileName), content.Replace("\r\n", "\n", StringComparison.Ordinal), Utf8NoBom));

    public void WriteBytes(string fileName, byte[] content) => Io(() => File.WriteAllBytes(PathFor(fileName), content));

    /// <summary>Streams a large text file; the writer uses '\n' line ends.</summary>
    public void WriteStream(string fileName, Action<TextWriter> write) => Io(() =>
    {
        using var stream = new StreamWriter(PathFor(fileName), append: false, Utf8NoBom, bufferSize: 1 << 16) { NewLine = "\n" };
        write(stream);
    });

    /// <summary>Moves every written file into the target directory; returns their final paths.</summary>
    public IReadOnlyList<string> Commit()
    {
        Io(() =>
        {
            Directory.CreateDirectory(Target);
            foreach (var file in _files)
            {
                File.Move(Path.Combine(Staging, file), Path.Combine(Target, file), overwrite: true);
            }
            Directory.Delete(Staging, recursive: true);
        });
        _committed = true;
        return _files.Select(f => Path.Combine(Target, f)).ToArray();
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(Staging))
        {
            try
            {
                Directory.Delete(Staging, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a staging directory left behind is hidden and never mistaken for a report.
            }
        }
    }

    private void Io(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot write: {e.Message}", Target, field: "--out", inner: e);
        }
    }
}
