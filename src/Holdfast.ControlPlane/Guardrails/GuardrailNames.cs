namespace Holdfast.ControlPlane.Guardrails;

/// <summary>Stable guardrail names: used in plans, audit, logs and the metric tag <c>guardrail</c>.</summary>
public static class GuardrailNames
{
    public const string NonEmpty = "non-empty";
    public const string FailOpen = "fail-open";
    public const string CapacityFloor = "capacity-floor";
    public const string VelocityLimit = "velocity-limit";
    public const string SelfPreservation = "self-preservation";
    public const string EnactorRecheck = "enactor-recheck";

    /// <summary>Every name the host's decisions can carry: <see cref="GuardrailRegistry.Names"/> of <see cref="GuardrailRegistry.Default"/>.</summary>
    public static IReadOnlyList<string> All => GuardrailRegistry.Default.Names;
}
