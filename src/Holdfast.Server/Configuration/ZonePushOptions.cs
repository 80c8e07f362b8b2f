using System.Collections.Immutable;
using Holdfast.Push;

namespace Holdfast.Server.Configuration;

/// <summary>
/// <c>zones[].push</c>: the external authoritative servers that receive this zone's endpoints by fenced RFC 2136 UPDATE
/// (docs/push.md). The pace and limits are the push library's own <see cref="PushOptions"/>, with its defaults.
/// </summary>
public sealed record ZonePushOptions
{
    /// <summary><c>serveAndPush</c> (default): Holdfast's DNS server serves the zone too; <c>pushOnly</c>: only the targets do.</summary>
    public PushMode Mode { get; init; } = PushMode.ServeAndPush;

    /// <summary>At least one target; names unique across all zones (they label status, metrics and events).</summary>
    public ImmutableArray<PushTargetOptions> Targets { get; init; } = [];

    public PushOptions Settings { get; init; } = new();

    // ImmutableArray compares by reference: compare the targets by value, so that a reload can tell "no change".
    public bool Equals(ZonePushOptions? other) =>
        other is not null && Mode == other.Mode && Settings == other.Settings && Targets.SequenceEqual(other.Targets);

    public override int GetHashCode() => HashCode.Combine(Mode, Settings, Targets.Length);
}
