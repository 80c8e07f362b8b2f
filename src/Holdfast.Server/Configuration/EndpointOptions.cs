using System.Collections.Immutable;

namespace Holdfast.Server.Configuration;

/// <summary>One entry of <c>endpoints</c>.</summary>
public sealed record EndpointOptions
{
    /// <summary>
    /// Fully qualified name with trailing dot (<c>api.svc.example.</c>). A name without a trailing dot in the
    /// file is relative to <see cref="Zone"/> (<c>api</c> → <c>api.svc.example.</c>).
    /// </summary>
    public required string Name { get; init; }

    /// <summary>Apex of a configured zone.</summary>
    public required string Zone { get; init; }

    /// <summary>Record TTL, seconds. Default 60.</summary>
    public int Ttl { get; init; } = 60;

    /// <summary>Records per answer at most; 0 = all. Default 0.</summary>
    public int MaxAnswers { get; init; }

    public PolicyOptions Policy { get; init; } = new();

    public ImmutableArray<TargetOptions> Targets { get; init; } = [];
}
