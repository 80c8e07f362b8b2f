namespace Holdfast.ControlPlane.Store.Changes;

/// <summary>A zone was deleted: it is no longer served.</summary>
public sealed record ZoneDeletedChange(long Revision, string Apex) : StoreChange(Revision);
