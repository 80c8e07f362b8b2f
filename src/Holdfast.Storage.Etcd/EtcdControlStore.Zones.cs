using Google.Protobuf;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.Storage.Etcd;

/// <summary>Zones, their files' digests, serving revisions, and the serving state a follower starts from.</summary>
public sealed partial class EtcdControlStore
{
    public Task PutZoneAsync(ZoneSpec zone, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var key = Keys.Zone(zone.Apex);
        return WriteAsync(async (attempt, token) =>
        {
            if (zone.Equals(await attempt.GetAsync<ZoneSpec>(key, token)))
            {
                return false;
            }

            attempt.Put(key, zone);
            await attempt.TouchAsync(zone.Apex, token);
            attempt.Audit(actor, "zone.put", zone.Apex, zone.Apex);
            attempt.Feed(new ZonePutChange(attempt.TakeRevision(), zone));
            return true;
        }, [key, Keys.Serving(zone.Apex)], [], cancellationToken);
    }

    public Task<bool> DeleteZoneAsync(string apex, string actor, CancellationToken cancellationToken = default)
    {
        var key = Keys.Zone(apex);
        return WriteAsync(async (attempt, token) =>
        {
            if (await attempt.GetBytesAsync(key, token) is null)
            {
                return false;
            }

            // The serving document stays: a zone created again under the same apex goes on counting from it.
            attempt.Delete(key);
            await attempt.TouchAsync(apex, token);
            attempt.Audit(actor, "zone.deleted", apex, apex);
            attempt.Feed(new ZoneDeletedChange(attempt.TakeRevision(), apex));
            return true;
        }, [key, Keys.Serving(apex)], [], cancellationToken);
    }

    public Task<IReadOnlyList<StoredZone>> ListZonesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(async token =>
        {
            var (_, revision) = await ReadHeadAsync(token);
            return await ReadZonesAsync(revision, token);
        }, cancellationToken);

    public Task<StaticZoneVersion> SetStaticZoneAsync(string apex, string digest, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(apex);
        ArgumentException.ThrowIfNullOrEmpty(digest);
        var key = Keys.Serving(apex);
        return WriteAsync(async (attempt, token) =>
        {
            var serving = await attempt.GetAsync<ServingDocument>(key, token);
            if (serving?.StaticDigest == digest)
            {
                return new StaticZoneVersion(apex, digest, serving.StaticChanges, Changed: false);
            }

            var changes = serving?.StaticDigest is null ? serving?.StaticChanges ?? 0 : serving.StaticChanges + 1;
            var revision = attempt.TakeRevision();
            attempt.Put(key, new ServingDocument(revision, digest, changes));
            attempt.Audit(actor, "zone.static", apex, $"zone files changed ({changes} change(s)), digest {digest[..Math.Min(12, digest.Length)]}");
            attempt.Feed(new StaticZoneChange(revision, apex, digest, changes));
            return new StaticZoneVersion(apex, digest, changes, Changed: true);
        }, [key], [], cancellationToken);
    }

    public Task<ServingState> ReadServingStateAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(async token =>
        {
            var (head, revision) = await ReadHeadAsync(token);
            var zones = await ReadZonesAsync(revision, token);
            var specs = await RangeAllAsync(Keys.SpecPrefix, EtcdKeys.RangeEnd(Keys.SpecPrefix), revision, token);
            var applied = (await RangeAllAsync(Keys.AppliedPrefix, EtcdKeys.RangeEnd(Keys.AppliedPrefix), revision, token))
                .Select(kv => Decode<AppliedState>(kv)!)
                .ToDictionary(a => a.Endpoint, StringComparer.Ordinal);
            var endpoints = specs.Select(kv => Decode<EndpointSpec>(kv)!).Select(spec =>
            {
                var live = applied.GetValueOrDefault(spec.Name);
                return new ServedEndpoint(spec.Name, spec.Zone, spec.Policy.Ttl, spec.Policy.MaxAnswers, live?.Generation ?? Generation.None, live?.Records ?? []);
            }).ToList();
            return new ServingState(head.Revision, zones, endpoints);
        }, cancellationToken);

    private async Task<IReadOnlyList<StoredZone>> ReadZonesAsync(long revision, CancellationToken token)
    {
        var zones = await RangeAllAsync(Keys.ZonePrefix, EtcdKeys.RangeEnd(Keys.ZonePrefix), revision, token);
        var serving = (await RangeAllAsync(Keys.ServingPrefix, EtcdKeys.RangeEnd(Keys.ServingPrefix), revision, token))
            .ToDictionary(kv => kv.Key.ToStringUtf8()[Keys.ServingPrefix.Length..], kv => Decode<ServingDocument>(kv)!, StringComparer.Ordinal);
        return [.. zones.Select(kv => Decode<ZoneSpec>(kv)!).Select(z => serving.TryGetValue(z.Apex, out var s)
            ? new StoredZone(z, s.Revision, s.StaticDigest, s.StaticChanges)
            : new StoredZone(z, 0))];
    }

    private static ByteString Utf8(string value) => ByteString.CopyFromUtf8(value);
}
