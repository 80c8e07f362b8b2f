using System.Collections.Concurrent;
using Holdfast.ControlPlane.Enactment;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Observability;
using Holdfast.ControlPlane.Store;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Monitoring;
using Holdfast.Health.Observations;
using Holdfast.Server.Dashboard;
using Holdfast.Server.Metrics;
using Microsoft.Extensions.Logging;

namespace Holdfast.Server.Hosting;

/// <summary>
/// What the planner, the enactors, the health monitor and the DNS feed report becomes one log line (stable
/// event id), a metric and, for guardrail decisions, alarms and health changes, an event in the audit log.
/// Quick and non-throwing, as the observer contracts require.
/// </summary>
internal sealed class HostObserver : IControlPlaneObserver, IHealthObserver
{
    private readonly ILogger _logger;
    private readonly HoldfastMetrics _metrics;
    private readonly EventRecorder _events;
    private readonly GuardrailTimeline _timeline;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, string? Error)> _passes = new(StringComparer.Ordinal);
    private readonly LogBudget _budget;

    public HostObserver(ILogger logger, HoldfastMetrics metrics, EventRecorder events, GuardrailTimeline timeline, TimeProvider time)
    {
        _timeline = timeline;
        _logger = logger;
        _metrics = metrics;
        _events = events;
        _time = time;
        _budget = new LogBudget(logger, time);
    }

    public void GuardrailFired(string actor, string endpoint, GuardrailDecision decision)
    {
        var verdict = decision.Verdict.ToString().ToLowerInvariant();
        if (decision.Alarm)
        {
            HostLog.GuardrailAlarm(_logger, decision.Guardrail, verdict, endpoint, actor, decision.Reason);
        }
        else
        {
            HostLog.GuardrailDecision(_logger, decision.Guardrail, verdict, endpoint, actor, decision.Reason);
        }

        _metrics.GuardrailDecisions.Add(1, new("guardrail", decision.Guardrail), new("verdict", verdict));
        _timeline.Record(decision.Verdict);
        var kind = (decision.Alarm && decision.Verdict != GuardrailVerdict.Passed ? "alarm." : "guardrail.") + decision.Guardrail;
        // Self-preservation is decided per zone: the "endpoint" is then a zone apex.
        _events.Record(actor, kind, endpoint, $"{verdict}: {decision.Reason}");
    }

    public void PlanWritten(Plan plan)
    {
        var origin = plan.Origin.ToString().ToLowerInvariant();
        if (_logger.IsEnabled(LogLevel.Information) && _budget.TryTake(isPlan: true))
        {
            HostLog.PlanWritten(_logger, plan.Endpoint, plan.Generation.ToString(), origin, plan.Reason, string.Join(' ', plan.Records.Select(r => r.Address)));
        }

        // Tagged by origin only: an endpoint tag would be 100,000 series at scale.
        _metrics.PlansWritten.Add(1, new KeyValuePair<string, object?>("origin", origin));
    }

    public void ApplyAttempted(string enactorId, string endpoint, Generation generation, ApplyOutcome outcome)
    {
        var status = outcome.Status.ToString().ToLowerInvariant();
        if (outcome.Status == ApplyStatus.Applied && _logger.IsEnabled(LogLevel.Information) && _budget.TryTake(isPlan: false))
        {
            HostLog.Applied(_logger, endpoint, generation.ToString(), enactorId, status);
        }
        else if (outcome.Status != ApplyStatus.Applied && _logger.IsEnabled(LogLevel.Debug))
        {
            HostLog.ApplyRefused(_logger, endpoint, generation.ToString(), enactorId, status, outcome.Reason);
        }

        _metrics.Applies.Add(1, new("enactor", enactorId), new("result", status));
    }

    public void CleanedUp(string enactorId, string endpoint, CleanupOutcome outcome)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            HostLog.CleanedUp(_logger, endpoint, enactorId, string.Join(' ', outcome.Deleted));
        }
    }

    public void PassFailed(string actor, string? endpoint, Exception exception)
    {
        HostLog.PassFailed(_logger, exception, actor, endpoint ?? "all endpoints");
        _metrics.PassFailures.Add(1, new KeyValuePair<string, object?>("actor", actor));
        _passes[actor] = (_time.GetUtcNow(), exception.Message);
    }

    /// <summary>An enactor finished a pass; its error is the first endpoint that failed, null when every endpoint went through.</summary>
    public void EnactorPassCompleted(EnactorPass pass)
    {
        var failed = pass.Steps.FirstOrDefault(s => s.Error is not null);
        _passes[pass.EnactorId] = (_time.GetUtcNow(), failed is null ? null : $"{failed.Endpoint}: {failed.Error!.Message}");
    }

    /// <summary>When <paramref name="actor"/> last finished a pass and the last error, if any.</summary>
    public (DateTimeOffset At, string? Error)? LastPass(string actor) => _passes.TryGetValue(actor, out var pass) ? pass : null;

    public void Observed(string source, string endpoint, string targetId, ObservationState state, string? reason)
    {
        // Every probe result: counted by the aggregator's statuses (holdfast.health.targets), not logged.
    }

    public void TargetHealthChanged(TargetStatus status, HealthState previous)
    {
        var state = status.Health.State.ToString().ToLowerInvariant();
        var before = previous.ToString().ToLowerInvariant();
        HostLog.TargetHealthChanged(_logger, status.Endpoint, status.TargetId, before, state, status.Reason);
        _events.Record("health", "health." + state, status.Endpoint, $"{status.TargetId}: {before} -> {state} ({status.Reason})");
    }

    public void ProberFailed(string source, string endpoint, string targetId, Exception exception) =>
        HostLog.ProberFailed(_logger, exception, source, endpoint, targetId);

    public void LastGoodAnswerKept(string endpoint)
    {
        HostLog.LastGoodAnswerKept(_logger, endpoint);
        _metrics.LastGoodKept.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));
        _events.Record("dns", "alarm.last-good-answer", endpoint, "given no records; still serving the previous ones");
    }
}
