using System.Collections.Immutable;
using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store.Changes;

/// <summary>
/// An apply made <paramref name="Records"/> live for <paramref name="Endpoint"/> (in <paramref name="Zone"/>): the DNS
/// server patches exactly this endpoint.
/// </summary>
public sealed record AppliedChange(
    long Revision,
    string Endpoint,
    string Zone,
    Generation Generation,
    ImmutableArray<PlanRecord> Records,
    string AppliedBy,
    DateTimeOffset AppliedAt) : StoreChange(Revision);
