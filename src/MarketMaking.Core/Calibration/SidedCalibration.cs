namespace MarketMaking.Core.Calibration;

/// <summary>What `calibrate --by-side` was asked to do: the bid rows and the ask rows of one bins file.</summary>
public sealed record SidedCalibrationRequest(string Source, IReadOnlyList<ArrivalBin> Bid, IReadOnlyList<ArrivalBin> Ask, CalibrationModels Models, double? Delta0 = null, MidPrices? Mid = null);

/// <summary>
/// Test of the symmetric model (one A, k[, δ0] for both sides) against separate sides, for one intensity model.
/// <see cref="LikelihoodRatio"/> = 2(ℓ_bid + ℓ_ask − ℓ_both), χ² with p degrees of freedom, assumes independent bins;
/// <see cref="RobustWald"/> uses the nested-count covariance of <see cref="CumulativeCounts"/> (NaN when the rows do
/// not look cumulative).
/// </summary>
public sealed record SymmetryTest(IntensityModelKind Model, double LikelihoodRatio, int DegreesOfFreedom, double PValue, double RobustWald, double RobustWaldP, bool Converged)
{
    public string ModelName => Model == IntensityModelKind.Exponential ? "exponential" : "power";
}

/// <summary>Standard errors valid for nested (tape) counts, for one side's fit.</summary>
public sealed record RobustErrors(string Side, IntensityModelKind Model, IReadOnlyList<ParameterEstimate> Estimates);

/// <summary>Bid, ask and pooled ("both") fits, the symmetry tests, and robust errors when the rows are nested counts.</summary>
public sealed record SidedCalibrationResult(CalibrationResult Bid, CalibrationResult Ask, CalibrationResult Both, IReadOnlyList<SymmetryTest> Symmetry, bool Cumulative, IReadOnlyList<RobustErrors> Robust)
{
    public IEnumerable<(string Side, CalibrationResult Result)> Sides => [("bid", Bid), ("ask", Ask), ("both", Both)];
}
