using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;
using Microsoft.Data.Sqlite;

namespace Holdfast.Storage.Sqlite;

/// <summary>Generations, plans, the fence, cleanup and pending work.</summary>
public sealed partial class SqliteControlStore
{
    private const string GlobalScope = "*";
    private const string PlanColumns = "body, rejected_reason, first_applied_at";

    public Task<Generation> AllocateGenerationsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Write(tx => new Generation(tx.Long("UPDATE meta SET value = value + $n WHERE key = 'generation' RETURNING value", ("$n", count)) - count + 1));
    }

    public Task<IReadOnlyList<PlanWriteOutcome>> WritePlansAsync(IReadOnlyList<PlanWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        return Write<IReadOnlyList<PlanWriteOutcome>>(tx =>
        {
            var outcomes = new PlanWriteOutcome[writes.Count];
            long highest = 0;
            for (var i = 0; i < writes.Count; i++)
            {
                var (plan, actor, notes) = writes[i];
                ArgumentNullException.ThrowIfNull(plan);
                if (tx.Scalar("SELECT 1 FROM endpoints WHERE name = $e", ("$e", plan.Endpoint)) is null)
                {
                    outcomes[i] = PlanWriteOutcome.UnknownEndpoint(plan.Endpoint);
                    continue;
                }

                var latest = tx.Long("SELECT max(generation) FROM plans WHERE endpoint = $e", ("$e", plan.Endpoint));
                var applied = tx.Long("SELECT generation FROM applied WHERE endpoint = $e", ("$e", plan.Endpoint));
                var floor = new Generation(Math.Max(latest, applied));
                if (plan.Generation <= floor)
                {
                    outcomes[i] = PlanWriteOutcome.NotNewer(floor);
                    continue;
                }

                tx.Execute("INSERT INTO plans (endpoint, generation, body, has_alarm) VALUES ($e, $g, $b, $a)",
                    ("$e", plan.Endpoint), ("$g", plan.Generation.Value), ("$b", StoreJson.Serialize(plan)), ("$a", PlanAlarms.HasAlarm(plan) ? 1 : 0));
                highest = Math.Max(highest, plan.Generation.Value);
                tx.Audit(actor, "plan.written", plan.Endpoint, $"{plan.Generation} with {plan.Records.Length} records: {plan.Reason}");
                foreach (var note in notes ?? [])
                {
                    tx.Audit(actor, note.Action, plan.Endpoint, note.Detail);
                }

                tx.Feed(new PlanWrittenChange(tx.Revision(), plan.Endpoint, plan.Generation, plan.Origin));
                outcomes[i] = PlanWriteOutcome.Success(plan.Generation);
            }

            // A generation written from outside this store's counter still moves the counter: never reused.
            if (highest > 0)
            {
                tx.Execute("UPDATE meta SET value = max(value, $g) WHERE key = 'generation'", ("$g", highest));
            }

            return outcomes;
        });
    }

    public Task<PlanEntry?> GetPlanAsync(string endpoint, Generation generation, CancellationToken cancellationToken = default) =>
        Read(tx => tx.Query($"SELECT {PlanColumns} FROM plans WHERE endpoint = $e AND generation = $g", MapPlan, ("$e", endpoint), ("$g", generation.Value)).FirstOrDefault(), cancellationToken);

    public Task<bool> RejectPlanAsync(string endpoint, Generation generation, string actor, string reason, CancellationToken cancellationToken = default) =>
        Write(tx =>
        {
            var changed = tx.Execute("UPDATE plans SET rejected_reason = $r WHERE endpoint = $e AND generation = $g AND first_applied_at IS NULL AND rejected_reason IS NULL",
                ("$r", reason), ("$e", endpoint), ("$g", generation.Value)) == 1;
            if (changed)
            {
                tx.Audit(actor, "plan.rejected", endpoint, $"{generation}: {reason}");
                tx.Feed(new PlanRejectedChange(tx.Revision(), endpoint, generation));
            }

            return changed;
        });

    public Task<IReadOnlyList<ApplyOutcome>> ConditionalApplyAsync(IReadOnlyList<ApplyRequest> requests, string enactorId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return Write<IReadOnlyList<ApplyOutcome>>(tx =>
        {
            var outcomes = new ApplyOutcome[requests.Count];
            for (var i = 0; i < requests.Count; i++)
            {
                outcomes[i] = Apply(tx, requests[i], enactorId);
            }

            return outcomes;
        });
    }

    private static ApplyOutcome Apply(SqliteTx tx, ApplyRequest request, string enactorId)
    {
        var (endpoint, generation) = request;
        var current = new Generation(tx.Long("SELECT generation FROM applied WHERE endpoint = $e", ("$e", endpoint)));
        if (generation <= current)
        {
            return ApplyOutcome.Stale(current);
        }

        var entry = tx.Query($"SELECT {PlanColumns} FROM plans WHERE endpoint = $e AND generation = $g", MapPlan, ("$e", endpoint), ("$g", generation.Value)).FirstOrDefault();
        if (entry is null)
        {
            return ApplyOutcome.Rejected(current, $"plan {generation} does not exist");
        }

        if (entry.IsRejected)
        {
            return ApplyOutcome.Rejected(current, $"plan {generation} was rejected: {entry.RejectedReason}");
        }

        if (entry.Plan.Records.IsDefaultOrEmpty)
        {
            return ApplyOutcome.Rejected(current, $"plan {generation} has no records");
        }

        var freeze = tx.Query("SELECT reason FROM freezes WHERE scope = $g OR scope = $e ORDER BY scope = $g DESC", r => r.GetString(0), ("$g", GlobalScope), ("$e", endpoint)).FirstOrDefault();
        if (freeze is not null)
        {
            return ApplyOutcome.Frozen(current, freeze);
        }

        var zone = (string)tx.Scalar("SELECT zone FROM endpoints WHERE name = $e", ("$e", endpoint))!;
        var now = tx.Now;
        var revision = tx.Revision();
        tx.Execute("""
            INSERT INTO applied (endpoint, generation, records, applied_by, applied_at, revision) VALUES ($e, $g, $r, $by, $at, $rev)
            ON CONFLICT (endpoint) DO UPDATE SET generation = $g, records = $r, applied_by = $by, applied_at = $at, revision = $rev
            """, ("$e", endpoint), ("$g", generation.Value), ("$r", PlanRecordCodec.Encode(entry.Plan.Records)), ("$by", enactorId), ("$at", now.UtcTicks), ("$rev", revision));
        tx.Execute("UPDATE plans SET first_applied_at = coalesce(first_applied_at, $at) WHERE endpoint = $e AND generation = $g", ("$at", now.UtcTicks), ("$e", endpoint), ("$g", generation.Value));
        tx.Touch(zone);
        tx.Feed(new AppliedChange(revision, endpoint, zone, generation, entry.Plan.Records, enactorId, now));
        tx.Audit(enactorId, "apply.applied", endpoint, $"{current} -> {generation} ({entry.Plan.Records.Length} records)");
        return ApplyOutcome.Applied(generation, revision);
    }

    public Task<IReadOnlyList<CleanupOutcome>> CleanupAsync(IReadOnlyList<CleanupRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return Write<IReadOnlyList<CleanupOutcome>>(tx =>
        {
            var outcomes = new CleanupOutcome[requests.Count];
            for (var i = 0; i < requests.Count; i++)
            {
                var (endpoint, keep, retain) = requests[i];
                ArgumentOutOfRangeException.ThrowIfNegative(keep);
                var applied = new Generation(tx.Long("SELECT generation FROM applied WHERE endpoint = $e", ("$e", endpoint)));
                if (applied == Generation.None)
                {
                    outcomes[i] = new CleanupOutcome(endpoint, applied, []);
                    continue;
                }

                var plans = tx.Query($"SELECT {PlanColumns} FROM plans WHERE endpoint = $e AND generation <= $g", MapPlan, ("$e", endpoint), ("$g", applied.Value));
                var victims = CleanupPolicy.Select(plans, applied, keep, tx.Now - retain);
                foreach (var g in victims)
                {
                    tx.Execute("DELETE FROM plans WHERE endpoint = $e AND generation = $g", ("$e", endpoint), ("$g", g.Value));
                }

                if (victims.Count > 0)
                {
                    tx.Audit("cleanup", "cleanup.deleted", endpoint, $"below applied {applied}: {string.Join(' ', victims)}");
                }

                outcomes[i] = new CleanupOutcome(endpoint, applied, victims);
            }

            return outcomes;
        });
    }

    public Task<Page<PendingEndpoint>> ListPendingAsync(string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return Read(tx =>
        {
            var rows = tx.Query("""
                SELECT p.endpoint, max(p.generation), coalesce(a.generation, 0)
                FROM plans p LEFT JOIN applied a ON a.endpoint = p.endpoint
                WHERE p.rejected_reason IS NULL AND p.endpoint > $after
                GROUP BY p.endpoint
                HAVING max(p.generation) > coalesce(a.generation, 0)
                ORDER BY p.endpoint LIMIT $limit
                """, r => new PendingEndpoint(r.GetString(0), new Generation(r.GetInt64(1)), new Generation(r.GetInt64(2))), ("$after", after ?? ""), ("$limit", limit + 1));
            return Paged(rows, limit, p => p.Endpoint);
        }, cancellationToken);
    }

    private static Page<T> Paged<T>(List<T> rows, int limit, Func<T, string> key)
    {
        if (rows.Count <= limit)
        {
            return new Page<T>(rows, null);
        }

        rows.RemoveAt(rows.Count - 1);
        return new Page<T>(rows, key(rows[^1]));
    }

    private static PlanEntry MapPlan(SqliteDataReader r) =>
        new(StoreJson.Deserialize<Plan>(r.GetString(0)), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : Time(r.GetInt64(2)));

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);
}
