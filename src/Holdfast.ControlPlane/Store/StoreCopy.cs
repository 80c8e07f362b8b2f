using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// Copies one control store into another, empty one, through the store contract only (so any store to any store:
/// SQLite to etcd is the upgrade path), then reads the target back and compares it with the source. Offline: nothing
/// may write either store meanwhile (the SQLite store's lock refuses a running <c>holdfast up</c>).
/// </summary>
/// <remarks>
/// <para>The target's own writes go through the same operations the control plane uses, so every rule holds in the copy
/// too. Order: the audit history first (so it stays in front of what the copy itself audits), zones and zone-file
/// digests, then per page of endpoints: the specs; the plans up to the applied generation, oldest first (a plan write
/// must be above the endpoint's plans); the fenced apply of the applied generation; the newer plans; rejections as
/// they were; last, the freezes (a frozen endpoint refuses the copy's apply) and self-preservation releases.</para>
/// <para>What differs by nature: sequence numbers and revisions are the target's own; an applied state names
/// <see cref="Enactor"/> and the time of the copy; a release of self-preservation carries the copy's time.</para>
/// </remarks>
public static class StoreCopy
{
    /// <summary>The enactor id and audit actor of the copy's writes.</summary>
    public const string Enactor = "store-copy";

    private const int PageSize = 256;

    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/>; throws <see cref="InvalidOperationException"/> when the target is not empty or a write is refused.</summary>
    public static async Task<StoreCopyReport> CopyAsync(IControlStore source, IControlStore target, string description, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if ((await target.ListZonesAsync(cancellationToken)).Count > 0 || await target.CountEndpointsAsync(cancellationToken) > 0)
        {
            throw new InvalidOperationException("the target store already holds zones or endpoints: copy only into an empty store (a new etcd prefix)");
        }

        var audit = await CopyAuditAsync(source, target, cancellationToken);
        var zones = await source.ListZonesAsync(cancellationToken);
        foreach (var zone in zones)
        {
            await target.PutZoneAsync(zone.Spec, Enactor, cancellationToken);
            if (zone.StaticDigest is { } digest)
            {
                await target.SetStaticZoneAsync(zone.Spec.Apex, digest, Enactor, cancellationToken);
            }
        }

        var maxGeneration = 0L;
        var endpoints = 0;
        var plans = 0;
        var applied = 0;
        string? after = null;
        do
        {
            var page = await source.ListEndpointsAsync(after, PageSize, EndpointParts.All, cancellationToken);
            var items = page.Items.Where(e => e.Spec is not null).ToList();
            if (items.Count > 0)
            {
                var top = items.SelectMany(e => e.Plans.Select(p => p.Plan.Generation.Value).Append(e.Applied?.Generation.Value ?? 0)).Max();
                if (top > maxGeneration)
                {
                    // Generations are never reused: the target's counter passes every generation copied before one is written.
                    await target.AllocateGenerationsAsync((int)Math.Min(int.MaxValue, top - maxGeneration), cancellationToken);
                    maxGeneration = top;
                }

                Check(await target.PutEndpointsAsync([.. items.Select(e => e.Spec!)], Enactor, cancellationToken), o => o != EndpointWriteOutcome.Unchanged, "endpoint", items.Select(e => e.Name));
                plans += await WritePlansAsync(target, items, e => e.Applied is { } a ? e.Plans.Where(p => p.Plan.Generation <= a.Generation) : [], cancellationToken);
                var live = items.Where(e => e.Applied is not null).ToList();
                if (live.Count > 0)
                {
                    var outcomes = await target.ConditionalApplyAsync([.. live.Select(e => new ApplyRequest(e.Name, e.Applied!.Generation))], Enactor, cancellationToken);
                    Check(outcomes, o => o.Status == ApplyStatus.Applied, "apply", live.Select(e => e.Name));
                    applied += live.Count;
                }

                plans += await WritePlansAsync(target, items, e => e.Plans.Where(p => p.Plan.Generation > (e.Applied?.Generation ?? Generation.None)), cancellationToken);
                endpoints += items.Count;
            }

            after = page.Next;
        }
        while (after is not null);

        var freeze = await source.GetFreezeAsync(cancellationToken);
        foreach (var (endpoint, frozen) in freeze.Endpoints)
        {
            await target.SetFreezeAsync(endpoint, frozen.Reason, frozen.Actor, cancellationToken);
        }

        if (freeze.Global is { } global)
        {
            await target.SetFreezeAsync(null, global.Reason, global.Actor, cancellationToken);
        }

        foreach (var zone in (await source.GetSelfPreservationReleasesAsync(cancellationToken)).Keys)
        {
            await target.ReleaseSelfPreservationAsync(zone, Enactor, "copied from " + description, cancellationToken);
        }

        await target.AppendAuditAsync([new AuditEntry(0, time.GetUtcNow(), Enactor, "store.copied", null, $"copied from {description}: {zones.Count} zones, {endpoints} endpoints, {plans} plans, {applied} applied, {audit} audit entries")], cancellationToken);
        return new StoreCopyReport(zones.Count, endpoints, plans, applied, audit, freeze.Endpoints.Count + (freeze.Global is null ? 0 : 1));
    }

    /// <summary>Reads both stores and names every difference (empty when the target holds what the source holds).</summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(IControlStore source, IControlStore target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var differences = new List<string>();
        var sourceZones = (await source.ListZonesAsync(cancellationToken)).ToDictionary(z => z.Spec.Apex, StringComparer.Ordinal);
        var targetZones = (await target.ListZonesAsync(cancellationToken)).ToDictionary(z => z.Spec.Apex, StringComparer.Ordinal);
        foreach (var (apex, zone) in sourceZones)
        {
            if (!targetZones.TryGetValue(apex, out var copy) || copy.Spec != zone.Spec || copy.StaticDigest != zone.StaticDigest)
            {
                differences.Add($"zone {apex}: not copied as it is");
            }
        }

        differences.AddRange(targetZones.Keys.Except(sourceZones.Keys).Select(apex => $"zone {apex}: only in the target"));
        var count = 0;
        string? after = null;
        do
        {
            var page = await source.ListEndpointsAsync(after, PageSize, EndpointParts.All, cancellationToken);
            var copies = (await target.ReadEndpointsAsync([.. page.Items.Select(e => e.Name)], EndpointParts.All, cancellationToken)).ToDictionary(e => e.Name, StringComparer.Ordinal);
            foreach (var endpoint in page.Items.Where(e => e.Spec is not null))
            {
                count++;
                if (!copies.TryGetValue(endpoint.Name, out var copy) || copy.Spec is null)
                {
                    differences.Add($"endpoint {endpoint.Name}: missing in the target");
                    continue;
                }

                if (copy.Spec != endpoint.Spec)
                {
                    differences.Add($"endpoint {endpoint.Name}: spec differs");
                }

                if (endpoint.Applied?.Generation != copy.Applied?.Generation || !(endpoint.Applied?.Records ?? []).SequenceEqual(copy.Applied?.Records ?? []))
                {
                    differences.Add($"endpoint {endpoint.Name}: applied {endpoint.Applied?.Generation} in the source, {copy.Applied?.Generation} in the target");
                }

                if (!endpoint.Plans.Select(Key).SequenceEqual(copy.Plans.Select(Key)))
                {
                    differences.Add($"endpoint {endpoint.Name}: plans differ ({string.Join(", ", endpoint.Plans.Select(Key))} against {string.Join(", ", copy.Plans.Select(Key))})");
                }
            }

            after = page.Next;
        }
        while (after is not null);

        var targetCount = await target.CountEndpointsAsync(cancellationToken);
        if (targetCount != count)
        {
            differences.Add($"the target holds {targetCount} endpoints, the source {count}");
        }

        var (from, to) = (await source.GetFreezeAsync(cancellationToken), await target.GetFreezeAsync(cancellationToken));
        if (from.Global?.Reason != to.Global?.Reason || !from.Endpoints.Keys.Order(StringComparer.Ordinal).SequenceEqual(to.Endpoints.Keys.Order(StringComparer.Ordinal)))
        {
            differences.Add("freezes differ");
        }

        return differences;
    }

    private static string Key(PlanEntry entry) =>
        $"{entry.Plan.Generation}{(entry.IsRejected ? " rejected" : "")} [{string.Join(' ', entry.Plan.Records.Select(r => r.TargetId + "=" + r.Address))}]";

    private static async Task<long> CopyAuditAsync(IControlStore source, IControlStore target, CancellationToken cancellationToken)
    {
        var copied = 0L;
        var after = 0L;
        while (true)
        {
            var batch = await source.ReadAuditAsync(after, 1000, cancellationToken);
            if (batch.Count == 0)
            {
                return copied;
            }

            await target.AppendAuditAsync([.. batch.Select(e => e with { Sequence = 0 })], cancellationToken);
            copied += batch.Count;
            after = batch[^1].Sequence;
        }
    }

    /// <summary>Writes the chosen plans of every endpoint, round by round (the i-th plan of each endpoint per batch, oldest first), and rejects those the source rejected.</summary>
    private static async Task<int> WritePlansAsync(IControlStore target, IReadOnlyList<StoredEndpoint> endpoints, Func<StoredEndpoint, IEnumerable<PlanEntry>> choose, CancellationToken cancellationToken)
    {
        var chosen = endpoints.Select(e => choose(e).ToList()).ToList();
        var written = 0;
        for (var round = 0; ; round++)
        {
            var batch = chosen.Where(p => p.Count > round).Select(p => p[round]).ToList();
            if (batch.Count == 0)
            {
                return written;
            }

            var outcomes = await target.WritePlansAsync([.. batch.Select(p => new PlanWrite(p.Plan, Enactor))], cancellationToken);
            Check(outcomes, o => o.Written, "plan", batch.Select(p => $"{p.Plan.Endpoint} {p.Plan.Generation}"));
            foreach (var rejected in batch.Where(p => p.IsRejected))
            {
                await target.RejectPlanAsync(rejected.Plan.Endpoint, rejected.Plan.Generation, Enactor, rejected.RejectedReason!, cancellationToken);
            }

            written += batch.Count;
        }
    }

    private static void Check<T>(IReadOnlyList<T> outcomes, Func<T, bool> succeeded, string what, IEnumerable<string> names)
    {
        var failed = outcomes.Zip(names).Where(p => !succeeded(p.First)).Select(p => $"{p.Second}: {p.First}").ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"the target refused {failed.Count} {what} write(s), first {failed[0]}");
        }
    }
}

/// <summary>What <see cref="StoreCopy.CopyAsync"/> copied.</summary>
public sealed record StoreCopyReport(int Zones, int Endpoints, int Plans, int Applied, long AuditEntries, int Freezes);
