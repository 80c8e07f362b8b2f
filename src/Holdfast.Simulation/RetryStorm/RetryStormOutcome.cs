namespace Holdfast.Simulation.RetryStorm;

/// <summary>The retry-storm comparison: one outcome per client policy, same outage, same seed.</summary>
public sealed record RetryStormOutcome(TimeSpan OutageStart, TimeSpan OutageEnd, IReadOnlyList<RetryPolicyOutcome> Policies);
