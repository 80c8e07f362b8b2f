using System.Collections.Immutable;

namespace Holdfast.ControlPlane.Model;

/// <summary>
/// The planner's view of health, keyed by "endpoint/targetId". A target missing from the view is
/// <see cref="HealthState.Unknown"/>.
/// </summary>
public sealed record HealthView(ImmutableDictionary<string, TargetHealth> Targets)
{
    public static HealthView Empty { get; } = new(ImmutableDictionary<string, TargetHealth>.Empty);

    public static string Key(string endpoint, string targetId) => endpoint + "/" + targetId;

    public TargetHealth? Find(string endpoint, string targetId) =>
        Targets.TryGetValue(Key(endpoint, targetId), out var health) ? health : null;

    public bool IsDown(string endpoint, string targetId) => Find(endpoint, targetId)?.State == HealthState.Down;

    public HealthView With(string endpoint, string targetId, TargetHealth health) =>
        new(Targets.SetItem(Key(endpoint, targetId), health));
}
