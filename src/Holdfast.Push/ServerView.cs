using System.Collections.Immutable;
using System.Net;
using Holdfast.ControlPlane.Model;

namespace Holdfast.Push;

/// <summary>
/// What a push target answers for one endpoint: its A and AAAA records (address and TTL, sorted) and its generation
/// marker. <see cref="Marker"/> is null when the marker name has no TXT; <see cref="MarkerUnreadable"/> is true when it
/// has one that is not a single generation (not Holdfast's, or edited by hand).
/// </summary>
public sealed record ServerView(Generation? Marker, bool MarkerUnreadable, string MarkerText, ImmutableArray<(IPAddress Address, uint Ttl)> Records)
{
    public static ServerView Empty { get; } = new(null, false, "", []);
}
