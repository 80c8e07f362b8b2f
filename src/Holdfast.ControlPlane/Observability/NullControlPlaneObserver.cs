using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;

namespace Holdfast.ControlPlane.Observability;

/// <summary>An observer that ignores everything.</summary>
public sealed class NullControlPlaneObserver : IControlPlaneObserver
{
    public static NullControlPlaneObserver Instance { get; } = new();

    public void GuardrailFired(string actor, string endpoint, GuardrailDecision decision)
    {
    }

    public void PlanWritten(Plan plan)
    {
    }

    public void ApplyAttempted(string enactorId, string endpoint, Generation generation, ApplyOutcome outcome)
    {
    }

    public void CleanedUp(string enactorId, string endpoint, CleanupOutcome outcome)
    {
    }

    public void PassFailed(string actor, string? endpoint, Exception exception)
    {
    }
}
