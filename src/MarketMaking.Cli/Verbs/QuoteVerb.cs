using System.CommandLine;
using MarketMaking.Core;
using MarketMaking.Core.Quoting;
using MarketMaking.Reports.Quoting;

namespace MarketMaking.Cli.Verbs;

/// <summary>`mm-engine quote`: one optimal quote from a closed-form model, printed as text or JSON.</summary>
public static class QuoteVerb
{
    public sealed record Options(string Model, double Mid, double Inventory, double Gamma, double Sigma, double K, double? A, double Tau,
        double? MaxInventory, double Drift, double Size, bool Json);

    public static Command Create(CliApp app)
    {
        var model = new Option<string>("--model")
        {
            Description = "as: Avellaneda–Stoikov; glft: Guéant–Lehalle–Fernandez-Tapia closed form (long horizon, with drift); glft-exact: exact GLFT solution for inventories within ±--max-inventory. Default: as.",
            DefaultValueFactory = _ => "as",
        };
        model.AcceptOnlyFromAmong("as", "glft", "glft-exact");
        var mid = new Option<double>("--mid") { Description = "Mid price S.", Required = true, HelpName = "S" };
        var inventory = new Option<double>("--q") { Description = "Current inventory q (a multiple of --size for glft-exact). Default: 0.", HelpName = "Q" };
        var gamma = new Option<double>("--gamma") { Description = "Risk aversion γ > 0.", Required = true, HelpName = "G" };
        var sigma = new Option<double>("--sigma") { Description = "Volatility σ of the mid per √(time unit), in price units.", Required = true, HelpName = "S" };
        var k = new Option<double>("--k") { Description = "Decay k > 0 of the fill intensity A·e^(−kδ), per price unit.", Required = true, HelpName = "K" };
        var a = new Option<double?>("--A") { Description = "Fill intensity A > 0 at zero depth, per time unit (glft and glft-exact).", HelpName = "A" };
        var tau = new Option<double>("--tau")
        {
            Description = "Time to the horizon T − t, in time units (as and glft-exact; glft is the long-horizon limit). Default: 1.",
            DefaultValueFactory = _ => 1.0,
            HelpName = "T",
        };
        var maxInventory = new Option<double?>("--max-inventory")
        {
            Description = "Inventory bound Q: no bid at +Q, no ask at −Q (required for glft-exact).",
            HelpName = "Q",
        };
        var drift = new Option<double>("--drift") { Description = "Drift μ of the mid per time unit (glft, glft-exact). Default: 0.", HelpName = "MU" };
        var size = new Option<double>("--size")
        {
            Description = "Order size Δ; inventory moves by Δ per fill. Default: 1.",
            DefaultValueFactory = _ => 1.0,
            HelpName = "D",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("quote", "Print the optimal bid and ask for an inventory: reservation price, quotes, half-spread and depths.")
        {
            model, mid, inventory, gamma, sigma, k, a, tau, maxInventory, drift, size, json,
        };
        command.SetAction(parse =>
        {
            var options = new Options(parse.GetValue(model)!, parse.GetValue(mid), parse.GetValue(inventory), parse.GetValue(gamma),
                parse.GetValue(sigma), parse.GetValue(k), parse.GetValue(a), parse.GetValue(tau), parse.GetValue(maxInventory),
                parse.GetValue(drift), parse.GetValue(size), parse.GetValue(json));
            return Run(app, options);
        });
        return command;
    }

    private static int Run(CliApp app, Options options)
    {
        Quote quote;
        try
        {
            quote = Build(options).Quote(options.Mid, options.Inventory, options.Tau);
        }
        catch (InputException error)
        {
            // Name the command-line option, not the model's field.
            throw new InputException(error.Message, field: "--" + (error.Field switch { "max_inventory" => "max-inventory", null => "model", var f => f }));
        }
        app.Out.Write(options.Json
            ? QuoteReport.Json(options.Model, quote, options.Inventory, options.Tau) + "\n"
            : QuoteReport.PlainText(options.Model, quote, options.Inventory, options.Tau));
        return ExitCodes.Ok;
    }

    /// <summary>The model named by --model, its parameters validated (errors name the option).</summary>
    public static IQuoteModel Build(Options options)
    {
        switch (options.Model)
        {
            case "as":
                if (options.Drift != 0) throw new UsageException("--drift applies to glft and glft-exact, not to as");
                return new AvellanedaStoikovModel(options.Gamma, options.Sigma, options.K, options.MaxInventory, options.Size);
            case "glft":
                return new GlftModel(Parameters(options), options.MaxInventory);
            default:
                if (options.MaxInventory is not double bound)
                {
                    throw new UsageException("glft-exact needs --max-inventory (the inventory bound Q)");
                }
                return new GlftExactModel(Parameters(options), bound);
        }
    }

    private static GlftParameters Parameters(Options options)
    {
        if (options.A is not double a)
        {
            throw new UsageException($"{options.Model} needs --A (the fill intensity at zero depth)");
        }
        return new GlftParameters(options.Gamma, options.Sigma, a, options.K, options.Size, options.Drift);
    }
}
