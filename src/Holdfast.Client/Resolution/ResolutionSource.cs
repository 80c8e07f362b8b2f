namespace Holdfast.Client.Resolution;

/// <summary>Where a <see cref="NameResolution"/> came from; the last three carry no addresses.</summary>
public enum ResolutionSource
{
    /// <summary>Answered by an upstream for this call.</summary>
    Fresh,

    /// <summary>From the cache, within its TTL.</summary>
    Cache,

    /// <summary>RFC 8767: expired data served because every upstream failed (or was slower than the client response timer).</summary>
    Stale,

    /// <summary>The upstreams said NXDOMAIN, NODATA or empty for a name that had addresses; the last good ones are held.</summary>
    SuspectHeld,

    /// <summary>Every upstream failed, nothing was cached, and the on-disk last-known-good had the name.</summary>
    LastKnownGood,

    /// <summary>NXDOMAIN (RFC 1035 §4.1.1 RCODE 3), cached per RFC 2308.</summary>
    NameError,

    /// <summary>NOERROR with no address (RFC 2308 §2.2 NODATA).</summary>
    NoData,

    /// <summary>Every upstream failed and nothing could be served.</summary>
    Failed,
}
