namespace Holdfast.Simulation.Invariants;

/// <summary>One invariant violation: which, when (virtual time since start), where, why, and the event-log line it follows.</summary>
public sealed record Violation(string Invariant, TimeSpan At, string? Endpoint, string Detail, int LogIndex);
