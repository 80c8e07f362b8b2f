using System.Collections.Immutable;
using Holdfast.ControlPlane.Model;

namespace Holdfast.Health.Aggregation;

/// <summary>
/// A target's aggregated health with every source's part in it, as of the aggregator's last evaluation.
/// <paramref name="Reason"/> explains the state in words ("2 of 3 fresh sources say down for 14 s; quorum 2, grace 10 s").
/// </summary>
public sealed record TargetStatus(
    string Endpoint,
    string TargetId,
    TargetHealth Health,
    int Quorum,
    string Reason,
    DateTimeOffset AddedAt,
    ImmutableArray<SourceStatus> Sources);
