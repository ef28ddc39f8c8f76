using System.Globalization;
using MarketMaking.Core.Intensity;
using MarketMaking.Core.Tape;
using MarketMaking.Reports.Tape;

namespace MarketMaking.Cli.Tests.Tape;

/// <summary>A temp directory with tape files, and the CLI run in-process against it.</summary>
public sealed class TapeFixture : IDisposable
{
    public TapeFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "mm-bins-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    public string Write(string name, string content)
    {
        var path = PathOf(name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The samples' tape: bid A = 1.6, k = 30; ask A = 1.2, k = 22; 600 s; seed 42 (see samples/README.md).</summary>
    public static SyntheticTapeSettings SampleSettings => new(new ExponentialIntensity(1.6, 30), new ExponentialIntensity(1.2, 22), 600, 42);

    public (string Quotes, string Trades) WriteTape(SyntheticTapeSettings settings, string prefix = "", bool withSide = true)
    {
        var quotes = PathOf(prefix + "quotes.csv");
        var trades = PathOf(prefix + "trades.csv");
        using (var w = new StreamWriter(quotes)) TapeCsv.WriteQuotes(w, SyntheticTape.Quotes(settings));
        using (var w = new StreamWriter(trades)) TapeCsv.WriteTrades(w, SyntheticTape.Trades(settings), withSide);
        return (quotes, trades);
    }

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var code = new CliApp(stdout, stderr).Run(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
