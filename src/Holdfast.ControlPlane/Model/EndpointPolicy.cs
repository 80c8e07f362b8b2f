using System.Text.Json.Serialization;

namespace Holdfast.ControlPlane.Model;

/// <summary>
/// How an endpoint is answered and how fast automation may change it.
/// </summary>
/// <param name="Ttl">TTL of the endpoint's records, seconds. Default 60.</param>
/// <param name="MaxAnswers">At most this many records per answer (weighted, rotated); 0 = all. Default 0.</param>
/// <param name="CapacityFloor">
/// Fraction (0..1) of the enabled capacity that every plan must keep in the answer. Health-driven removals
/// that would go below it keep the largest down targets in. Default 0.5.
/// </param>
/// <param name="VelocityLimit">
/// Fraction (0..1] of the enabled capacity that health-driven plans may remove within
/// <paramref name="VelocityWindow"/>; further removals wait. Additions are never limited. Default 0.34.
/// </param>
/// <param name="VelocityWindow">The sliding window of the velocity limit. Default 5 minutes.</param>
/// <param name="FailOpen">
/// When every enabled target looks down: true publishes all enabled targets (and alarms); false keeps the
/// current records (and alarms). Never an empty answer either way. Default true.
/// </param>
public sealed record EndpointPolicy(
    int Ttl = 60,
    int MaxAnswers = 0,
    double CapacityFloor = 0.5,
    double VelocityLimit = 0.34,
    TimeSpan? VelocityWindow = null,
    bool FailOpen = true)
{
    public static EndpointPolicy Default { get; } = new();

    /// <summary>The velocity window, with its default applied.</summary>
    [JsonIgnore]
    public TimeSpan Window => VelocityWindow ?? TimeSpan.FromMinutes(5);
}
