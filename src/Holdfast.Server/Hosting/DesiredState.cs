using System.Net;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Sources;
using Holdfast.Server.Configuration;

namespace Holdfast.Server.Hosting;

/// <summary>
/// Configuration as control-plane values (zone and endpoint specs, health-check targets) and its sync into
/// the store: zones and endpoints that differ from what is stored are put with actor <c>config</c> (and so
/// audited); endpoints that a reload removed from the file are deleted. Endpoints made through the API and
/// never named in the file are left alone.
/// </summary>
internal static class DesiredState
{
    public const string Actor = "config";

    public static ZoneSpec ToSpec(ZoneOptions zone) =>
        new(zone.Apex, new SoaValues(zone.Soa.Mname, zone.Soa.Rname, zone.Soa.Refresh, zone.Soa.Retry, zone.Soa.Expire, zone.Soa.Minimum), zone.Ns, zone.DefaultTtl);

    public static EndpointSpec ToSpec(EndpointOptions endpoint) =>
        new(endpoint.Name, endpoint.Zone, ToPolicy(endpoint), [.. endpoint.Targets.Select(ToTarget)]);

    public static EndpointPolicy ToPolicy(EndpointOptions endpoint) =>
        new(endpoint.Ttl, endpoint.MaxAnswers, endpoint.Policy.CapacityFloor, endpoint.Policy.VelocityLimit, endpoint.Policy.VelocityWindow, endpoint.Policy.FailOpen);

    public static Target ToTarget(TargetOptions target) =>
        new(target.Id, target.Address, target.Az, target.Weight, target.Capacity, target.AdminState);

    public static HealthSourceOptions ToSource(HealthSourceEntry source) => new()
    {
        Name = source.Name,
        Kind = ToKind(source.Kind),
        Interval = source.Interval,
        Timeout = source.Timeout,
        Rise = source.Rise,
        Fall = source.Fall,
    };

    public static HealthAggregationOptions ToAggregation(HealthOptions health) => new()
    {
        FreshnessIntervals = health.FreshnessIntervals,
        DownGrace = health.DownGrace,
        NewTargetGrace = health.NewTargetGrace,
    };

    /// <summary>The health check of one target, or null when nobody checks it.</summary>
    public static TargetCheck? ToCheck(string endpoint, Target target, HealthCheckOptions? check) => check is null ? null : new TargetCheck(endpoint, target.Id)
    {
        HttpUrl = check.Kind == HealthCheckKind.Http ? check.Url : null,
        TcpEndpoint = check.Kind == HealthCheckKind.Tcp && check.Port is { } port ? new IPEndPoint(target.Address, port) : null,
        Sources = check.Sources,
        Quorum = check.Quorum,
    };

    /// <summary>Writes the configuration's zones and endpoints; returns one line per change (empty when the store already matched).</summary>
    public static async Task<IReadOnlyList<string>> SyncAsync(IControlStore store, HoldfastOptions options, HoldfastOptions? previous, CancellationToken cancellationToken = default)
    {
        var changes = new List<string>();
        var zones = (await store.ListZonesAsync(cancellationToken)).ToDictionary(z => z.Apex, StringComparer.Ordinal);
        foreach (var zone in options.Zones.Select(ToSpec))
        {
            if (!zones.TryGetValue(zone.Apex, out var stored) || StoreJson.Serialize(stored) != StoreJson.Serialize(zone))
            {
                await store.PutZoneAsync(zone, Actor, cancellationToken);
                changes.Add((stored is null ? "zone added " : "zone updated ") + zone.Apex);
            }
        }

        var endpoints = (await store.ListEndpointsAsync(cancellationToken)).ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var endpoint in options.Endpoints.Select(ToSpec))
        {
            if (!endpoints.TryGetValue(endpoint.Name, out var stored) || StoreJson.Serialize(stored) != StoreJson.Serialize(endpoint))
            {
                await store.PutEndpointAsync(endpoint, Actor, cancellationToken);
                changes.Add((stored is null ? "endpoint added " : "endpoint updated ") + endpoint.Name);
            }
        }

        if (previous is not null)
        {
            var names = options.Endpoints.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var removed in previous.Endpoints.Where(e => !names.Contains(e.Name) && endpoints.ContainsKey(e.Name)))
            {
                await store.DeleteEndpointAsync(removed.Name, Actor, cancellationToken);
                changes.Add("endpoint removed " + removed.Name);
            }

            var apexes = options.Zones.Select(z => z.Apex).ToHashSet(StringComparer.Ordinal);
            foreach (var removed in previous.Zones.Where(z => !apexes.Contains(z.Apex) && zones.ContainsKey(z.Apex)))
            {
                await store.DeleteZoneAsync(removed.Apex, Actor, cancellationToken);
                changes.Add("zone removed " + removed.Apex);
            }
        }

        return changes;
    }

    private static HealthSourceKind ToKind(HealthCheckKind kind) => kind switch
    {
        HealthCheckKind.Http => HealthSourceKind.Http,
        HealthCheckKind.Tcp => HealthSourceKind.Tcp,
        _ => HealthSourceKind.External,
    };
}
