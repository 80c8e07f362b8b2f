using System.Collections.Immutable;
using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// One entry of the change feed: an apply made <paramref name="Records"/> live for an endpoint at
/// <paramref name="Revision"/>. Revisions are strictly increasing across the whole store, so a watcher
/// resumes from the last revision it saw.
/// </summary>
public sealed record AppliedChange(
    long Revision,
    string Endpoint,
    Generation Generation,
    ImmutableArray<PlanRecord> Records,
    string AppliedBy,
    DateTimeOffset AppliedAt);
