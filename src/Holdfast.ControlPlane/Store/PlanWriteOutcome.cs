using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// Result of writing a plan: written, or refused because its generation is not above the endpoint's latest plan (or
/// applied generation), or because the endpoint does not exist (a plan for a deleted endpoint would outlive it).
/// </summary>
public readonly record struct PlanWriteOutcome(bool Written, Generation Latest, string? Reason = null)
{
    public static PlanWriteOutcome Success(Generation generation) => new(true, generation);

    public static PlanWriteOutcome NotNewer(Generation latest) => new(false, latest, $"endpoint already has plan {latest}");

    public static PlanWriteOutcome UnknownEndpoint(string endpoint) => new(false, Generation.None, $"endpoint '{endpoint}' does not exist");
}
