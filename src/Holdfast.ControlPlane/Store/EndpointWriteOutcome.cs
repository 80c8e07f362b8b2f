namespace Holdfast.ControlPlane.Store;

/// <summary>What putting an endpoint did: created it, changed it, or nothing (it was already exactly so: no revision, no audit).</summary>
public enum EndpointWriteOutcome
{
    Unchanged,
    Created,
    Updated,
}
