using Etcdserverpb;
using Google.Protobuf;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.Storage.Etcd;

/// <summary>Endpoints: point reads, pages, batches of puts and deletes, alarms.</summary>
public sealed partial class EtcdControlStore
{
    public Task<IReadOnlyList<StoredEndpoint>> ReadEndpointsAsync(IReadOnlyList<string> names, EndpointParts parts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        return ReadAsync<IReadOnlyList<StoredEndpoint>>(async token =>
        {
            if (names.Count == 0)
            {
                return [];
            }

            var requests = new List<RangeRequest>(names.Count * 3);
            foreach (var name in names)
            {
                requests.Add(new RangeRequest { Key = ByteString.CopyFromUtf8(Keys.Spec(name)) });
                requests.Add(new RangeRequest { Key = ByteString.CopyFromUtf8(Keys.Applied(name)) });
                requests.Add(new RangeRequest { Key = ByteString.CopyFromUtf8(Keys.Plans(name)), RangeEnd = EtcdKeys.RangeEnd(Keys.Plans(name)) });
            }

            var (_, ranges) = await ReadTxnAsync(requests, 0, token);
            return [.. names.Select((name, i) => new StoredEndpoint(
                name,
                parts.HasFlag(EndpointParts.Spec) ? Decode<EndpointSpec>(ranges[3 * i].Kvs.FirstOrDefault()) : null,
                parts.HasFlag(EndpointParts.Applied) ? Decode<AppliedState>(ranges[(3 * i) + 1].Kvs.FirstOrDefault()) : null,
                parts.SelectPlans(ranges[(3 * i) + 2].Kvs.Select(kv => Decode<PlanEntry>(kv)!))))];
        }, cancellationToken);
    }

    public Task<Page<StoredEndpoint>> ListEndpointsAsync(string? after, int limit, EndpointParts parts, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync(async token =>
        {
            var page = await ReadEndpointPageAsync(after, limit, parts, 0, token);
            return new Page<StoredEndpoint>(page.Endpoints, page.More && page.Endpoints.Count > 0 ? page.Endpoints[^1].Name : null);
        }, cancellationToken);
    }

    public Task<int> CountEndpointsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(async token =>
        {
            var request = new RangeRequest { Key = ByteString.CopyFromUtf8(Keys.SpecPrefix), RangeEnd = EtcdKeys.RangeEnd(Keys.SpecPrefix), CountOnly = true };
            return (int)(await CallAsync(t => _client.GetAsync(request, cancellationToken: t), token)).Count;
        }, cancellationToken);

    public Task<IReadOnlyList<EndpointWriteOutcome>> PutEndpointsAsync(IReadOnlyList<EndpointSpec> endpoints, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var spec in endpoints)
        {
            ArgumentNullException.ThrowIfNull(spec);
        }

        return BatchAsync(
            endpoints,
            s => [Keys.Spec(s.Name), Keys.Serving(s.Zone)],
            _ => [],
            async (attempt, spec, token) =>
            {
                var key = Keys.Spec(spec.Name);
                var previous = await attempt.GetAsync<EndpointSpec>(key, token);
                if (spec.Equals(previous))
                {
                    return EndpointWriteOutcome.Unchanged;
                }

                attempt.RequireUnchanged(key);
                attempt.Put(key, spec);
                var moved = previous is not null && previous.Zone != spec.Zone ? previous.Zone : null;
                await attempt.TouchAsync(spec.Zone, token);
                if (moved is not null)
                {
                    await attempt.TouchAsync(moved, token);
                }

                attempt.Audit(actor, "endpoint.put", spec.Name, $"{spec.Targets.Length} targets");
                attempt.Feed(new EndpointPutChange(attempt.TakeRevision(), spec, moved, previous is null));
                return previous is null ? EndpointWriteOutcome.Created : EndpointWriteOutcome.Updated;
            },
            [],
            cancellationToken);
    }

    public Task<IReadOnlyList<bool>> DeleteEndpointsAsync(IReadOnlyList<string> names, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        return BatchAsync(
            names,
            n => [Keys.Spec(n), Keys.Applied(n), Keys.EndpointFreeze(n)],
            n => [Keys.Plans(n)],
            async (attempt, name, token) =>
            {
                var spec = await attempt.GetAsync<EndpointSpec>(Keys.Spec(name), token);
                if (spec is null)
                {
                    return false;
                }

                var applied = await attempt.GetAsync<AppliedState>(Keys.Applied(name), token);
                var plans = await attempt.RangeAsync(Keys.Plans(name), token);
                attempt.RequireUnchanged(Keys.Spec(name));
                attempt.Delete(Keys.Spec(name));
                attempt.Delete(Keys.Applied(name));
                attempt.Delete(Keys.EndpointFreeze(name));
                await attempt.DeletePrefixAsync(Keys.Plans(name), token);
                await attempt.TouchAsync(spec.Zone, token);
                attempt.Audit(actor, "endpoint.deleted", name, $"with {plans.Count} plans and generation {applied?.Generation ?? Generation.None} applied");
                attempt.Feed(new EndpointDeletedChange(attempt.TakeRevision(), name, spec.Zone));
                return true;
            },
            [],
            cancellationToken);
    }

    public Task<IReadOnlyList<PlanEntry>> ListAlarmsAsync(int limit, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<PlanEntry>>(async token =>
        {
            // Every plan of every endpoint, at one revision: the newest valid plan of each is the last valid one in key order.
            var (_, revision) = await ReadHeadAsync(token);
            var all = await RangeAllAsync(Keys.PlanPrefix, EtcdKeys.RangeEnd(Keys.PlanPrefix), revision, token);
            var newest = new List<PlanEntry>();
            string? endpoint = null;
            PlanEntry? latest = null;
            foreach (var kv in all)
            {
                var key = kv.Key.ToStringUtf8();
                var name = key[Keys.PlanPrefix.Length..key.LastIndexOf('/')];
                if (name != endpoint)
                {
                    Add(latest);
                    endpoint = name;
                    latest = null;
                }

                var entry = Decode<PlanEntry>(kv)!;
                if (!entry.IsRejected)
                {
                    latest = entry;
                }
            }

            Add(latest);
            return [.. newest.Where(p => PlanAlarms.HasAlarm(p.Plan)).Take(limit)];

            void Add(PlanEntry? entry)
            {
                if (entry is not null)
                {
                    newest.Add(entry);
                }
            }
        }, cancellationToken);

    /// <summary>
    /// A page of endpoints that exist, after <paramref name="after"/>, with the parts asked for, all read at one etcd
    /// revision (<paramref name="revision"/>, or now when 0). <c>More</c>: endpoints follow the page.
    /// </summary>
    private async Task<(List<StoredEndpoint> Endpoints, bool More, long Revision)> ReadEndpointPageAsync(string? after, int limit, EndpointParts parts, long revision, CancellationToken token)
    {
        var from = after is null ? Keys.SpecPrefix : EtcdKeys.After(Keys.Spec(after));
        var specRequest = new RangeRequest { Key = ByteString.CopyFromUtf8(from), RangeEnd = EtcdKeys.RangeEnd(Keys.SpecPrefix), Limit = limit, Revision = revision };
        var specs = await CallAsync(t => _client.GetAsync(specRequest, cancellationToken: t), token);
        revision = revision == 0 ? specs.Header.Revision : revision;
        var names = specs.Kvs.Select(kv => kv.Key.ToStringUtf8()[Keys.SpecPrefix.Length..]).ToList();
        var applied = new Dictionary<string, AppliedState>(StringComparer.Ordinal);
        var plans = new Dictionary<string, List<PlanEntry>>(StringComparer.Ordinal);
        if (names.Count > 0 && parts.HasFlag(EndpointParts.Applied))
        {
            foreach (var kv in await RangeAllAsync(Keys.Applied(names[0]), ByteString.CopyFromUtf8(EtcdKeys.After(Keys.Applied(names[^1]))), revision, token))
            {
                var state = Decode<AppliedState>(kv)!;
                applied[state.Endpoint] = state;
            }
        }

        if (names.Count > 0 && (parts & (EndpointParts.Plans | EndpointParts.LatestPlan)) != 0)
        {
            foreach (var kv in await RangeAllAsync(Keys.Plans(names[0]), EtcdKeys.RangeEnd(Keys.Plans(names[^1])), revision, token))
            {
                var entry = Decode<PlanEntry>(kv)!;
                if (!plans.TryGetValue(entry.Plan.Endpoint, out var list))
                {
                    plans[entry.Plan.Endpoint] = list = [];
                }

                list.Add(entry);
            }
        }

        var endpoints = specs.Kvs.Select((kv, i) => new StoredEndpoint(
            names[i],
            parts.HasFlag(EndpointParts.Spec) ? Decode<EndpointSpec>(kv) : null,
            applied.GetValueOrDefault(names[i]),
            plans.TryGetValue(names[i], out var own) ? parts.SelectPlans(own) : [])).ToList();
        return (endpoints, specs.More, revision);
    }

    private static T? Decode<T>(Mvccpb.KeyValue? kv)
        where T : class =>
        kv is null ? null : StoreJson.Deserialize<T>(kv.Value.ToStringUtf8());
}
