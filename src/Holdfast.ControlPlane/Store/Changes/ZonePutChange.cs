using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store.Changes;

/// <summary>A zone was created or its SOA values, name servers or default TTL changed.</summary>
public sealed record ZonePutChange(long Revision, ZoneSpec Zone) : StoreChange(Revision);
