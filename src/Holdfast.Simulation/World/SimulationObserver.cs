using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Observability;
using Holdfast.ControlPlane.Store;

namespace Holdfast.Simulation.World;

/// <summary>Records what the real planner and enactors report: event-log lines, guardrail counts, and timelines for the report.</summary>
public sealed class SimulationObserver(EventLog log, Func<TimeSpan> elapsed) : IControlPlaneObserver
{
    public SortedDictionary<string, int> GuardrailFirings { get; } = new(StringComparer.Ordinal);

    /// <summary>(time, guardrail name, endpoint) of every firing, for the report.</summary>
    public List<(TimeSpan At, string Guardrail, string Endpoint)> GuardrailEvents { get; } = [];

    /// <summary>(time, enactor, endpoint, generation) of every successful apply, for the report.</summary>
    public List<(TimeSpan At, string Enactor, string Endpoint, long Generation)> Applies { get; } = [];

    public int PlansWritten { get; private set; }

    public int ApplyAttempts { get; private set; }

    public int PassFailures { get; private set; }

    public void GuardrailFired(string actor, string endpoint, GuardrailDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        GuardrailFirings[decision.Guardrail] = GuardrailFirings.GetValueOrDefault(decision.Guardrail) + 1;
        GuardrailEvents.Add((elapsed(), decision.Guardrail, endpoint));
        log.Add(actor, $"guardrail {decision.Guardrail} {decision.Verdict} {endpoint}: {decision.Reason}");
    }

    public void PlanWritten(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        PlansWritten++;
        log.Add("planner", $"plan {plan.Endpoint} {plan.Generation} [{string.Join(',', plan.Records.Select(r => r.TargetId))}] {plan.Reason}");
    }

    public void ApplyAttempted(string enactorId, string endpoint, Generation generation, ApplyOutcome outcome)
    {
        ApplyAttempts++;
        if (outcome.Status == ApplyStatus.Applied)
        {
            Applies.Add((elapsed(), enactorId, endpoint, generation.Value));
        }

        log.Add(enactorId, $"apply {endpoint} {generation} -> {outcome.Status} (current {outcome.Current})");
    }

    public void CleanedUp(string enactorId, string endpoint, CleanupOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        log.Add(enactorId, $"cleanup {endpoint} below {outcome.Applied}: deleted {string.Join(' ', outcome.Deleted)}");
    }

    public void PassFailed(string actor, string? endpoint, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        PassFailures++;
        log.Add(actor, $"pass failed {endpoint ?? "*"}: {exception.Message}");
    }
}
