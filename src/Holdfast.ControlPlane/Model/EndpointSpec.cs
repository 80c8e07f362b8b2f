using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Holdfast.ControlPlane.Model;

/// <summary>
/// The desired state of one endpoint: a fully qualified, lower-case name with a trailing dot
/// (<c>api.svc.example.</c>), the zone apex it belongs to, its policy and its targets. Equality is by value,
/// targets element by element in order.
/// </summary>
public sealed record EndpointSpec(string Name, string Zone, EndpointPolicy Policy, ImmutableArray<Target> Targets)
{
    /// <summary>The targets an operator has enabled.</summary>
    [JsonIgnore]
    public IEnumerable<Target> EnabledTargets => Targets.Where(t => t.AdminState == TargetAdminState.Enabled);

    /// <summary>Total capacity of the enabled targets: the base of the capacity floor and velocity limit.</summary>
    [JsonIgnore]
    public long EnabledCapacity => EnabledTargets.Sum(t => (long)t.Capacity);

    public Target? FindTarget(string id) => Targets.FirstOrDefault(t => t.Id == id);

    public bool Equals(EndpointSpec? other) =>
        other is not null && Name == other.Name && Zone == other.Zone && Policy == other.Policy &&
        Targets.AsSpan().SequenceEqual(other.Targets.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Name, Zone, Policy, Targets.Length);
}
