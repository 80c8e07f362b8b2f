namespace Holdfast.ControlPlane.Store.Changes;

/// <summary>A freeze switch went on or off: global when <paramref name="Endpoint"/> is null. Enactors apply held plans after an unfreeze.</summary>
public sealed record FreezeChange(long Revision, string? Endpoint, bool Frozen) : StoreChange(Revision);
