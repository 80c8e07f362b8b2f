using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Loops;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Observability;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.ControlPlane.Enactment;

/// <summary>
/// An enactor: a level-triggered reconciler woken by events. It follows the store's change feed and looks again at
/// each endpoint a plan was written for (or that was unfrozen), in batches: it compares the newest valid plan with what
/// is applied and asks the store for the fenced conditional apply, then runs safe cleanup of what it applied. A slow full
/// pass over every endpoint with pending work is the safety net (<see cref="EnactorOptions.FullPassInterval"/>), so a
/// lost wake-up delays an apply but never loses it. Nothing it keeps in memory is needed for correctness: it converges
/// from whatever state the store is in — a crash, a lost response, a missing applied plan, a rejected latest plan — and
/// it never waits for another enactor: the store's fence decides every race.
/// </summary>
/// <remarks>
/// Per endpoint, newest unapplied plan first:
/// <code>
/// re-check refuses      → mark the plan rejected (alarm), try the next older unapplied plan
/// Applied               → done (then cleanup)
/// Stale                 → done (someone applied this or newer; the fence held)
/// Frozen                → done (an operator holds the endpoint; the unfreeze wakes us)
/// Rejected by the store → the plan vanished or was rejected meanwhile: try the next older one
/// exception             → report; the next pass reads the store again (an ambiguous apply is resolved there)
/// </code>
/// When nothing changes, nothing runs but one wait on the feed. Not thread-safe: one pass at a time per instance
/// (<see cref="RunAsync"/> guarantees that).
/// </remarks>
public sealed class Enactor
{
    private readonly IControlStore _store;
    private readonly EnactorOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly IControlPlaneObserver _observer;
    private readonly GuardrailRegistry _guardrails;
    private readonly DirtySet _dirty;

    /// <param name="guardrails">What the re-check checks: the registry the planner plans with. Default <see cref="GuardrailRegistry.Default"/>.</param>
    public Enactor(string id, IControlStore store, EnactorOptions options, TimeProvider time, Random random, IControlPlaneObserver? observer = null, GuardrailRegistry? guardrails = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        Id = id;
        _store = store;
        _options = options;
        _time = time;
        _random = random;
        _observer = observer ?? NullControlPlaneObserver.Instance;
        _guardrails = guardrails ?? GuardrailRegistry.Default;
        _dirty = new DirtySet(time);
    }

    /// <summary>The enactor's name, recorded with every apply (usually its availability zone).</summary>
    public string Id { get; }

    /// <summary>Endpoints waiting to be looked at, and since when the oldest waits (null when none): the enactor's lag.</summary>
    public (int Waiting, DateTimeOffset? Since) Backlog => (_dirty.Count, _dirty.OldestMark);

    /// <summary>
    /// Reconciles until cancelled: a full pass first, then every endpoint the change feed names, with a full pass every
    /// <see cref="EnactorOptions.FullPassInterval"/> (± jitter). Never throws but on cancellation.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        new WorkerLoop(_store, _dirty, _time, _random, new WorkerLoopTimings(_options.FullPassInterval, _options.Jitter, _options.WakeDelay, _options.FeedWait))
            .RunAsync(OnChangesAsync, ReconcileOnceAsync, ReconcileAsync, ex => _observer.PassFailed(Id, null, ex), cancellationToken);

    private Task OnChangesAsync(ChangePage page)
    {
        if (page.Compacted)
        {
            _dirty.RequestFullPass();
            return Task.CompletedTask;
        }

        foreach (var change in page.Changes)
        {
            switch (change)
            {
                case PlanWrittenChange written:
                    _dirty.Mark(written.Endpoint);
                    break;
                case FreezeChange { Frozen: false, Endpoint: null }:
                    _dirty.RequestFullPass();
                    break;
                case FreezeChange { Frozen: false, Endpoint: { } endpoint }:
                    _dirty.Mark(endpoint);
                    break;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>One full pass: every endpoint whose newest valid plan is above what is applied, in batches.</summary>
    public async Task<EnactorPass> ReconcileOnceAsync(CancellationToken cancellationToken = default)
    {
        var steps = new List<EnactorStep>();
        string? after = null;
        do
        {
            var page = await _store.ListPendingAsync(after, _options.BatchSize, cancellationToken);
            await ReconcileBatchAsync([.. page.Items.Select(p => p.Endpoint)], steps, cancellationToken);
            after = page.Next;
        }
        while (after is not null);

        return Completed(steps, full: true);
    }

    /// <summary>One pass over <paramref name="endpoints"/> (the dirty path), in batches.</summary>
    public async Task<EnactorPass> ReconcileAsync(IReadOnlyCollection<string> endpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var steps = new List<EnactorStep>();
        foreach (var batch in endpoints.Chunk(_options.BatchSize))
        {
            await ReconcileBatchAsync(batch, steps, cancellationToken);
        }

        return Completed(steps, full: false);
    }

    private EnactorPass Completed(List<EnactorStep> steps, bool full)
    {
        var pass = new EnactorPass(Id, steps, full, _time.GetUtcNow());
        _observer.EnactorPassCompleted(pass);
        return pass;
    }

    private async Task ReconcileBatchAsync(string[] names, List<EnactorStep> steps, CancellationToken cancellationToken)
    {
        if (names.Length == 0)
        {
            return;
        }

        IReadOnlyList<StoredEndpoint> endpoints;
        try
        {
            endpoints = await _store.ReadEndpointsAsync(names, EndpointParts.All, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (names.Length > 1)
            {
                // One unreadable endpoint must not stop the others: read them one by one.
                foreach (var name in names)
                {
                    await ReconcileBatchAsync([name], steps, cancellationToken);
                }

                return;
            }

            steps.Add(new EnactorStep(names[0], Generation.None, null, Error: ex));
            _observer.PassFailed(Id, names[0], ex);
            return;
        }

        // Per endpoint, its unapplied, unrejected plans above what is applied, newest first: the candidates, in order.
        var candidates = new Dictionary<string, Queue<PlanEntry>>(StringComparer.Ordinal);
        var stored = new Dictionary<string, StoredEndpoint>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            var applied = endpoint.Applied?.Generation ?? Generation.None;
            var queue = new Queue<PlanEntry>(endpoint.Plans.Where(p => p.Plan.Generation > applied && !p.IsRejected).OrderByDescending(p => p.Plan.Generation));
            if (queue.Count > 0)
            {
                candidates[endpoint.Name] = queue;
                stored[endpoint.Name] = endpoint;
            }
        }

        var applies = new List<(string Endpoint, TimeSpan Retain)>();
        var now = _time.GetUtcNow();
        while (candidates.Count > 0)
        {
            var requests = new List<ApplyRequest>();
            foreach (var (name, queue) in candidates)
            {
                if (await NextAcceptableAsync(stored[name], queue, now, steps, cancellationToken) is { } plan)
                {
                    requests.Add(new ApplyRequest(name, plan.Generation));
                }
            }

            if (requests.Count == 0)
            {
                break;
            }

            IReadOnlyList<ApplyOutcome> outcomes;
            try
            {
                outcomes = await _store.ConditionalApplyAsync(requests, Id, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Ambiguous: the batch may or may not have committed. The next pass reads the store and decides again.
                steps.AddRange(requests.Select(r => new EnactorStep(r.Endpoint, r.Generation, null, Error: ex)));
                _observer.PassFailed(Id, requests[0].Endpoint, ex);
                break;
            }

            var retry = new Dictionary<string, Queue<PlanEntry>>(StringComparer.Ordinal);
            for (var i = 0; i < requests.Count; i++)
            {
                var (name, generation) = requests[i];
                var outcome = outcomes[i];
                _observer.ApplyAttempted(Id, name, generation, outcome);
                steps.Add(new EnactorStep(name, generation, outcome));
                if (outcome.Status == ApplyStatus.Applied)
                {
                    // Keep the velocity window's history: the planner counts removals from it.
                    applies.Add((name, stored[name].Spec?.Policy.Window ?? TimeSpan.Zero));
                }
                else if (outcome.Status == ApplyStatus.Rejected && candidates[name].Count > 0)
                {
                    retry[name] = candidates[name];
                }
            }

            candidates = retry;
        }

        await CleanUpAsync(applies, steps, cancellationToken);
    }

    /// <summary>The newest candidate the re-check accepts; refused ones are marked rejected in the store, with an alarm.</summary>
    private async Task<Plan?> NextAcceptableAsync(StoredEndpoint stored, Queue<PlanEntry> candidates, DateTimeOffset now, List<EnactorStep> steps, CancellationToken cancellationToken)
    {
        var endpoint = stored.Name;
        while (candidates.TryDequeue(out var entry))
        {
            var recheck = EnactorRecheck.Check(entry.Plan, stored, now, _guardrails);
            if (recheck.Verdict != GuardrailVerdict.Refused)
            {
                return entry.Plan;
            }

            _observer.GuardrailFired(Id, endpoint, recheck);
            await _store.RejectPlanAsync(endpoint, entry.Plan.Generation, Id, recheck.Reason, cancellationToken);
            steps.Add(new EnactorStep(endpoint, entry.Plan.Generation, null, Refusal: recheck.Reason));
        }

        return null;
    }

    private async Task CleanUpAsync(List<(string Endpoint, TimeSpan Retain)> applied, List<EnactorStep> steps, CancellationToken cancellationToken)
    {
        if (applied.Count == 0)
        {
            return;
        }

        try
        {
            var outcomes = await _store.CleanupAsync([.. applied.Select(a => new CleanupRequest(a.Endpoint, _options.KeepPlans, a.Retain))], cancellationToken);
            foreach (var outcome in outcomes.Where(o => o.Deleted.Count > 0))
            {
                _observer.CleanedUp(Id, outcome.Endpoint, outcome);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Cleanup only saves space: the next apply of the endpoint cleans up again.
            steps.Add(new EnactorStep(applied[0].Endpoint, Generation.None, null, Error: ex));
            _observer.PassFailed(Id, applied[0].Endpoint, ex);
        }
    }
}
