using Holdfast.Simulation.Invariants;
using Holdfast.Simulation.RetryStorm;

namespace Holdfast.Simulation;

/// <summary>The outcome of one schedule (one scenario, protocol and seed).</summary>
public sealed record ScheduleResult
{
    public required string Scenario { get; init; }

    public required Protocol Protocol { get; init; }

    public required int Seed { get; init; }

    public required TimeSpan SimulatedTime { get; init; }

    public required IReadOnlyList<Violation> Violations { get; init; }

    public required IReadOnlyDictionary<string, int> GuardrailFirings { get; init; }

    public required IReadOnlyDictionary<string, int> FaultsInjected { get; init; }

    /// <summary>True when some endpoint served zero records at some point.</summary>
    public bool EmptyAnswerObserved { get; init; }

    /// <summary>True when, at the end, some endpoint had not converged although every fault had healed.</summary>
    public bool Stuck { get; init; }

    public long EventsRun { get; init; }

    public int PlansWritten { get; init; }

    public required IReadOnlyList<string> EventLog { get; init; }

    /// <summary>Every 5 s: endpoint, records answered, applied generation.</summary>
    public IReadOnlyList<(TimeSpan At, string Endpoint, int Answers, long Generation)> Samples { get; init; } = [];

    public IReadOnlyList<(TimeSpan At, string Enactor, string Endpoint, long Generation)> Applies { get; init; } = [];

    public IReadOnlyList<(TimeSpan At, string Guardrail, string Endpoint)> GuardrailEvents { get; init; } = [];

    /// <summary>Set by the retry-storm scenario only.</summary>
    public RetryStormOutcome? RetryStorm { get; init; }
}
