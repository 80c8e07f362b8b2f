using Holdfast.ControlPlane.Store;

namespace Holdfast.ControlPlane.Serving;

/// <summary>
/// What a <see cref="ZoneFeed"/> serves, as of store revision <paramref name="Revision"/>: the zones (with the serving
/// revisions their serials come from) and every endpoint's served addresses, by zone. A node keeps one on local disk so
/// that, restarted while the store is unreachable, it still answers its last good data under the same serials, and then
/// follows the change feed from <paramref name="Revision"/> once the store answers.
/// </summary>
public sealed record ServingSnapshot(long Revision, IReadOnlyList<StoredZone> Zones, IReadOnlyList<ServingSnapshotEndpoint> Endpoints);

/// <summary>One endpoint of a <see cref="ServingSnapshot"/>: its zone and what it serves.</summary>
public sealed record ServingSnapshotEndpoint(string Zone, ServedZoneEndpoint Served);
