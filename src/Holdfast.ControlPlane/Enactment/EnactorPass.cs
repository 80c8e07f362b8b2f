using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;

namespace Holdfast.ControlPlane.Enactment;

/// <summary>
/// What one reconcile pass did: per endpoint, the apply attempts made (in order) and any failure; whether it was a full
/// pass (every endpoint with pending work) or the dirty path; when it finished.
/// </summary>
public sealed record EnactorPass(string EnactorId, IReadOnlyList<EnactorStep> Steps, bool Full = true, DateTimeOffset At = default)
{
    public int Applied => Steps.Count(s => s.Outcome?.Status == ApplyStatus.Applied);
}

/// <summary>
/// One step of a pass: an apply attempt of <paramref name="Generation"/> with its outcome, a refusal by the
/// re-check (<paramref name="Refusal"/>), or an error that ended the endpoint's turn in this pass.
/// </summary>
public sealed record EnactorStep(string Endpoint, Generation Generation, ApplyOutcome? Outcome, string? Refusal = null, Exception? Error = null);
