using System.Text;
using MarketMaking.Core;

namespace MarketMaking.Data.Tests.Fuzz;

/// <summary>
/// Runs a parser over seeded mutations of a valid input. The only outcomes allowed are success and an
/// <see cref="InputException"/> whose description is one printable line; anything else (another exception type,
/// a hang) fails the test with the case number and the input that caused it.
/// </summary>
public static class FuzzHarness
{
    /// <summary>A loop that takes longer than this is treated as a hang.</summary>
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(60);

    public sealed record Tally(int Accepted, int Rejected);

    public static Tally Files(string fileName, string valid, int seed, int cases, Action<string> parse)
    {
        var directory = Path.Combine(Path.GetTempPath(), "mm-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var path = Path.Combine(directory, fileName);
            // The valid input itself must parse: otherwise every rejection below proves nothing.
            File.WriteAllText(path, valid);
            parse(path);
            var mutator = new Mutator(seed);
            return Loop(cases, i =>
            {
                var bytes = mutator.MutateCsv(valid);
                File.WriteAllBytes(path, bytes);
                return (() => parse(path), Describe(bytes));
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public static Tally Texts(string valid, int seed, int cases, Action<string> parse)
    {
        parse(valid);
        var mutator = new Mutator(seed);
        return Loop(cases, i =>
        {
            var text = mutator.MutateYaml(valid);
            return (() => parse(text), Describe(Encoding.UTF8.GetBytes(text)));
        });
    }

    /// <summary>The loop itself, for inputs that need their own mutations (next(i) gives case i and its description).</summary>
    public static Tally Loop(int cases, Func<int, (Action Run, string Input)> next)
    {
        var accepted = 0;
        var rejected = 0;
        var failures = new List<string>();
        var loop = Task.Run(() =>
        {
            for (var i = 0; i < cases; i++)
            {
                var (run, input) = next(i);
                try
                {
                    run();
                    accepted++;
                }
                catch (InputException e)
                {
                    rejected++;
                    var line = e.Describe();
                    if (line.Length == 0 || line.Any(char.IsControl))
                    {
                        failures.Add($"case {i}: message not one printable line: '{Escape(line)}' for input {input}");
                    }
                }
                catch (Exception e)
                {
                    failures.Add($"case {i}: {e.GetType().Name}: {e.Message} for input {input}\n{e.StackTrace}");
                }
            }
        });
        loop.Wait(Watchdog).Should().BeTrue("the fuzz loop must not hang");
        failures.Should().BeEmpty("a parser may only succeed or throw InputException; first failures:\n" + string.Join("\n", failures.Take(5)));
        // The loop must exercise both outcomes, or the mutations are not reaching the parser.
        accepted.Should().BeGreaterThan(0);
        rejected.Should().BeGreaterThan(0);
        return new Tally(accepted, rejected);
    }

    private static string Describe(byte[] bytes) => "\"" + Escape(Encoding.UTF8.GetString(bytes)) + "\"";

    private static string Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > 600 ? text[..600] : text)
        {
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' => "\\\"",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return builder.ToString();
    }
}
