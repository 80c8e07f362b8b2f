using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Server.Configuration;

namespace Holdfast.Server.Hosting;

/// <summary>
/// Configuration as control-plane values (zone and endpoint specs with their targets' health checks) and its sync into
/// the store: zones and endpoints that differ from what is stored are put with actor <c>config</c> (and so audited);
/// endpoints that a reload removed from the file are deleted. Endpoints made through the API and never named in the file
/// are left alone.
/// </summary>
internal static class DesiredState
{
    public const string Actor = "config";

    /// <summary>Endpoints per store transaction when syncing.</summary>
    private const int SyncBatch = 1000;

    public static ZoneSpec ToSpec(ZoneOptions zone) =>
        new(zone.Apex, new SoaValues(zone.Soa.Mname, zone.Soa.Rname, zone.Soa.Refresh, zone.Soa.Retry, zone.Soa.Expire, zone.Soa.Minimum), zone.Ns, zone.DefaultTtl);

    public static EndpointSpec ToSpec(EndpointOptions endpoint) =>
        new(endpoint.Name, endpoint.Zone, endpoint.Policy, [.. endpoint.Targets.Select(ToTarget)]);

    public static Target ToTarget(TargetOptions target) =>
        new(target.Id, target.Address, target.Az, target.Weight, target.Capacity, target.AdminState, target.HealthCheck);

    /// <summary>
    /// Writes the configuration's zones and endpoints, endpoints in batches (the store skips those already so, without a
    /// revision); deletes the endpoints and zones a reload removed from the file. Returns one line per change.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SyncAsync(IControlStore store, HoldfastOptions options, HoldfastOptions? previous, CancellationToken cancellationToken = default)
    {
        var changes = new List<string>();
        var zones = (await store.ListZonesAsync(cancellationToken)).ToDictionary(z => z.Spec.Apex, z => z.Spec, StringComparer.Ordinal);
        foreach (var zone in options.Zones.Select(ToSpec))
        {
            if (!zone.Equals(zones.GetValueOrDefault(zone.Apex)))
            {
                await store.PutZoneAsync(zone, Actor, cancellationToken);
                changes.Add((zones.ContainsKey(zone.Apex) ? "zone updated " : "zone added ") + zone.Apex);
            }
        }

        foreach (var batch in options.Endpoints.Select(ToSpec).Chunk(SyncBatch))
        {
            var outcomes = await store.PutEndpointsAsync(batch, Actor, cancellationToken);
            for (var i = 0; i < batch.Length; i++)
            {
                if (outcomes[i] != EndpointWriteOutcome.Unchanged)
                {
                    changes.Add((outcomes[i] == EndpointWriteOutcome.Created ? "endpoint added " : "endpoint updated ") + batch[i].Name);
                }
            }
        }

        if (previous is not null)
        {
            var names = options.Endpoints.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var batch in previous.Endpoints.Where(e => !names.Contains(e.Name)).Select(e => e.Name).Chunk(SyncBatch))
            {
                var deleted = await store.DeleteEndpointsAsync(batch, Actor, cancellationToken);
                changes.AddRange(batch.Where((_, i) => deleted[i]).Select(n => "endpoint removed " + n));
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
}
