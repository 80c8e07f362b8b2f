using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;
using Holdfast.ControlPlane.Store;
using Holdfast.Server.Hosting;

namespace Holdfast.Server.Api;

/// <summary>
/// The reads the HTTP API and the dashboard share: status, zones, a page of endpoints, one endpoint, its plans and the
/// diff between two of them. Every one is point reads or one page of the store: nothing here lists every endpoint.
/// Thread-safe (stateless over the host).
/// </summary>
public sealed class HoldfastReads
{
    /// <summary>The most endpoints in one page.</summary>
    public const int MaxPage = 10_000;

    /// <summary>What a listing row reads: the latest generation, not the history — one plan per endpoint, not all of them.</summary>
    public const EndpointParts ListedParts = EndpointParts.Spec | EndpointParts.Applied | EndpointParts.LatestPlan;

    private const int MaxAlarms = 100;
    private const int RecentEvents = 20;
    private readonly HoldfastHost _host;

    public HoldfastReads(HoldfastHost host) => _host = host;

    public async Task<StatusView> StatusAsync(CancellationToken ct)
    {
        var host = _host;
        var reasons = await host.NotReadyReasonsAsync(ct);
        var freeze = await host.Store.GetFreezeAsync(ct);
        var now = host.Time.GetUtcNow();
        return new StatusView(
            reasons.Count == 0,
            reasons,
            Path.GetFullPath(host.Options.DataDirectory),
            [.. host.DnsEndPoints.Select(e => e.ToString())],
            host.ApiAddress.ToString().TrimEnd('/'),
            (await host.Store.ListZonesAsync(ct)).Count,
            await host.Store.CountEndpointsAsync(ct),
            freeze.Global is not null,
            [.. freeze.Endpoints.Keys.Order(StringComparer.Ordinal)],
            [.. host.Enactors.Select(e =>
            {
                var pass = host.Observer.LastPass(e.Id);
                return new EnactorView(e.Id, e.Az, pass?.At, pass?.Error, e.Backlog.Waiting, Math.Round(HoldfastHost.EnactorLag(e, now).TotalSeconds, 3));
            })],
            await AlarmsAsync(ct),
            ControlStoreFactory.Describe(host.Store),
            PlannerStatus(host.Planner, now),
            await ClusterAsync(ct),
            [.. host.PushWorkers.Select(w => w.Status)]);
    }

    private static PlannerView PlannerStatus(PlannerLoop planner, DateTimeOffset now)
    {
        var (waiting, since) = planner.Backlog;
        return new PlannerView(waiting, since is { } at ? Math.Round((now - at).TotalSeconds, 3) : 0, planner.Passing, planner.LastFullPass);
    }

    // The cluster's nodes, the elected planner and how far this node's served answers trail the store; null on one node.
    private async Task<ClusterView?> ClusterAsync(CancellationToken ct)
    {
        if (_host.Membership is not { } membership)
        {
            return null;
        }

        var nodes = await membership.ListNodesAsync(ct);
        var served = _host.Feed.Revision;
        var revision = await _host.Store.GetRevisionAsync(ct);
        return new ClusterView(membership.NodeId, await membership.GetPlannerAsync(ct), [.. nodes.Select(n => new NodeView(n.NodeId, n.Description, n.Since))], served, revision, Math.Max(0, revision - served));
    }

    /// <summary>Alarms that hold now: fired alarm decisions of each endpoint's newest valid plan, and zones under self-preservation.</summary>
    public async Task<List<AlarmView>> AlarmsAsync(CancellationToken ct)
    {
        var alarms = (await _host.Store.ListAlarmsAsync(MaxAlarms, ct))
            .SelectMany(p => p.Plan.Decisions.Where(d => d.Alarm && d.Fired).Select(d => new AlarmView(p.Plan.Endpoint, d.Guardrail, ApiViews.Lower(d.Verdict), d.Reason)))
            .ToList();
        alarms.AddRange(_host.Planner.SelfPreservationState().Where(z => z.Value.Active).Select(z => new AlarmView(z.Key, GuardrailNames.SelfPreservation, "held", z.Value.Reason)));
        return alarms;
    }

    /// <summary>Every zone (or the one with <paramref name="apex"/>), with the serial DNS answers with now.</summary>
    public async Task<IReadOnlyList<ZoneView>> ZonesAsync(string? apex, CancellationToken ct)
    {
        var served = _host.Engine.Zones;
        return (await _host.Store.ListZonesAsync(ct))
            .Where(z => apex is null || z.Spec.Apex == apex)
            .Select(z =>
            {
                var snapshot = served.Find(z.Spec.Apex);
                var soa = z.Spec.Soa;
                return new ZoneView(z.Spec.Apex, snapshot?.Serial ?? z.Serial, new SoaView(soa.PrimaryNameServer, soa.ResponsibleMailbox, soa.Refresh, soa.Retry, soa.Expire, soa.Minimum), z.Spec.NameServers, z.Spec.DefaultTtl, snapshot?.Endpoints.Count ?? 0);
            })
            .ToList();
    }

    /// <summary>One page of endpoints in name order after <paramref name="after"/> (exclusive), and the name to continue after.</summary>
    public async Task<(IReadOnlyList<EndpointView> Items, string? Next)> EndpointsPageAsync(string? after, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPage);
        var freeze = await _host.Store.GetFreezeAsync(ct);
        var page = await _host.Store.ListEndpointsAsync(after, limit, ListedParts, ct);
        return ([.. page.Items.Select(s => ApiViews.Endpoint(s.Spec!, s.Applied, s.Plans, freeze))], page.Next);
    }

    /// <summary>
    /// One page of endpoints whose name starts with <paramref name="prefix"/> (empty: all), in name order after
    /// <paramref name="after"/>, with their targets' health and flags: one store page, however many endpoints exist.
    /// </summary>
    public async Task<(IReadOnlyList<EndpointSummaryView> Items, string? Next)> EndpointSummariesAsync(string prefix, string? after, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPage);
        // Names are ordered ordinally, so the names with a prefix are one run: start just before the prefix.
        var start = after is not null && string.CompareOrdinal(after, prefix) >= 0 ? after : BeforePrefix(prefix);
        var freeze = await _host.Store.GetFreezeAsync(ct);
        // One row beyond the page tells whether more names with the prefix follow: a store may name a next page that
        // holds only names past the prefix, and the dashboard should not offer a page that turns out empty.
        var page = await _host.Store.ListEndpointsAsync(start, limit + 1, ListedParts, ct);
        var items = new List<EndpointSummaryView>(Math.Min(limit, page.Items.Count));
        foreach (var stored in page.Items)
        {
            if (!stored.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return (items, null);
            }

            if (items.Count == limit)
            {
                return (items, items[^1].Endpoint.Name);
            }

            var spec = stored.Spec!;
            int up = 0, down = 0, unknown = 0;
            foreach (var target in spec.Targets)
            {
                switch (_host.Aggregator.GetTargetStatus(spec.Name, target.Id)?.Health.State)
                {
                    case HealthState.Up: up++; break;
                    case HealthState.Down: down++; break;
                    default: unknown++; break;
                }
            }

            var latest = stored.LatestValidPlan;
            items.Add(new EndpointSummaryView(
                ApiViews.Endpoint(spec, stored.Applied, stored.Plans, freeze),
                up,
                down,
                unknown,
                latest?.Plan.Origin == PlanOrigin.Rollback,
                latest?.Plan.Decisions.Any(d => d.Guardrail == GuardrailNames.FailOpen && d.Fired) ?? false));
        }

        return (items, page.Next is null ? null : items[^1].Endpoint.Name);
    }

    /// <summary>
    /// Endpoints healthy, degraded and failing open, from the aggregator's in-memory view and the store's alarm list
    /// (no listing of endpoints).
    /// </summary>
    public async Task<EndpointCountsView> CountsAsync(CancellationToken ct)
    {
        var total = await _host.Store.CountEndpointsAsync(ct);
        var alarms = await _host.Store.ListAlarmsAsync(MaxAlarms, ct);
        var failingOpen = alarms.Where(p => p.Plan.Decisions.Any(d => d.Guardrail == GuardrailNames.FailOpen && d.Fired)).Select(p => p.Plan.Endpoint).ToHashSet(StringComparer.Ordinal);
        var degraded = _host.Aggregator.GetTargetStatuses()
            .Where(t => t.Health.State == HealthState.Down && !failingOpen.Contains(t.Endpoint))
            .Select(t => t.Endpoint)
            .Distinct(StringComparer.Ordinal)
            .Count();
        return new EndpointCountsView(total, Math.Max(0, total - degraded - failingOpen.Count), degraded, failingOpen.Count, alarms.Count >= MaxAlarms);
    }

    // The greatest name below every name starting with the prefix: the prefix with its last character lowered, then the
    // highest character (DNS names never hold it). Null for an empty prefix: from the first name.
    private static string? BeforePrefix(string prefix) =>
        prefix.Length == 0 ? null : string.Concat(prefix.AsSpan(0, prefix.Length - 1), ((char)(prefix[^1] - 1)).ToString(), "\uffff");

    /// <summary>The endpoint with its targets' health per source, live and latest plans and recent events; null when it does not exist.</summary>
    public async Task<EndpointDetailView?> EndpointAsync(string name, CancellationToken ct)
    {
        var stored = await _host.Store.ReadEndpointAsync(name, EndpointParts.All, ct);
        if (stored.Spec is not { } spec)
        {
            return null;
        }

        var latest = stored.LatestValidPlan;
        var live = stored.Applied is null ? null : stored.Plans.FirstOrDefault(p => p.Plan.Generation == stored.Applied.Generation);
        var events = await _host.Store.ReadAuditForAsync(name, RecentEvents, ct);
        return new EndpointDetailView(
            ApiViews.Endpoint(spec, stored.Applied, stored.Plans, await _host.Store.GetFreezeAsync(ct)),
            latest?.Plan.Origin == PlanOrigin.Rollback,
            [.. spec.Targets.Select(t => ApiViews.Target(spec, t, stored.Applied, _host.Aggregator.GetTargetStatus(spec.Name, t.Id)))],
            live is null ? null : ApiViews.Plan(live, stored.Applied),
            latest is null ? null : ApiViews.Plan(latest, stored.Applied),
            [.. events.Select(ApiViews.Event)]);
    }

    /// <summary>The endpoint's stored plans, newest first; null when neither the endpoint nor any plan of it exists.</summary>
    public async Task<IReadOnlyList<PlanView>?> PlansAsync(string name, CancellationToken ct)
    {
        var stored = await _host.Store.ReadEndpointAsync(name, EndpointParts.All, ct);
        return stored.Spec is null && stored.Plans.Count == 0
            ? null
            : [.. stored.Plans.Reverse().Select(p => ApiViews.Plan(p, stored.Applied))];
    }

    /// <summary>
    /// The addresses two plans differ by. <paramref name="from"/> defaults to what is applied, <paramref name="to"/> to the
    /// newest valid plan; both are generation texts (<c>12</c> or <c>g12</c>).
    /// </summary>
    public async Task<ApiOutcome<DiffView>> DiffAsync(string name, string? from, string? to, CancellationToken ct)
    {
        var errors = new List<(string, string)>();
        var fromGeneration = Generation.None;
        var toGeneration = Generation.None;
        if (from is not null && !ApiNames.TryGeneration(from, out fromGeneration))
        {
            errors.Add(("from", $"expected a generation such as 12 or g12, got '{from}'"));
        }

        if (to is not null && !ApiNames.TryGeneration(to, out toGeneration))
        {
            errors.Add(("to", $"expected a generation such as 12 or g12, got '{to}'"));
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Invalid(errors);
        }

        var stored = await _host.Store.ReadEndpointAsync(name, EndpointParts.All, ct);
        if (stored.Spec is null)
        {
            return ApiProblem.NotFound($"endpoint '{name}' does not exist");
        }

        var applied = stored.Applied;
        var plans = stored.Plans;
        var fromRecords = from is null ? applied?.Records : plans.FirstOrDefault(p => p.Plan.Generation == fromGeneration)?.Plan.Records;
        if (from is null)
        {
            fromGeneration = applied?.Generation ?? Generation.None;
        }

        var latest = stored.LatestValidPlan;
        var toRecords = to is null ? latest?.Plan.Records : plans.FirstOrDefault(p => p.Plan.Generation == toGeneration)?.Plan.Records;
        if (to is null)
        {
            toGeneration = latest?.Plan.Generation ?? Generation.None;
        }

        if (from is not null && fromRecords is null)
        {
            return ApiProblem.NotFound($"plan {fromGeneration} of '{name}' does not exist (never written, or cleaned up)");
        }

        if (to is not null && toRecords is null)
        {
            return ApiProblem.NotFound($"plan {toGeneration} of '{name}' does not exist (never written, or cleaned up)");
        }

        var before = (fromRecords ?? []).Select(r => r.Address.ToString()).ToHashSet(StringComparer.Ordinal);
        var after = (toRecords ?? []).Select(r => r.Address.ToString()).ToHashSet(StringComparer.Ordinal);
        return new DiffView(
            fromGeneration.Value,
            toGeneration.Value,
            [.. after.Except(before).Order(StringComparer.Ordinal)],
            [.. before.Except(after).Order(StringComparer.Ordinal)],
            [.. before.Intersect(after).Order(StringComparer.Ordinal)]);
    }
}
