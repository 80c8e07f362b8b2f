namespace Holdfast.Simulation.Invariants;

/// <summary>The invariants of docs/design/architecture.md the simulator checks, plus scenario-specific properties.</summary>
public static class InvariantNames
{
    public const string NeverEmpty = "I1-never-empty";
    public const string Monotonic = "I2-monotonic";
    public const string LivePlansSurvive = "I3-live-plans-survive";
    public const string Convergence = "I4-convergence";
    public const string Guarded = "I5-guarded";
    public const string Determinism = "determinism";
    public const string Scenario = "scenario";

    public static IReadOnlyList<string> All { get; } = [NeverEmpty, Monotonic, LivePlansSurvive, Convergence, Guarded, Determinism, Scenario];
}
