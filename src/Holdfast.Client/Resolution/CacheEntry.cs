using System.Collections.Immutable;
using System.Net;

namespace Holdfast.Client.Resolution;

/// <summary>
/// What the cache holds for one name; immutable, replaced whole (the refresh that produced it swaps it in).
/// </summary>
/// <param name="Source">Fresh (positive, within TTL), Stale, SuspectHeld, LastKnownGood, NameError or NoData.</param>
/// <param name="ExpiresAt">Until then hits are answered from this entry without asking upstream.</param>
/// <param name="DataExpiredAt">When the data itself expired by its TTL; RFC 8767's max-stale counts from here.</param>
/// <param name="Ttl">The TTL the entry was given, for the prefetch threshold.</param>
/// <param name="LastGood">The last positive address set (kept through negative and stale entries for the suspect hold).</param>
internal sealed record CacheEntry(
    ImmutableArray<IPAddress> Addresses,
    ResolutionSource Source,
    DateTimeOffset ExpiresAt,
    DateTimeOffset DataExpiredAt,
    TimeSpan Ttl,
    ImmutableArray<IPAddress> LastGood)
{
    public bool HasAddresses => !Addresses.IsDefaultOrEmpty;

    /// <summary>What a hit returns: a fresh entry is reported as <see cref="ResolutionSource.Cache"/>.</summary>
    public NameResolution ToResolution(DateTimeOffset now) =>
        new(Addresses, Source == ResolutionSource.Fresh ? ResolutionSource.Cache : Source, ExpiresAt > now ? ExpiresAt - now : TimeSpan.Zero);
}
