using System.Collections.Immutable;

namespace Holdfast.ControlPlane.Model;

/// <summary>
/// What is live for an endpoint: the applied generation, a copy of its records (so that the endpoint keeps
/// serving even if the plan row is ever lost), who applied it and when, and the change-feed revision of
/// the apply.
/// </summary>
public sealed record AppliedState(
    string Endpoint,
    Generation Generation,
    ImmutableArray<PlanRecord> Records,
    string AppliedBy,
    DateTimeOffset AppliedAt,
    long Revision);
