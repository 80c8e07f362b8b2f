using System.Collections.Immutable;
using System.Net;

namespace Holdfast.Client.Resolution;

/// <summary>
/// The outcome of resolving one name: the addresses (empty for <see cref="ResolutionSource.NameError"/>,
/// <see cref="ResolutionSource.NoData"/> and <see cref="ResolutionSource.Failed"/>), where they came from, and how long
/// a caller may keep them. A value type over an immutable array the cache already holds, so a cache hit allocates nothing.
/// </summary>
public readonly record struct NameResolution(ImmutableArray<IPAddress> Addresses, ResolutionSource Source, TimeSpan Ttl)
{
    public bool HasAddresses => !Addresses.IsDefaultOrEmpty;
}
