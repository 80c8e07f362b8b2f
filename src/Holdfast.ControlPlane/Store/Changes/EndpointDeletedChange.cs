namespace Holdfast.ControlPlane.Store.Changes;

/// <summary>An endpoint was deleted with its plans and applied state: its name is no longer served.</summary>
public sealed record EndpointDeletedChange(long Revision, string Endpoint, string Zone) : StoreChange(Revision);
