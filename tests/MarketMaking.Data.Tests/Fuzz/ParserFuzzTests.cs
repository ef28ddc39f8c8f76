using MarketMaking.Data.Config;
using MarketMaking.Data.Inputs;
using MarketMaking.Data.Tape;
using MarketMaking.Data.Yaml;

namespace MarketMaking.Data.Tests.Fuzz;

/// <summary>
/// Every CSV reader and configuration loader over thousands of seeded mutations of a valid input: each one either
/// reads the input or throws InputException (one printable line), nothing else, never hangs.
/// </summary>
public class ParserFuzzTests
{
    private const int Cases = 600;

    private const string Bins = "delta,count,exposure\n0.1,120,10\n0.2,90,10\n0.5,40,10\n1,11.5,10\n2,0,10\n";
    private const string SidedBins = "delta,count,exposure,side\n0.1,60,10,bid\n0.5,20,10,bid\n1,5,10,bid\n0.1,50,10,ask\n0.5,22,10,ask\n1,4,10,ask\n";
    private const string Mids = "time,mid\n0,100\n0.5,100.25\n1,99.75\n1.5,100\n2,100.5\n";
    private const string Returns = "date,return\n1,0.01\n2,-0.02\n3,0.005\n4,0.0\n5,0.013\n6,-0.007\n";
    private const string Quotes = "time,bid,ask\n0,99.99,100.01\n1,99.98,100.02\n2,,100.03\n2024-01-02T09:30:00.125Z,100,100.02\n";
    private const string Trades = "time,price,size,side\n0.5,99.98,3,sell\n1.5,100.03,2,buy\n1.5,100.04,1,b\n1704187800.5,99.9,0,\n";
    private const string Fit = "model,A,k,delta0,loglik,aic,bic,converged\nexponential,140.5,1.49,,-50.1,104.2,106,true\npower,300,3.5,0.8,-49,104,107,true\n";
    private const string SidedFit = "model,side,A,k,delta0,aic\nexponential,bid,150,1.4,,10\nexponential,ask,130,1.6,,11\nexponential,both,140,1.5,,20\n";

    // Given a valid input, When it is mutated in every hostile way, Then each outcome is success or a clean error.

    [Fact]
    public void ArrivalBinReader_Mutations_OnlySuccessOrInputException() =>
        FuzzHarness.Files("bins.csv", Bins, 101, Cases, path => ArrivalBinReader.Read(path));

    [Fact]
    public void ArrivalBinReaderBySide_Mutations_OnlySuccessOrInputException() =>
        FuzzHarness.Files("bins.csv", SidedBins, 102, Cases, path => ArrivalBinReader.ReadBySide(path));

    [Fact]
    public void MidSeriesReader_Mutations_OnlySuccessOrInputException() =>
        FuzzHarness.Files("mid.csv", Mids, 103, Cases, path => MidSeriesReader.Read(path));

    [Fact]
    public void CsvMidMarket_Mutations_OnlySuccessOrInputException() =>
        FuzzHarness.Files("mid.csv", "mid\n100\n100.25\n99.75\n100\n100.5\n", 104, Cases, path =>
        {
            // The backtest's streaming reader: validate, then replay every step as the engine does.
            var market = new CsvMidMarket(path, 0.1);
            using var cursor = market.Open(0, 1, 1);
            var steps = market.Steps;
            var buffer = new double[Math.Max(steps, 1)];
            cursor.Next(steps, buffer, new double[Math.Max(steps, 1)], new double[Math.Max(steps, 1)]);
        });

    [Fact]
    public void ReturnSeriesReader_Mutations_OnlySuccessOrInputException() =>
        FuzzHarness.Files("returns.csv", Returns, 105, Cases, path => ReturnSeriesReader.Read(path));

    [Fact]
    public void QuoteTapeReader_Mutations_OnlySuccessOrInputException() =>
        FuzzHarness.Files("quotes.csv", Quotes, 106, Cases, path => QuoteTapeReader.Read(path).ToList());

    [Fact]
    public void TradeTapeReader_Mutations_OnlySuccessOrInputException() =>
        FuzzHarness.Files("trades.csv", Trades, 107, Cases, path => TradeTapeReader.Read(path).ToList());

    [Fact]
    public void FitCsvReader_Mutations_OnlySuccessOrInputException() =>
        FuzzHarness.Files("fit.csv", Fit, 108, Cases, path => FitCsvReader.Read(path, FitModelChoice.Best));

    [Fact]
    public void FitCsvReaderBySide_Mutations_OnlySuccessOrInputException() =>
        FuzzHarness.Files("fit.csv", SidedFit, 109, Cases, path => FitCsvReader.Read(path, FitModelChoice.Exponential));

    [Fact]
    public void TapeTime_HostileCells_OnlySuccessOrInputException()
    {
        // Given every hostile cell and random edits of a timestamp
        var mutator = new Mutator(110);
        var texts = Mutator.HostileCells.Concat(Enumerable.Range(0, 2000).Select(_ =>
        {
            var stamp = "2024-01-02T09:30:00.125+01:00".ToCharArray();
            stamp[mutator.Next(stamp.Length)] = "0123456789-:TZ+ .x"[mutator.Next(18)];
            return new string(stamp);
        })).ToList();
        var index = 0;
        foreach (var text in texts)
        {
            // Then each parses or is a located InputException
            var act = () => TapeTime.Parse(text, "t.csv", 2, 1);
            try
            {
                act();
            }
            catch (MarketMaking.Core.InputException)
            {
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"'{text}' (#{index}) threw {e.GetType().Name}: {e.Message}");
            }
            index++;
        }
    }

    [Fact]
    public void BacktestConfigLoader_Mutations_OnlySuccessOrInputException()
    {
        var valid = File.ReadAllText(Path.Combine(RepoRoot(), "config", "base.yaml"))
            + "intensity2: null\n".Replace("intensity2: null\n", "", StringComparison.Ordinal);
        FuzzHarness.Texts(valid, 111, 1500, text => BacktestConfigLoader.Build(YamlConfig.Parse(text, "base.yaml"), new BacktestOverrides()));
    }

    [Fact]
    public void BacktestConfigLoader_PerSideMutations_OnlySuccessOrInputException()
    {
        const string valid = "market: { process: gaussian, sigma: 1, drift: 0.1, dt: 0.01, horizon: 1 }\n"
            + "intensity:\n  model: power\n  A: 100\n  k: 2\n  delta0: 0.2\n  bid: { A: 150, k: 1.4, model: exponential }\n  ask: { A: 130, delta0: 0.1 }\n"
            + "fills: linear\nstrategy: { name: symmetric, gamma: 0.5, sigma: 1.5, k: 1.5 }\ncompare: [avellaneda-stoikov]\n"
            + "max_inventory: 5\nquote_size: 2\nmarkout_horizons: [1, 5]\npaths: 10\nseed: 3\ntimeseries_every: 2\ndistribution_paths: 5\n";
        FuzzHarness.Texts(valid, 112, 1000, text => BacktestConfigLoader.Build(YamlConfig.Parse(text, "b.yaml"), new BacktestOverrides()));
    }

    [Fact]
    public void EquilibriumConfigLoader_Mutations_OnlySuccessOrInputException()
    {
        var valid = File.ReadAllText(Path.Combine(RepoRoot(), "config", "equilibrium.yaml"));
        FuzzHarness.Texts(valid, 113, 1500, text => EquilibriumConfigLoader.Parse(text, "equilibrium.yaml"));
    }

    [Fact]
    public void ScenarioConfigLoader_Mutations_OnlySuccessOrInputException()
    {
        var valid = File.ReadAllText(Path.Combine(RepoRoot(), "config", "scenarios.yaml"));
        FuzzHarness.Texts(valid, 115, 1000, text => ScenarioConfigLoader.Build(YamlConfig.Parse(text, "scenarios.yaml"), new ScenarioOverrides(), System.Text.Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void YamlConfig_BlockStyleMutations_OnlySuccessOrInputException()
    {
        // Block style reaches other corners of the YAML scanner than the flow style of the samples.
        const string valid = "market:\n  sigma: 2\n  holding_horizon: 0.05\n  arrival_rate: 100\n  share_elasticity: 10\nplayers:\n  - name: a\n    cost: 0\n    risk_aversion: 0.1\n  - name: b\n    cost: 0.01\n    risk_aversion: 0\ngrid:\n  max_half_spread: 1\n  tick: 0.01\ndynamics:\n  start:\n    - 0.5\n    - 0.1\n  rounds: 3\n";
        FuzzHarness.Texts(valid, 114, 1500, text => EquilibriumConfigLoader.Parse(text, "game.yaml"));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MarketMaking.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
