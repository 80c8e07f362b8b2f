using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store.Changes;

/// <summary>
/// An endpoint was created or its desired state changed. <paramref name="PreviousZone"/> is the zone it was in before
/// when it moved, null otherwise (and for a new endpoint).
/// </summary>
public sealed record EndpointPutChange(long Revision, EndpointSpec Spec, string? PreviousZone, bool Created) : StoreChange(Revision);
