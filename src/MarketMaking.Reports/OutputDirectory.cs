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

    /// <summary>What a directory and its sub-directory views share: one staging area, one list, one commit.</summary>
    private sealed class RunState
    {
        public List<string> Files { get; } = [];
        public bool Committed { get; set; }
    }

    private readonly RunState _state;
    private readonly string _prefix;

    private OutputDirectory(string target, string staging, RunState state, string prefix)
    {
        Target = target;
        Staging = staging;
        _state = state;
        _prefix = prefix;
    }

    /// <summary>Where the reports end up.</summary>
    public string Target { get; }

    /// <summary>Where they are written meanwhile.</summary>
    public string Staging { get; }

    /// <summary>Files written so far in the whole run, relative to the target ('/'-separated).</summary>
    public IReadOnlyList<string> Files => _state.Files;

    /// <summary>
    /// A view that writes into sub-directory <paramref name="name"/> of this run (e.g. the demo's `tape/`), so that
    /// several verbs' reports can share one run without their file names colliding. Commit the root, not the view.
    /// </summary>
    public OutputDirectory Sub(string name)
    {
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.StartsWith('.'))
        {
            throw new ArgumentException("a sub-directory is one plain name", nameof(name));
        }
        return new OutputDirectory(Target, Staging, _state, _prefix + name + "/");
    }

    /// <summary>
    /// Fails early, before a long run, on an --out that can never be written: an existing file, or a path through a
    /// file. Creates nothing (what cannot be checked without writing is found by <see cref="Begin"/>).
    /// </summary>
    public static void Check(string target)
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
        for (var ancestor = Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar)); ancestor is not null; ancestor = Path.GetDirectoryName(ancestor))
        {
            if (File.Exists(ancestor))
            {
                throw new InputException($"cannot write: '{ancestor}' is a file, not a directory", target, field: "--out");
            }
            if (Directory.Exists(ancestor))
            {
                return;
            }
        }
    }

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
        // A random suffix, not a Guid: formatting a Guid compiles vector code at run time in every process.
        var staging = Path.Combine(parent, FormattableString.Invariant($".{name}.partial-{Environment.ProcessId}-{Random.Shared.NextInt64():x16}"));
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot write: {e.Message}", target, field: "--out", inner: e);
        }
        return new OutputDirectory(full, staging, new RunState(), "");
    }

    /// <summary>Path to write <paramref name="fileName"/> to (inside the staging directory); records the file.</summary>
    public string PathFor(string fileName)
    {
        if (fileName.Contains('/', StringComparison.Ordinal) || fileName.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException("a file name, not a path: use Sub() for a sub-directory", nameof(fileName));
        }
        var relative = _prefix + fileName;
        if (!_state.Files.Contains(relative))
        {
            _state.Files.Add(relative);
        }
        var path = Path.Combine(Staging, relative);
        if (_prefix.Length > 0)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        return path;
    }

    /// <summary>Text with '\n' line ends, UTF-8 without BOM: byte-identical on every machine.</summary>
    public void WriteText(string fileName, string content) =>
        Io(() => File.WriteAllText(PathFor(fileName), content.Replace("\r\n", "\n", StringComparison.Ordinal), Utf8NoBom), fileName);

    public void WriteBytes(string fileName, byte[] content) => Io(() => File.WriteAllBytes(PathFor(fileName), content), fileName);

    /// <summary>Streams a large text file; the writer uses '\n' line ends.</summary>
    public void WriteStream(string fileName, Action<TextWriter> write) => Io(() =>
    {
        using var stream = new StreamWriter(PathFor(fileName), append: false, Utf8NoBom, bufferSize: 1 << 16) { NewLine = "\n" };
        write(stream);
    }, fileName);

    /// <summary>Moves every written file into the target directory; returns their final paths.</summary>
    public IReadOnlyList<string> Commit()
    {
        Io(() =>
        {
            if (_prefix.Length > 0)
            {
                throw new InvalidOperationException("commit the run's root directory, not a sub-directory view");
            }
            Directory.CreateDirectory(Target);
            // Everything that can be checked is checked before the first move, so a clash leaves the target as it was.
            foreach (var file in _state.Files)
            {
                if (Directory.Exists(Path.Combine(Target, file)))
                {
                    throw new IOException($"'{file}' exists in the output directory and is a directory");
                }
            }
            foreach (var file in _state.Files)
            {
                var destination = Path.Combine(Target, file);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Move(Path.Combine(Staging, file), destination, overwrite: true);
            }
            Directory.Delete(Staging, recursive: true);
        });
        _state.Committed = true;
        return _state.Files.Select(f => Path.Combine(Target, f)).ToArray();
    }

    public void Dispose()
    {
        if (_prefix.Length == 0 && !_state.Committed && Directory.Exists(Staging))
        {
            try
            {
                Directory.Delete(Staging, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a staging directory left behind is hidden and never mistaken for a report.
            }
        }
    }

    /// <summary>
    /// Test seam for failures a test cannot cause for real (a full disk, Ctrl-C between two files): called with each
    /// file name before it is written, and with "" before the commit. Flows with the test's execution context only.
    /// </summary>
    internal static readonly AsyncLocal<Action<string>?> BeforeWrite = new();

    private void Io(Action action, string fileName = "")
    {
        try
        {
            BeforeWrite.Value?.Invoke(fileName);
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot write: {e.Message}", Target, field: "--out", inner: e);
        }
    }
}
