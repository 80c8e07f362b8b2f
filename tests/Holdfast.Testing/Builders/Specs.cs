using System.Collections.Immutable;
using System.Net;
using Holdfast.ControlPlane.Model;

namespace Holdfast.Testing.Builders;

/// <summary>Small builders for endpoints and health, loopback addresses only.</summary>
public static class Specs
{
    public const string Zone = "svc.example.";

    /// <summary>An endpoint <c>{name}.svc.example.</c> with targets t1..tN at 127.0.0.N, capacity 10 each, spread over az1..az3.</summary>
    public static EndpointSpec Endpoint(string name = "api", int targets = 3, EndpointPolicy? policy = null) =>
        new($"{name}.{Zone}", Zone, policy ?? EndpointPolicy.Default, [.. Enumerable.Range(1, targets).Select(i => Target($"t{i}", i))]);

    public static EndpointSpec WithTargets(this EndpointSpec spec, params Target[] targets) => spec with { Targets = [.. targets] };

    public static Target Target(string id, int lastOctet, int capacity = 10, int weight = 1, TargetAdminState state = TargetAdminState.Enabled) =>
        new(id, IPAddress.Parse($"127.0.0.{lastOctet}"), $"az{((lastOctet - 1) % 3) + 1}", weight, capacity, state);

    public static HealthView Down(this HealthView view, EndpointSpec spec, DateTimeOffset since, params string[] targetIds) =>
        targetIds.Aggregate(view, (v, id) => v.With(spec.Name, id, new TargetHealth(HealthState.Down, since)));

    public static HealthView Up(this HealthView view, EndpointSpec spec, DateTimeOffset since, params string[] targetIds) =>
        targetIds.Aggregate(view, (v, id) => v.With(spec.Name, id, new TargetHealth(HealthState.Up, since)));

    public static ImmutableArray<PlanRecord> Records(EndpointSpec spec, params string[] targetIds) =>
        [.. targetIds.Select(id => spec.FindTarget(id)!).Select(t => new PlanRecord(t.Id, t.Address, t.Weight, t.Capacity))];

    public static Plan Plan(EndpointSpec spec, long generation, DateTimeOffset createdAt, params string[] targetIds) =>
        new(spec.Name, new Generation(generation), Records(spec, targetIds), "test", "test", [], createdAt);

    public static string[] Ids(this IEnumerable<PlanRecord> records) => [.. records.Select(r => r.TargetId).Order(StringComparer.Ordinal)];
}
