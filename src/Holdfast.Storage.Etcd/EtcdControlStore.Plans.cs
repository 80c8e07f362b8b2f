using System.Globalization;
using System.Text;
using Etcdserverpb;
using Google.Protobuf;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.Storage.Etcd;

/// <summary>Generations, plans, the fence and cleanup.</summary>
public sealed partial class EtcdControlStore
{
    /// <remarks>
    /// A compare-and-swap on the counter. When the answer is lost and the attempt is made again, the numbers of the first
    /// attempt may be skipped: generations are never reused, and gaps are allowed.
    /// </remarks>
    public Task<Generation> AllocateGenerationsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return ReadAsync(async token =>
        {
            while (true)
            {
                var read = await CallAsync(t => _client.GetAsync(new RangeRequest { Key = ByteString.CopyFromUtf8(Keys.Generation) }, cancellationToken: t), token);
                var kv = read.Kvs.FirstOrDefault();
                var current = kv is null ? 0 : long.Parse(kv.Value.ToStringUtf8(), NumberStyles.None, CultureInfo.InvariantCulture);
                var txn = new TxnRequest();
                txn.Compare.Add(new Compare { Key = ByteString.CopyFromUtf8(Keys.Generation), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = kv?.ModRevision ?? 0 });
                txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(Keys.Generation), Value = ByteString.CopyFromUtf8((current + count).ToString(CultureInfo.InvariantCulture)) } });
                var response = await CallAsync(t => _client.TransactionAsync(txn, cancellationToken: t), token);
                if (response.Succeeded)
                {
                    return new Generation(current + 1);
                }
            }
        }, cancellationToken);
    }

    public Task<IReadOnlyList<PlanWriteOutcome>> WritePlansAsync(IReadOnlyList<PlanWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        foreach (var write in writes)
        {
            ArgumentNullException.ThrowIfNull(write.Plan);
        }

        return BatchAsync(
            writes,
            w => [Keys.Spec(w.Plan.Endpoint), Keys.Applied(w.Plan.Endpoint)],
            w => [Keys.Plans(w.Plan.Endpoint)],
            async (attempt, write, token) =>
            {
                var (plan, actor, notes) = write;
                if (await attempt.GetBytesAsync(Keys.Spec(plan.Endpoint), token) is null)
                {
                    return PlanWriteOutcome.UnknownEndpoint(plan.Endpoint);
                }

                var plans = await attempt.RangeAsync(Keys.Plans(plan.Endpoint), token);
                var latest = plans.Count > 0 ? new Generation(EtcdKeys.NumberAtEnd(plans[^1].Key)) : Generation.None;
                var applied = (await attempt.GetAsync<AppliedState>(Keys.Applied(plan.Endpoint), token))?.Generation ?? Generation.None;
                var floor = latest > applied ? latest : applied;
                if (plan.Generation <= floor)
                {
                    return PlanWriteOutcome.NotNewer(floor);
                }

                // Create-only: the txn fails if the key exists (the endpoint's applied state is compared too).
                var key = Keys.Plan(plan.Endpoint, plan.Generation.Value);
                attempt.RequireAbsent(key);
                attempt.RequireUnchanged(Keys.Applied(plan.Endpoint));
                attempt.Put(key, new PlanEntry(plan));
                await RaiseGenerationAsync(attempt, plan.Generation, token);
                attempt.Audit(actor, "plan.written", plan.Endpoint, $"{plan.Generation} with {plan.Records.Length} records: {plan.Reason}");
                foreach (var note in notes ?? [])
                {
                    attempt.Audit(actor, note.Action, plan.Endpoint, note.Detail);
                }

                attempt.Feed(new PlanWrittenChange(attempt.TakeRevision(), plan.Endpoint, plan.Generation, plan.Origin));
                return PlanWriteOutcome.Success(plan.Generation);
            },
            [Keys.Generation],
            cancellationToken);
    }

    public Task<PlanEntry?> GetPlanAsync(string endpoint, Generation generation, CancellationToken cancellationToken = default) =>
        ReadAsync(async token =>
        {
            var response = await CallAsync(t => _client.GetAsync(new RangeRequest { Key = ByteString.CopyFromUtf8(Keys.Plan(endpoint, generation.Value)) }, cancellationToken: t), token);
            return response.Kvs.Count == 0 ? null : StoreJson.Deserialize<PlanEntry>(response.Kvs[0].Value.ToStringUtf8());
        }, cancellationToken);

    public Task<bool> RejectPlanAsync(string endpoint, Generation generation, string actor, string reason, CancellationToken cancellationToken = default)
    {
        var key = Keys.Plan(endpoint, generation.Value);
        return WriteAsync(async (attempt, token) =>
        {
            var plan = await attempt.GetAsync<PlanEntry>(key, token);
            if (plan is null || plan.WasApplied || plan.IsRejected)
            {
                return false;
            }

            attempt.RequireUnchanged(key);
            attempt.Put(key, plan with { RejectedReason = reason });
            attempt.Audit(actor, "plan.rejected", endpoint, $"{generation}: {reason}");
            attempt.Feed(new PlanRejectedChange(attempt.TakeRevision(), endpoint, generation));
            return true;
        }, [key], [], cancellationToken);
    }

    public Task<IReadOnlyList<ApplyOutcome>> ConditionalApplyAsync(IReadOnlyList<ApplyRequest> requests, string enactorId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return BatchAsync(
            requests,
            r => [Keys.Applied(r.Endpoint), Keys.Plan(r.Endpoint, r.Generation.Value), Keys.Spec(r.Endpoint), Keys.EndpointFreeze(r.Endpoint)],
            _ => [],
            (attempt, request, token) => ApplyAsync(attempt, request, enactorId, token),
            [Keys.GlobalFreeze],
            cancellationToken);
    }

    /// <summary>
    /// The fence of one request. The txn compares the endpoint's applied state with what this decision read: if another
    /// enactor applied in between, nothing of this txn happens and the request is decided again against the new state.
    /// </summary>
    private async Task<ApplyOutcome> ApplyAsync(EtcdAttempt attempt, ApplyRequest request, string enactorId, CancellationToken token)
    {
        var (endpoint, generation) = request;
        var appliedKey = Keys.Applied(endpoint);
        var current = (await attempt.GetAsync<AppliedState>(appliedKey, token))?.Generation ?? Generation.None;
        attempt.RequireUnchanged(appliedKey);
        if (generation <= current)
        {
            return ApplyOutcome.Stale(current);
        }

        var planKey = Keys.Plan(endpoint, generation.Value);
        var plan = await attempt.GetAsync<PlanEntry>(planKey, token);
        var spec = await attempt.GetAsync<EndpointSpec>(Keys.Spec(endpoint), token);
        if (plan is null || spec is null)
        {
            return ApplyOutcome.Rejected(current, $"plan {generation} does not exist");
        }

        if (plan.IsRejected)
        {
            return ApplyOutcome.Rejected(current, $"plan {generation} was rejected: {plan.RejectedReason}");
        }

        if (plan.Plan.Records.IsDefaultOrEmpty)
        {
            return ApplyOutcome.Rejected(current, $"plan {generation} has no records");
        }

        var freeze = await attempt.GetAsync<FreezeSwitch>(Keys.GlobalFreeze, token) ?? await attempt.GetAsync<FreezeSwitch>(Keys.EndpointFreeze(endpoint), token);
        if (freeze is not null)
        {
            return ApplyOutcome.Frozen(current, freeze.Reason);
        }

        var revision = attempt.TakeRevision();
        var now = attempt.Now;
        attempt.RequireUnchanged(planKey);
        attempt.Put(appliedKey, new AppliedState(endpoint, generation, plan.Plan.Records, enactorId, now, revision));
        attempt.Put(planKey, plan with { FirstAppliedAt = plan.FirstAppliedAt ?? now });
        await attempt.TouchAsync(spec.Zone, token);
        attempt.Feed(new AppliedChange(revision, endpoint, spec.Zone, generation, plan.Plan.Records, enactorId, now));
        attempt.Audit(enactorId, "apply.applied", endpoint, $"{current} -> {generation} ({plan.Plan.Records.Length} records)");
        return ApplyOutcome.Applied(generation, revision);
    }

    public Task<IReadOnlyList<CleanupOutcome>> CleanupAsync(IReadOnlyList<CleanupRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var request in requests)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(request.Keep);
        }

        return BatchAsync(
            requests,
            r => [Keys.Applied(r.Endpoint)],
            r => [Keys.Plans(r.Endpoint)],
            async (attempt, request, token) =>
            {
                var (endpoint, keep, retain) = request;
                var appliedKey = Keys.Applied(endpoint);
                var applied = (await attempt.GetAsync<AppliedState>(appliedKey, token))?.Generation ?? Generation.None;
                if (applied == Generation.None)
                {
                    return new CleanupOutcome(endpoint, applied, []);
                }

                var plans = await attempt.RangeAsync<PlanEntry>(Keys.Plans(endpoint), token);
                // At most a quarter of a txn's operations per endpoint: the rest goes at the next cleanup.
                var victims = CleanupPolicy.Select(plans, applied, keep, attempt.Now - retain).Take(Options.MaxOperationsPerTransaction / 4).ToList();
                if (victims.Count == 0)
                {
                    return new CleanupOutcome(endpoint, applied, []);
                }

                // The applied generation this decision measured against must still be the applied one at commit.
                attempt.RequireUnchanged(appliedKey);
                foreach (var g in victims)
                {
                    attempt.Delete(Keys.Plan(endpoint, g.Value));
                }

                attempt.Audit("cleanup", "cleanup.deleted", endpoint, $"below applied {applied}: {string.Join(' ', victims)}");
                return new CleanupOutcome(endpoint, applied, victims);
            },
            [],
            cancellationToken);
    }

    public Task<Page<PendingEndpoint>> ListPendingAsync(string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync(async token =>
        {
            var items = new List<PendingEndpoint>();
            var from = after;
            while (true)
            {
                var page = await ReadEndpointPageAsync(from, Math.Max(limit, 200), EndpointParts.Applied | EndpointParts.Plans, 0, token);
                foreach (var endpoint in page.Endpoints)
                {
                    var latest = endpoint.LatestValidPlan?.Plan.Generation ?? Generation.None;
                    var applied = endpoint.Applied?.Generation ?? Generation.None;
                    if (latest <= applied)
                    {
                        continue;
                    }

                    if (items.Count == limit)
                    {
                        return new Page<PendingEndpoint>(items, items[^1].Endpoint);
                    }

                    items.Add(new PendingEndpoint(endpoint.Name, latest, applied));
                }

                if (!page.More)
                {
                    return new Page<PendingEndpoint>(items, null);
                }

                from = page.Endpoints[^1].Name;
            }
        }, cancellationToken);
    }

    /// <summary>Raises the generation counter to at least <paramref name="generation"/> in the attempt's txn (a plan written with a number the counter never gave).</summary>
    private async Task RaiseGenerationAsync(EtcdAttempt attempt, Generation generation, CancellationToken token)
    {
        var bytes = await attempt.GetBytesAsync(Keys.Generation, token);
        var counter = bytes is null ? 0 : long.Parse(Encoding.UTF8.GetString(bytes), NumberStyles.None, CultureInfo.InvariantCulture);
        if (generation.Value > counter)
        {
            attempt.RequireUnchanged(Keys.Generation);
            attempt.PutBytes(Keys.Generation, Encoding.UTF8.GetBytes(generation.Value.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
