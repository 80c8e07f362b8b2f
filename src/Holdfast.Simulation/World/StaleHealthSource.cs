using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;

namespace Holdfast.Simulation.World;

/// <summary>A restarted planner's health feed: an old snapshot until <paramref name="until"/>, then the live view (a planner restarting with a stale view).</summary>
public sealed class StaleHealthSource(IHealthViewSource live, HealthView snapshot, TimeProvider time, DateTimeOffset until) : IHealthViewSource
{
    public HealthView GetView() => time.GetUtcNow() < until ? snapshot : live.GetView();
}
