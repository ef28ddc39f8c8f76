namespace MarketMaking.Core.Intensity;

/// <summary>Separate arrival intensities for the two quotes: λ_bid (sell orders reaching the bid) and λ_ask (buy orders reaching the ask).</summary>
public sealed record BidAskIntensity(IIntensityModel Bid, IIntensityModel Ask)
{
    /// <summary>One intensity for both sides (the symmetric model).</summary>
    public static BidAskIntensity Symmetric(IIntensityModel model) => new(model, model);
}
