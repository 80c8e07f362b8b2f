namespace Holdfast.Push;

/// <summary>How a zone with push targets is served.</summary>
public enum PushMode
{
    /// <summary>Holdfast's own DNS server keeps serving the zone, and the targets get the same records.</summary>
    ServeAndPush,

    /// <summary>Only the targets serve the zone: Holdfast's DNS server does not load it.</summary>
    PushOnly,
}
