using System.Collections.Immutable;
using Holdfast.ControlPlane.Model;

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

    /// <summary>
    /// How the endpoint is answered and guarded: <c>ttl</c> and <c>maxAnswers</c> from the entry, the rest from its
    /// <c>policy</c> section; defaults and meaning are <see cref="EndpointPolicy"/>'s own.
    /// </summary>
    public EndpointPolicy Policy { get; init; } = EndpointPolicy.Default with { VelocityWindow = EndpointPolicy.Default.Window };

    public ImmutableArray<TargetOptions> Targets { get; init; } = [];
}
