using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Operations;
using Holdfast.ControlPlane.Store;
using Holdfast.Server.Hosting;

namespace Holdfast.Server.Api;

/// <summary>
/// The operator's actions the HTTP API and the dashboard share: freeze and unfreeze, rollback (dry run or for real)
/// and resume. Each is audited by the store with <c>actor</c> in the transaction that makes the change; a refusal is
/// an <see cref="ApiProblem"/> saying why, and changes nothing. The caller has already checked who may act.
/// </summary>
public sealed class HoldfastActions
{
    private readonly HoldfastHost _host;

    public HoldfastActions(HoldfastHost host) => _host = host;

    /// <summary>Sets (or clears) the freeze of <paramref name="endpoint"/>, or the global one when it is null.</summary>
    public async Task<ApiOutcome<FreezeView>> FreezeAsync(string? endpoint, bool freeze, string? reason, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return ApiProblem.Invalid([("reason", "is required: say why, it goes into the audit log")]);
        }

        if (endpoint is not null && await _host.Store.GetEndpointAsync(endpoint, ct) is null)
        {
            return ApiProblem.NotFound($"endpoint '{endpoint}' does not exist");
        }

        if (freeze)
        {
            await _host.Operations.FreezeAsync(endpoint, reason, actor, ct);
        }
        else
        {
            await _host.Operations.UnfreezeAsync(endpoint, reason, actor, ct);
        }

        var state = await _host.Store.GetFreezeAsync(ct);
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

        if (await _host.Store.GetEndpointAsync(name, ct) is null)
        {
            return ApiProblem.NotFound($"endpoint '{name}' does not exist");
        }

        var rollback = new RollbackRequest(name, target, reason!, actor, overrideGuardrails ? reason : null);
        var applied = await _host.Store.GetAppliedAsync(name, ct);
        if (dryRun)
        {
            return View(await _host.Operations.PreviewRollbackAsync(rollback, ct), applied, dryRun: true, written: null);
        }

        var (result, plan) = await _host.Operations.RollbackAsync(rollback, ct);
        var view = View(result, applied, dryRun: false, plan?.Generation);
        if (plan is not null)
        {
            _host.Observer.PlanWritten(plan);
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

        if (await _host.Store.GetEndpointAsync(name, ct) is null)
        {
            return ApiProblem.NotFound($"endpoint '{name}' does not exist");
        }

        // The resume is audited in the transaction that writes the planner's plan.
        var plan = await _host.Planner.ResumeAsync(name, actor, reason, ct);
        if (plan is null)
        {
            return ApiProblem.Conflict($"'{name}' is not pinned by a rollback; the planner already owns it");
        }

        return ApiViews.Plan(new PlanEntry(plan), await _host.Store.GetAppliedAsync(name, ct));
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
