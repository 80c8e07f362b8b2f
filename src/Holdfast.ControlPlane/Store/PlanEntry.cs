using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// A stored plan with what the store knows of it: whether an enactor refused it (it then never becomes
/// live and is skipped by "latest valid plan"), and when it was first made live (null if never) — which
/// is what makes a plan a "good" one for cleanup and last-known-good rollback.
/// </summary>
public sealed record PlanEntry(Plan Plan, string? RejectedReason = null, DateTimeOffset? FirstAppliedAt = null)
{
    public bool IsRejected => RejectedReason is not null;

    public bool WasApplied => FirstAppliedAt is not null;
}
