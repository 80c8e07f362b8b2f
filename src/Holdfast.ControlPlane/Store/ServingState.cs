namespace Holdfast.ControlPlane.Store;

/// <summary>
/// Everything the DNS server serves, read in one consistent view at <paramref name="Revision"/>: a follower builds its
/// data from it and then follows the change feed from <paramref name="Revision"/>.
/// </summary>
public sealed record ServingState(long Revision, IReadOnlyList<StoredZone> Zones, IReadOnlyList<ServedEndpoint> Endpoints);
