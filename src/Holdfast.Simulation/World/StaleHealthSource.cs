using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;

namespace Holdfast.Simulation.World;

/// <summary>A restarted planner's health feed: an old snapshot until <paramref name="until"/>, then the live view (a planner restarting with a stale view).</summary>
public sealed class StaleHealthSource(IHealthViewSource live, HealthView snapshot, TimeProvider time, DateTimeOffset until) : IHealthViewSource
{
    /// <summary>The live source's changes; while the old snapshot is served they only wake the planner, which then reads the snapshot.</summary>
    public event Action<IReadOnlyList<HealthChange>>? Changed
    {
        add => live.Changed += value;
        remove => live.Changed -= value;
    }

    public HealthView GetView() => time.GetUtcNow() < until ? snapshot : live.GetView();
}
