using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Observability;
using Holdfast.ControlPlane.Store;

namespace Holdfast.ControlPlane.Enactment;

/// <summary>
/// An enactor: a level-triggered reconciler. Each pass compares, for every endpoint, the newest valid plan
/// with what is applied and asks the store for a fenced conditional apply; then runs safe cleanup. It keeps
/// no memory between passes, so it converges from whatever state the store is in — a crash, a lost
/// response, a missing applied plan, a rejected latest plan — and it never waits for another enactor: the
/// store's fence decides every race.
/// </summary>
/// <remarks>
/// Per endpoint, newest unapplied plan first:
/// <code>
/// re-check refuses      → mark the plan rejected (alarm), try the next older unapplied plan
/// Applied               → done
/// Stale                 → done (someone applied this or newer; the fence held)
/// Frozen                → done (an operator holds the endpoint)
/// Rejected by the store → the plan vanished or was rejected meanwhile: try the next older one
/// exception             → report; the next pass reads the store again (an ambiguous apply is resolved there)
/// </code>
/// Not thread-safe: one pass at a time per instance (<see cref="RunAsync"/> guarantees that).
/// </remarks>
public sealed class Enactor
{
    private readonly IControlStore _store;
    private readonly EnactorOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly IControlPlaneObserver _observer;

    public Enactor(string id, IControlStore store, EnactorOptions options, TimeProvider time, Random random, IControlPlaneObserver? observer = null)
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
    }

    /// <summary>The enactor's name, recorded with every apply (usually its availability zone).</summary>
    public string Id { get; }

    /// <summary>Reconciles until cancelled, waiting a jittered interval between passes. Never throws but on cancellation.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        ReconcileLoop.RunAsync(ReconcileOnceAsync, ex => _observer.PassFailed(Id, null, ex), _options.Interval, _options.Jitter, _time, _random, cancellationToken);

    /// <summary>One pass over every endpoint. Store errors for one endpoint do not stop the others.</summary>
    public async Task<EnactorPass> ReconcileOnceAsync(CancellationToken cancellationToken = default)
    {
        var steps = new List<EnactorStep>();
        var endpoints = await _store.ListPlannedEndpointsAsync(cancellationToken);
        var specs = (await _store.ListEndpointsAsync(cancellationToken)).ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            try
            {
                await ReconcileEndpointAsync(endpoint, specs.GetValueOrDefault(endpoint), steps, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                steps.Add(new EnactorStep(endpoint, Generation.None, null, Error: ex));
                _observer.PassFailed(Id, endpoint, ex);
            }
        }

        var pass = new EnactorPass(Id, steps);
        _observer.EnactorPassCompleted(pass);
        return pass;
    }

    private async Task ReconcileEndpointAsync(string endpoint, EndpointSpec? spec, List<EnactorStep> steps, CancellationToken cancellationToken)
    {
        var applied = (await _store.GetAppliedAsync(endpoint, cancellationToken))?.Generation ?? Generation.None;
        var plans = await _store.ListPlansAsync(endpoint, cancellationToken);
        for (var i = plans.Count - 1; i >= 0; i--)
        {
            var entry = plans[i];
            if (entry.Plan.Generation <= applied)
            {
                break;
            }

            if (entry.IsRejected)
            {
                continue;
            }

            var recheck = EnactorRecheck.Check(entry.Plan, spec);
            if (recheck.Verdict == GuardrailVerdict.Refused)
            {
                _observer.GuardrailFired(Id, endpoint, recheck);
                await _store.RejectPlanAsync(endpoint, entry.Plan.Generation, Id, recheck.Reason, cancellationToken);
                steps.Add(new EnactorStep(endpoint, entry.Plan.Generation, null, Refusal: recheck.Reason));
                continue;
            }

            var outcome = await _store.ConditionalApplyAsync(endpoint, entry.Plan.Generation, Id, cancellationToken);
            _observer.ApplyAttempted(Id, endpoint, entry.Plan.Generation, outcome);
            steps.Add(new EnactorStep(endpoint, entry.Plan.Generation, outcome));
            if (outcome.Status != ApplyStatus.Rejected)
            {
                break;
            }
        }

        // Keep the velocity window's history: the planner counts removals from it.
        var cleanup = await _store.CleanupAsync(endpoint, _options.KeepPlans, spec?.Policy.Window ?? TimeSpan.Zero, cancellationToken);
        if (cleanup.Deleted.Count > 0)
        {
            _observer.CleanedUp(Id, endpoint, cleanup);
        }
    }
}
