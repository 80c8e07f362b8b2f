namespace Holdfast.ControlPlane.Store.Changes;

/// <summary>The content of a zone's files changed (<paramref name="Digest"/> of the records now served); <paramref name="Changes"/> counts such changes.</summary>
public sealed record StaticZoneChange(long Revision, string Apex, string Digest, long Changes) : StoreChange(Revision);
