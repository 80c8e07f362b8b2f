using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;

namespace Holdfast.ControlPlane.Operations;

/// <summary>
/// The operator's brake and undo over a store: freeze, unfreeze, rollback (dry-run first). Every action and
/// every guardrail override is audited. Thread-safe (the store is).
/// </summary>
public sealed class ControlPlaneOperations
{
    private readonly IControlStore _store;
    private readonly TimeProvider _time;
    private readonly GuardrailRegistry _guardrails;

    /// <param name="guardrails">What a rollback is checked against: the registry the planner plans with. Default <see cref="GuardrailRegistry.Default"/>.</param>
    public ControlPlaneOperations(IControlStore store, TimeProvider time, GuardrailRegistry? guardrails = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
        _guardrails = guardrails ?? GuardrailRegistry.Default;
    }

    /// <summary>What <see cref="RollbackAsync"/> would do, without writing.</summary>
    public async Task<RollbackPreview> PreviewRollbackAsync(RollbackRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stored = await _store.ReadEndpointAsync(request.Endpoint, EndpointParts.All, cancellationToken);
        return Rollback.Prepare(request, stored.Spec, stored.Plans, stored.Applied, _time.GetUtcNow(), _guardrails);
    }

    /// <summary>
    /// Writes the rollback plan (a new, higher generation with the old records) when the preview allows it.
    /// Enactors apply it like any plan; the planner leaves the endpoint pinned to it until resumed.
    /// </summary>
    public async Task<(RollbackPreview Preview, Plan? Written)> RollbackAsync(RollbackRequest request, CancellationToken cancellationToken = default)
    {
        var preview = await PreviewRollbackAsync(request, cancellationToken);
        if (!preview.Allowed || preview.Draft is null)
        {
            return (preview, null);
        }

        // The plan carries the override only when a guardrail was actually bypassed: that is what the
        // enactor's re-check waives and what the audit must explain.
        var bypassed = preview.Decisions.Any(d => d.Verdict == GuardrailVerdict.Overridden);
        var generation = await _store.AllocateGenerationAsync(cancellationToken);
        var plan = preview.Draft.ToPlan(generation, _time.GetUtcNow(), PlanOrigin.Rollback, bypassed ? request.Override : null);

        // The override and the rollback's reason are audited in the transaction that writes the plan.
        var notes = preview.Decisions
            .Where(d => d.Verdict == GuardrailVerdict.Overridden)
            .Select(d => new AuditNote("guardrail.override", $"{d.Guardrail} for rollback {generation}: {d.Reason}"))
            .Append(new AuditNote("rollback.written", $"{generation} carries the records of {preview.Source}: {request.Reason}"))
            .ToList();
        var outcome = await _store.WritePlanAsync(plan, request.Actor, notes, cancellationToken);
        return outcome.Written
            ? (preview, plan)
            : (preview with { Allowed = false, Message = outcome.Reason ?? "plan not written" }, null);
    }

    public Task FreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return _store.SetFreezeAsync(endpoint, reason, actor, cancellationToken);
    }

    public Task UnfreezeAsync(string? endpoint, string reason, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return _store.ClearFreezeAsync(endpoint, reason, actor, cancellationToken);
    }
}
