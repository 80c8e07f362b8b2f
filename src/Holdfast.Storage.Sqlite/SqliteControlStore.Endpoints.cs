using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;
using Microsoft.Data.Sqlite;

namespace Holdfast.Storage.Sqlite;

/// <summary>Endpoints: point reads, paged listings, puts and deletes, alarms.</summary>
public sealed partial class SqliteControlStore
{
    private const string AppliedColumns = "endpoint, generation, records, applied_by, applied_at, revision";

    public Task<IReadOnlyList<StoredEndpoint>> ReadEndpointsAsync(IReadOnlyList<string> names, EndpointParts parts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        return Read<IReadOnlyList<StoredEndpoint>>(tx => [.. names.Select(name => ReadEndpoint(tx, name, parts))], cancellationToken);
    }

    private static StoredEndpoint ReadEndpoint(SqliteTx tx, string name, EndpointParts parts)
    {
        var spec = parts.HasFlag(EndpointParts.Spec) && tx.Scalar("SELECT body FROM endpoints WHERE name = $n", ("$n", name)) is string body
            ? StoreJson.Deserialize<EndpointSpec>(body)
            : null;
        var applied = parts.HasFlag(EndpointParts.Applied)
            ? tx.Query($"SELECT {AppliedColumns} FROM applied WHERE endpoint = $e", MapApplied, ("$e", name)).FirstOrDefault()
            : null;
        IReadOnlyList<PlanEntry> plans = parts.HasFlag(EndpointParts.Plans)
            ? tx.Query($"SELECT {PlanColumns} FROM plans WHERE endpoint = $e ORDER BY generation", MapPlan, ("$e", name))
            : parts.HasFlag(EndpointParts.LatestPlan)
                ? tx.Query($"SELECT {PlanColumns} FROM plans WHERE endpoint = $e AND rejected_reason IS NULL ORDER BY generation DESC LIMIT 1", MapPlan, ("$e", name))
                : [];
        return new StoredEndpoint(name, spec, applied, plans);
    }

    public Task<Page<StoredEndpoint>> ListEndpointsAsync(string? after, int limit, EndpointParts parts, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return Read(tx =>
        {
            var names = tx.Query("SELECT name, body FROM endpoints WHERE name > $a ORDER BY name LIMIT $l", r => (Name: r.GetString(0), Body: r.GetString(1)), ("$a", after ?? ""), ("$l", limit + 1));
            var page = Paged(names, limit, n => n.Name);
            var items = page.Items.Select(n =>
            {
                var rest = parts & ~EndpointParts.Spec;
                var stored = rest == EndpointParts.None ? new StoredEndpoint(n.Name, null, null, []) : ReadEndpoint(tx, n.Name, rest);
                return stored with { Spec = parts.HasFlag(EndpointParts.Spec) ? StoreJson.Deserialize<EndpointSpec>(n.Body) : null };
            }).ToList();
            return new Page<StoredEndpoint>(items, page.Next);
        }, cancellationToken);
    }

    public Task<int> CountEndpointsAsync(CancellationToken cancellationToken = default) =>
        Read(tx => (int)tx.Long("SELECT count(*) FROM endpoints"), cancellationToken);

    public Task<IReadOnlyList<EndpointWriteOutcome>> PutEndpointsAsync(IReadOnlyList<EndpointSpec> endpoints, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return Write<IReadOnlyList<EndpointWriteOutcome>>(tx =>
        {
            var outcomes = new EndpointWriteOutcome[endpoints.Count];
            for (var i = 0; i < endpoints.Count; i++)
            {
                var spec = endpoints[i];
                ArgumentNullException.ThrowIfNull(spec);
                var body = StoreJson.Serialize(spec);
                var previous = tx.Query("SELECT zone, body FROM endpoints WHERE name = $n", r => (Zone: r.GetString(0), Body: r.GetString(1)), ("$n", spec.Name)).FirstOrDefault();
                if (previous.Body == body)
                {
                    outcomes[i] = EndpointWriteOutcome.Unchanged;
                    continue;
                }

                tx.Execute("""
                    INSERT INTO endpoints (name, zone, ttl, max_answers, body) VALUES ($n, $z, $t, $m, $b)
                    ON CONFLICT (name) DO UPDATE SET zone = $z, ttl = $t, max_answers = $m, body = $b
                    """, ("$n", spec.Name), ("$z", spec.Zone), ("$t", spec.Policy.Ttl), ("$m", spec.Policy.MaxAnswers), ("$b", body));
                var created = previous.Body is null;
                var moved = !created && previous.Zone != spec.Zone ? previous.Zone : null;
                tx.Touch(spec.Zone);
                if (moved is not null)
                {
                    tx.Touch(moved);
                }

                tx.Audit(actor, "endpoint.put", spec.Name, $"{spec.Targets.Length} targets");
                tx.Feed(new EndpointPutChange(tx.Revision(), spec, moved, created));
                outcomes[i] = created ? EndpointWriteOutcome.Created : EndpointWriteOutcome.Updated;
            }

            return outcomes;
        });
    }

    public Task<IReadOnlyList<bool>> DeleteEndpointsAsync(IReadOnlyList<string> names, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        return Write<IReadOnlyList<bool>>(tx =>
        {
            var outcomes = new bool[names.Count];
            for (var i = 0; i < names.Count; i++)
            {
                var name = names[i];
                if (tx.Scalar("SELECT zone FROM endpoints WHERE name = $n", ("$n", name)) is not string zone)
                {
                    continue;
                }

                var plans = tx.Execute("DELETE FROM plans WHERE endpoint = $n", ("$n", name));
                var applied = tx.Long("SELECT generation FROM applied WHERE endpoint = $n", ("$n", name));
                tx.Execute("DELETE FROM applied WHERE endpoint = $n", ("$n", name));
                tx.Execute("DELETE FROM freezes WHERE scope = $n", ("$n", name));
                tx.Execute("DELETE FROM endpoints WHERE name = $n", ("$n", name));
                tx.Touch(zone);
                tx.Audit(actor, "endpoint.deleted", name, $"with {plans} plans and generation {new Generation(applied)} applied");
                tx.Feed(new EndpointDeletedChange(tx.Revision(), name, zone));
                outcomes[i] = true;
            }

            return outcomes;
        });
    }

    public Task<IReadOnlyList<PlanEntry>> ListAlarmsAsync(int limit, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<PlanEntry>>(tx => tx.Query($"""
            SELECT {PlanColumns} FROM plans p
            WHERE p.has_alarm = 1 AND p.rejected_reason IS NULL
              AND p.generation = (SELECT max(q.generation) FROM plans q WHERE q.endpoint = p.endpoint AND q.rejected_reason IS NULL)
            ORDER BY p.endpoint LIMIT $l
            """, MapPlan, ("$l", limit)), cancellationToken);

    private static AppliedState MapApplied(SqliteDataReader r) =>
        new(r.GetString(0), new Generation(r.GetInt64(1)), PlanRecordCodec.Decode((byte[])r.GetValue(2)), r.GetString(3), Time(r.GetInt64(4)), r.GetInt64(5));
}
