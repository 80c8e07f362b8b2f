using Holdfast.ControlPlane.Enactment;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;

namespace Holdfast.ControlPlane.Observability;

/// <summary>
/// What the planner and enactors report as they work: the host logs and counts it, the simulator records
/// it. Called on the worker's own flow; implementations must be quick and must not throw.
/// </summary>
public interface IControlPlaneObserver
{
    /// <summary>A guardrail changed, held or refused something (decisions that passed are not reported).</summary>
    void GuardrailFired(string actor, string endpoint, GuardrailDecision decision);

    void PlanWritten(Plan plan);

    /// <summary>An enactor's conditional apply returned <paramref name="outcome"/>.</summary>
    void ApplyAttempted(string enactorId, string endpoint, Generation generation, ApplyOutcome outcome);

    void CleanedUp(string enactorId, string endpoint, CleanupOutcome outcome);

    /// <summary>A pass of <paramref name="actor"/> failed for <paramref name="endpoint"/>; the next pass retries.</summary>
    void PassFailed(string actor, string? endpoint, Exception exception);

    /// <summary>
    /// An enactor finished a pass, with every endpoint's step (errors included). Hosts watch it for readiness;
    /// observers that do not care need not implement it.
    /// </summary>
    void EnactorPassCompleted(EnactorPass pass)
    {
    }
}
