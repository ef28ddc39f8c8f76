using MarketMaking.Core;
using MarketMaking.Core.Intensity;
using MarketMaking.Data.Inputs;

namespace MarketMaking.Data.Tests;

public class FitCsvReaderTests
{
    /// <summary>Shaped like calibrate's fit.csv (extra columns are ignored).</summary>
    public const string Fit = "model,A,k,delta0,loglik,aic,bic\nexponential,138.5,1.49,,-100,204,206\npower,90,2.1,0.3,-99,205,208\n";

    [Theory]
    [InlineData(FitModelChoice.Best, "exponential")]
    [InlineData(FitModelChoice.Exponential, "exponential")]
    [InlineData(FitModelChoice.Power, "power")]
    public void Read_Choice_PicksModel(FitModelChoice choice, string expected)
    {
        using var dir = new TempDir();
        var path = dir.Write("fit.csv", Fit);

        var fit = FitCsvReader.Read(path, choice);

        fit.Model.Should().Be(expected);
        if (expected == "power") fit.Bid.Intensity.Should().Be(new PowerLawIntensity(90, 2.1, 0.3));
        else fit.Bid.Intensity.Should().Be(new ExponentialIntensity(138.5, 1.49));
    }

    [Fact]
    public void Read_BestWhenPowerHasLowerAic_PicksPower()
    {
        using var dir = new TempDir();
        var path = dir.Write("fit.csv", "model,A,k,delta0,aic\nexponential,138.5,1.49,,210\npower,90,2.1,0.3,205\n");

        FitCsvReader.Read(path, FitModelChoice.Best).Model.Should().Be("power");
    }

    [Fact]
    public void Read_RequestedModelAbsent_OneLineError()
    {
        using var dir = new TempDir();
        var path = dir.Write("fit.csv", "model,A,k,delta0,aic\nexponential,138.5,1.49,,210\n");

        var error = ((Action)(() => FitCsvReader.Read(path, FitModelChoice.Power))).Should().Throw<InputException>().Which;

        error.Message.Should().Contain("no power model").And.Contain("exponential");
        error.File.Should().Be(path);
    }

    [Theory]
    [InlineData("model,A,k,aic\n", "no any model")]
    [InlineData("model,A,aic\nexponential,1,2\n", "missing column 'k'")]
    [InlineData("model,A,k,delta0,aic\nexponential,NaN,1,,3\n", "not a finite number")]
    [InlineData("model,A,k,delta0,aic\nexponential,-1,1,,3\n", "must be > 0")]
    [InlineData("model,A,k,delta0,aic\nexponential,1,0,,3\n", "must be > 0")]
    [InlineData("model,A,k,delta0,aic\nlogistic,1,1,,3\n", "unknown model")]
    [InlineData("model,A,k,aic\npower,1,1,3\n", "needs a delta0 column")]
    public void Read_BadFile_OneLineError(string content, string message)
    {
        using var dir = new TempDir();
        var path = dir.Write("fit.csv", content);

        ((Action)(() => FitCsvReader.Read(path, FitModelChoice.Best))).Should().Throw<InputException>().Which.Message.Should().Contain(message);
    }
}
