using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Operations;
using Holdfast.ControlPlane.Planning;
using Holdfast.ControlPlane.Store;
using Holdfast.Server.Hosting;

namespace Holdfast.Server.Api;

/// <summary>
/// The operator's actions the HTTP API and the dashboard share: freeze and unfreeze, rollback (dry run or for real)
/// and resume. Each is audited by the store with <c>actor</c> in the transaction that makes the change; a refusal is
/// an <see cref="ApiProblem"/> saying why, and changes nothing. The caller has already checked who may act.
/// </summary>
/// <remarks>
/// Built from the running control plane's parts (the planner exists once the host's control plane started), so it is
/// resolved per request, never while the web application is being built.
/// </remarks>
public sealed class HoldfastActions
{
    private readonly IControlStore _store;
    private readonly ControlPlaneOperations _operations;
    private readonly PlannerLoop _planner;
    private readonly HostObserver _observer;

    internal HoldfastActions(IControlStore store, ControlPlaneOperations operations, PlannerLoop planner, HostObserver observer)
    {
        _store = store;
        _operations = operations;
        _planner = planner;
        _observer = observer;
    }

    /// <summary>Sets (or clears) the freeze of <paramref name="endpoint"/>, or the global one when it is null.</summary>
    public async Task<ApiOutcome<FreezeView>> FreezeAsync(string? endpoint, bool freeze, string? reason, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return ApiProblem.Invalid([("reason", "is required: say why, it goes into the audit log")]);
        }

        if (endpoint is not null && await _store.GetEndpointAsync(endpoint, ct) is null)
        {
            return ApiProblem.NotFound($"endpoint '{endpoint}' does not exist");
        }

        if (freeze)
        {
            await _operations.FreezeAsync(endpoint, reason, actor, ct);
        }
        else
        {
            await _operations.UnfreezeAsync(endpoint, reason, actor, ct);
        }

        var state = await _store.GetFreezeAsync(ct);
        return new FreezeView(state.Global is not null, state.Global?.Reason, [.. state.Endpoints.Keys.Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// A rollback of <paramref name="name"/> to <paramref name="to"/> (a generation, <c>12</c> or <c>g12</c>, or
    /// <c>last-good</c>): with <paramref name="dryRun"/> only what it would do; otherwise a new plan with a higher
    /// generation and the old records, or a 409 saying why not.
    /// </summary>
    public async Task<ApiOutcome<RollbackView>> RollbackAsync(string name, string? to, string? reason, string actor, bool overrideGuardrails, bool dryRun, CancellationToken ct)
    {
        var errors = new List<(string, string)>();
        Generation? target = null;
        if (string.IsNullOrWhiteSpace(to))
        {
            errors.Add(("to", "is required: a generation such as 12 or g12, or last-good"));
        }
        else if (!string.Equals(to.Trim(), "last-good", StringComparison.OrdinalIgnoreCase))
        {
            if (ApiNames.TryGeneration(to, out var g))
            {
                target = g;
            }
            else
            {
                errors.Add(("to", $"expected a generation such as 12 or g12, or last-good, got '{to}'"));
            }
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(("reason", "is required"));
        }

        if (errors.Count > 0)
        {
            return ApiProblem.Invalid(errors);
        }

        if (await _store.GetEndpointAsync(name, ct) is null)
        {
            return ApiProblem.NotFound($"endpoint '{name}' does not exist");
        }

        var rollback = new RollbackRequest(name, target, reason!, actor, overrideGuardrails ? reason : null);
        var applied = await _store.GetAppliedAsync(name, ct);
        if (dryRun)
        {
            return View(await _operations.PreviewRollbackAsync(rollback, ct), applied, dryRun: true, written: null);
        }

        var (result, plan) = await _operations.RollbackAsync(rollback, ct);
        var view = View(result, applied, dryRun: false, plan?.Generation);
        if (plan is not null)
        {
            _observer.PlanWritten(plan);
            return view;
        }

        return ApiProblem.Conflict("rollback refused: " + result.Message, new Dictionary<string, object?> { ["rollback"] = view });
    }

    /// <summary>Hands an endpoint pinned by a rollback back to the planner, which writes its plan now.</summary>
    public async Task<ApiOutcome<PlanView>> ResumeAsync(string name, string? reason, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return ApiProblem.Invalid([("reason", "is required: say why, it goes into the audit log")]);
        }

        if (await _store.GetEndpointAsync(name, ct) is null)
        {
            return ApiProblem.NotFound($"endpoint '{name}' does not exist");
        }

        // The resume is audited in the transaction that writes the planner's plan.
        var plan = await _planner.ResumeAsync(name, actor, reason, ct);
        if (plan is null)
        {
            return ApiProblem.Conflict($"'{name}' is not pinned by a rollback; the planner already owns it");
        }

        return ApiViews.Plan(new PlanEntry(plan), await _store.GetAppliedAsync(name, ct));
    }

    /// <summary>What the planner would write for <paramref name="name"/> now, against its latest valid plan; writes nothing.</summary>
    public async Task<ApiOutcome<DryRunView>> DryRunAsync(string name, CancellationToken ct)
    {
        var result = await _planner.DryRunAsync(name, ct);
        if (result is null)
        {
            return ApiProblem.NotFound($"endpoint '{name}' does not exist");
        }

        var latest = await _store.GetLatestValidPlanAsync(name, ct);
        var current = latest?.Plan.Records ?? [];
        var proposed = result.Draft?.Records ?? current;
        return new DryRunView(
            result.HasChange,
            latest?.Plan.Generation.Value ?? 0,
            ApiViews.Change(current, proposed),
            [.. proposed.Select(r => r.Address.ToString())],
            [.. result.Decisions.Select(ApiViews.Decision)]);
    }

    /// <summary>Releases zone <paramref name="apex"/> from self-preservation (every planner honours it); null when released, else why not.</summary>
    public async Task<ApiProblem?> ReleaseSelfPreservationAsync(string apex, string reason, string actor, CancellationToken ct)
    {
        if ((await _store.ListZonesAsync(ct)).All(z => z.Spec.Apex != apex))
        {
            return ApiProblem.NotFound($"zone '{apex}' does not exist");
        }

        // Stored and audited in one store call.
        await _planner.ReleaseSelfPreservationAsync(apex, actor, reason, ct);
        return null;
    }

    private static RollbackView View(RollbackPreview preview, AppliedState? applied, bool dryRun, Generation? written) => new(
        preview.Allowed,
        dryRun,
        preview.Source.Value,
        preview.Applied.Value,
        preview.Message,
        preview.Draft is null ? new ChangeView([], []) : ApiViews.Change(applied?.Records ?? [], preview.Draft.Records),
        [.. preview.Decisions.Select(ApiViews.Decision)],
        written?.Value);
}
