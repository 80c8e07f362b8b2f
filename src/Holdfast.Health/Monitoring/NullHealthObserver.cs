using Holdfast.ControlPlane.Model;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Observations;

namespace Holdfast.Health.Monitoring;

/// <summary>An observer that ignores everything.</summary>
public sealed class NullHealthObserver : IHealthObserver
{
    public static NullHealthObserver Instance { get; } = new();

    private NullHealthObserver()
    {
    }

    public void Observed(string source, string endpoint, string targetId, ObservationState state, string? reason)
    {
    }

    public void TargetHealthChanged(TargetStatus status, HealthState previous)
    {
    }

    public void ProberFailed(string source, string endpoint, string targetId, Exception exception)
    {
    }
}
