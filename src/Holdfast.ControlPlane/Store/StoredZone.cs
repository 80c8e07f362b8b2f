using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// A zone as the store holds it. <paramref name="ServingRevision"/> is the store revision of the last change of the
/// data the zone serves (an apply to one of its endpoints, an endpoint put or deleted, its SOA/NS edited, its files'
/// content changed): the zone's SOA serial is derived from it (<see cref="Serial"/>), so every node computes the same
/// serial from the same store state. <paramref name="StaticDigest"/> and <paramref name="StaticChanges"/> describe the
/// records of its zone files (null and 0 without files).
/// </summary>
public sealed record StoredZone(ZoneSpec Spec, long ServingRevision, string? StaticDigest = null, long StaticChanges = 0)
{
    /// <summary>
    /// The SOA serial: 1 + <see cref="ServingRevision"/>, in RFC 1982 arithmetic (it wraps after 2^32 revisions, which
    /// serial arithmetic allows as long as a secondary never misses 2^31 of them).
    /// </summary>
    public uint Serial => SerialOf(ServingRevision);

    public static uint SerialOf(long servingRevision) => unchecked((uint)(servingRevision + 1));
}
