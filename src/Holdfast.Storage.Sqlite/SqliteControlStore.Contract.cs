using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Microsoft.Data.Sqlite;

namespace Holdfast.Storage.Sqlite;

/// <summary>The <see cref="IControlStore"/> contract, each operation one transaction.</summary>
public sealed partial class SqliteControlStore
{
    private const string GlobalScope = "*";

    public Task<Generation> AllocateGenerationAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Write(tx =>
        {
            Execute(tx, "UPDATE meta SET value = value + 1 WHERE key = 'generation'");
            return new Generation((long)Scalar(tx, "SELECT value FROM meta WHERE key = 'generation'")!);
        }));

    public Task<PlanWriteOutcome> WritePlanAsync(Plan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Task.FromResult(Write(tx =>
        {
            var latest = (long)Scalar(tx, "SELECT coalesce(max(generation), 0) FROM plans WHERE endpoint = $e", ("$e", plan.Endpoint))!;
            var applied = (long)Scalar(tx, "SELECT coalesce(max(generation), 0) FROM applied WHERE endpoint = $e", ("$e", plan.Endpoint))!;
            var floor = new Generation(Math.Max(latest, applied));
            if (plan.Generation <= floor)
            {
                return PlanWriteOutcome.NotNewer(floor);
            }

            Execute(tx, "INSERT INTO plans (endpoint, generation, body) VALUES ($e, $g, $b)", ("$e", plan.Endpoint), ("$g", plan.Generation.Value), ("$b", StoreJson.Serialize(plan)));

            // A generation written from outside this store's counter still moves the counter: never reused.
            Execute(tx, "UPDATE meta SET value = max(value, $g) WHERE key = 'generation'", ("$g", plan.Generation.Value));
            Audit(tx, "planner", "plan.written", plan.Endpoint, $"{plan.Generation} with {plan.Records.Length} records: {plan.Reason}");
            return PlanWriteOutcome.Success(plan.Generation);
        }));
    }

    public Task<PlanEntry?> GetPlanAsync(string endpoint, Generation generation, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(tx => Query(tx, "SELECT body, rejected_reason, first_applied_at FROM plans WHERE endpoint = $e AND generation = $g", MapPlan, ("$e", endpoint), ("$g", generation.Value)).FirstOrDefault()));

    public Task<IReadOnlyList<PlanEntry>> ListPlansAsync(string endpoint, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PlanEntry>>(Read(tx => Query(tx, "SELECT body, rejected_reason, first_applied_at FROM plans WHERE endpoint = $e ORDER BY generation", MapPlan, ("$e", endpoint))));

    public Task<IReadOnlyList<string>> ListPlannedEndpointsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(Read(tx => Query(tx, "SELECT endpoint FROM plans UNION SELECT endpoint FROM applied", r => r.GetString(0)).Order(StringComparer.Ordinal).ToList()));

    public Task<bool> RejectPlanAsync(string endpoint, Generation generation, string actor, string reason, CancellationToken cancellationToken = default) =>
        Task.FromResult(Write(tx =>
        {
            var changed = Execute(tx, "UPDATE plans SET rejected_reason = $r WHERE endpoint = $e AND generation = $g AND first_applied_at IS NULL AND rejected_reason IS NULL",
                ("$r", reason), ("$e", endpoint), ("$g", generation.Value)) == 1;
            if (changed)
            {
                Audit(tx, actor, "plan.rejected", endpoint, $"{generation}: {reason}");
            }

            return changed;
        }));

    public Task<ApplyOutcome> ConditionalApplyAsync(string endpoint, Generation generation, string enactorId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Write(tx =>
        {
            var current = new Generation((long)Scalar(tx, "SELECT coalesce(max(generation), 0) FROM applied WHERE endpoint = $e", ("$e", endpoint))!);
            if (generation <= current)
            {
                return ApplyOutcome.Stale(current);
            }

            var entry = Query(tx, "SELECT body, rejected_reason, first_applied_at FROM plans WHERE endpoint = $e AND generation = $g", MapPlan, ("$e", endpoint), ("$g", generation.Value)).FirstOrDefault();
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

            var freeze = Query(tx, "SELECT reason FROM freezes WHERE scope = $g OR scope = $e ORDER BY scope = $g DESC", r => r.GetString(0), ("$g", GlobalScope), ("$e", endpoint)).FirstOrDefault();
            if (freeze is not null)
            {
                return ApplyOutcome.Frozen(current, freeze);
            }

            var now = _time.GetUtcNow().UtcTicks;
            var records = StoreJson.Serialize(entry.Plan.Records);
            var revision = 1 + (long)Scalar(tx, "SELECT coalesce(max(revision), 0) FROM changes")!;
            Execute(tx, """
                INSERT INTO applied (endpoint, generation, records, applied_by, applied_at, revision) VALUES ($e, $g, $r, $by, $at, $rev)
                ON CONFLICT (endpoint) DO UPDATE SET generation = $g, records = $r, applied_by = $by, applied_at = $at, revision = $rev
                """, ("$e", endpoint), ("$g", generation.Value), ("$r", records), ("$by", enactorId), ("$at", now), ("$rev", revision));
            Execute(tx, "INSERT INTO changes (revision, endpoint, generation, records, applied_by, applied_at) VALUES ($rev, $e, $g, $r, $by, $at)",
                ("$rev", revision), ("$e", endpoint), ("$g", generation.Value), ("$r", records), ("$by", enactorId), ("$at", now));
            Execute(tx, "UPDATE plans SET first_applied_at = coalesce(first_applied_at, $at) WHERE endpoint = $e AND generation = $g", ("$at", now), ("$e", endpoint), ("$g", generation.Value));
            Audit(tx, enactorId, "apply.applied", endpoint, $"{current} -> {generation} ({entry.Plan.Records.Length} records)");
            SignalAfterCommit();
            return ApplyOutcome.Applied(generation, revision);
        }));

    public Task<AppliedState?> GetAppliedAsync(string endpoint, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(tx => Query(tx, "SELECT endpoint, generation, records, applied_by, applied_at, revision FROM applied WHERE endpoint = $e", MapApplied, ("$e", endpoint)).FirstOrDefault()));

    public Task<IReadOnlyList<AppliedState>> ListAppliedAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AppliedState>>(Read(tx => Query(tx, "SELECT endpoint, generation, records, applied_by, applied_at, revision FROM applied", MapApplied).OrderBy(a => a.Endpoint, StringComparer.Ordinal).ToList()));

    public Task<CleanupOutcome> CleanupAsync(string endpoint, int keep, TimeSpan retain, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        return Task.FromResult(Write(tx =>
        {
            var applied = new Generation((long)Scalar(tx, "SELECT coalesce(max(generation), 0) FROM applied WHERE endpoint = $e", ("$e", endpoint))!);
            if (applied == Generation.None)
            {
                return new CleanupOutcome(applied, []);
            }

            var older = Query(tx, "SELECT body, rejected_reason, first_applied_at FROM plans WHERE endpoint = $e AND generation < $g", MapPlan, ("$e", endpoint), ("$g", applied.Value));
            var victims = CleanupPolicy.Select(older, applied, keep, _time.GetUtcNow() - retain);
            foreach (var g in victims)
            {
                Execute(tx, "DELETE FROM plans WHERE endpoint = $e AND generation = $g", ("$e", endpoint), ("$g", g.Value));
            }

            if (victims.Count > 0)
            {
                Audit(tx, "cleanup", "cleanup.deleted", endpoint, $"below applied {applied}: {string.Join(' ', victims)}");
            }

            return new CleanupOutcome(applied, victims);
        }));
    }

    public Task<FreezeState> GetFreezeAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(tx =>
        {
            var all = Query(tx, "SELECT scope, reason, actor, since FROM freezes", r => (Scope: r.GetString(0), Switch: new FreezeSwitch(r.GetString(1), r.GetString(2), Time(r.GetInt64(3)))));
            var global = all.FirstOrDefault(f => f.Scope == GlobalScope).Switch;
            return new FreezeState(global, all.Where(f => f.Scope != GlobalScope).ToDictionary(f => f.Scope, f => f.Switch, StringComparer.Ordinal));
        }));

    public Task SetFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(Write(tx =>
        {
            Execute(tx, "INSERT INTO freezes (scope, reason, actor, since) VALUES ($s, $r, $a, $t) ON CONFLICT (scope) DO UPDATE SET reason = $r, actor = $a, since = $t",
                ("$s", endpoint ?? GlobalScope), ("$r", reason), ("$a", actor), ("$t", _time.GetUtcNow().UtcTicks));
            Audit(tx, actor, "freeze.set", endpoint, reason);
            return true;
        }));

    public Task ClearFreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(Write(tx =>
        {
            var had = Execute(tx, "DELETE FROM freezes WHERE scope = $s", ("$s", endpoint ?? GlobalScope)) == 1;
            if (had)
            {
                Audit(tx, actor, "freeze.cleared", endpoint, reason);
            }

            return had;
        }));

    public Task PutZoneAsync(ZoneSpec zone, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Task.FromResult(Write(tx =>
        {
            Execute(tx, "INSERT INTO zones (apex, body) VALUES ($k, $b) ON CONFLICT (apex) DO UPDATE SET body = $b", ("$k", zone.Apex), ("$b", StoreJson.Serialize(zone)));
            Audit(tx, actor, "zone.put", null, zone.Apex);
            return true;
        }));
    }

    public Task<bool> DeleteZoneAsync(string apex, string actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(Write(tx =>
        {
            var removed = Execute(tx, "DELETE FROM zones WHERE apex = $k", ("$k", apex)) == 1;
            if (removed)
            {
                Audit(tx, actor, "zone.deleted", null, apex);
            }

            return removed;
        }));

    public Task<IReadOnlyList<ZoneSpec>> ListZonesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ZoneSpec>>(Read(tx => Query(tx, "SELECT body FROM zones ORDER BY apex", r => StoreJson.Deserialize<ZoneSpec>(r.GetString(0)))));

    public Task PutEndpointAsync(EndpointSpec endpoint, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Task.FromResult(Write(tx =>
        {
            Execute(tx, "INSERT INTO endpoints (name, body) VALUES ($k, $b) ON CONFLICT (name) DO UPDATE SET body = $b", ("$k", endpoint.Name), ("$b", StoreJson.Serialize(endpoint)));
            Audit(tx, actor, "endpoint.put", endpoint.Name, $"{endpoint.Targets.Length} targets");
            return true;
        }));
    }

    public Task<bool> DeleteEndpointAsync(string name, string actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(Write(tx =>
        {
            var removed = Execute(tx, "DELETE FROM endpoints WHERE name = $k", ("$k", name)) == 1;
            if (removed)
            {
                Audit(tx, actor, "endpoint.deleted", name, name);
            }

            return removed;
        }));

    public Task<IReadOnlyList<EndpointSpec>> ListEndpointsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<EndpointSpec>>(Read(tx => Query(tx, "SELECT body FROM endpoints ORDER BY name", r => StoreJson.Deserialize<EndpointSpec>(r.GetString(0)))));

    public Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Task.FromResult(Write(tx =>
        {
            Execute(tx, "INSERT INTO audit (at, actor, action, endpoint, detail) VALUES ($at, $actor, $action, $endpoint, $detail)",
                ("$at", entry.At.UtcTicks), ("$actor", entry.Actor), ("$action", entry.Action), ("$endpoint", entry.Endpoint), ("$detail", entry.Detail));
            return entry with { Sequence = (long)Scalar(tx, "SELECT last_insert_rowid()")!, At = Time(entry.At.UtcTicks) };
        }));
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>(Read(tx => Query(tx, "SELECT sequence, at, actor, action, endpoint, detail FROM audit WHERE sequence > $s ORDER BY sequence LIMIT $m",
            r => new AuditEntry(r.GetInt64(0), Time(r.GetInt64(1)), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5)),
            ("$s", afterSequence), ("$m", max))));

    public Task<IReadOnlyList<AppliedChange>> ReadChangesAsync(long afterRevision, int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AppliedChange>>(Read(tx => Query(tx, "SELECT revision, endpoint, generation, records, applied_by, applied_at FROM changes WHERE revision > $r ORDER BY revision LIMIT $m",
            r => new AppliedChange(r.GetInt64(0), r.GetString(1), new Generation(r.GetInt64(2)), Records(r.GetString(3)), r.GetString(4), Time(r.GetInt64(5))),
            ("$r", afterRevision), ("$m", max))));

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(tx => (long)Scalar(tx, "SELECT coalesce(max(revision), 0) FROM changes")!));

    public async Task WaitForChangeAsync(long afterRevision, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        Task signal;
        lock (_lock)
        {
            signal = _changed.Task;
        }

        // Read after taking the signal: a change committed in between completes the signal we hold.
        if (await GetRevisionAsync(cancellationToken) > afterRevision)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(signal, Task.Delay(maxWait, _time, timeout.Token));
        await timeout.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    // Called inside the write transaction; the waiters run asynchronously and read after the commit because
    // they need _lock, which the committing thread holds until after Commit().
    private void SignalAfterCommit()
    {
        var signal = _changed;
        _changed = NewSignal();
        signal.TrySetResult();
    }

    private static PlanEntry MapPlan(SqliteDataReader r) =>
        new(StoreJson.Deserialize<Plan>(r.GetString(0)), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : Time(r.GetInt64(2)));

    private static AppliedState MapApplied(SqliteDataReader r) =>
        new(r.GetString(0), new Generation(r.GetInt64(1)), Records(r.GetString(2)), r.GetString(3), Time(r.GetInt64(4)), r.GetInt64(5));
}
