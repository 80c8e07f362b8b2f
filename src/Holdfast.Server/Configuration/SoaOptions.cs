namespace Holdfast.Server.Configuration;

/// <summary>SOA values of a zone (RFC 1035 §3.3.13), timers in seconds. The serial is Holdfast's own.</summary>
public sealed record SoaOptions
{
    /// <summary>Primary name server (absolute name).</summary>
    public required string Mname { get; init; }

    /// <summary>Responsible mailbox in name form (<c>hostmaster.svc.example.</c>).</summary>
    public required string Rname { get; init; }

    public int Refresh { get; init; } = 3600;

    public int Retry { get; init; } = 600;

    public int Expire { get; init; } = 604800;

    /// <summary>Negative-caching TTL (RFC 2308 §4). Default 60.</summary>
    public int Minimum { get; init; } = 60;
}
