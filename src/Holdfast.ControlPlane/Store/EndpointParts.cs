namespace Holdfast.ControlPlane.Store;

/// <summary>Which parts of an endpoint a read returns; reading less is cheaper.</summary>
[Flags]
public enum EndpointParts
{
    None = 0,

    /// <summary>The desired state.</summary>
    Spec = 1,

    /// <summary>What is live.</summary>
    Applied = 2,

    /// <summary>Every stored plan, oldest first.</summary>
    Plans = 4,

    All = Spec | Applied | Plans,
}
