using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;

namespace Holdfast.Simulation.World;

/// <summary>
/// What the monitors report, as the planner sees it: set by the scenario (honest, lying or flapping), with
/// a history so that a restarted planner can be handed a stale view. Scheduler thread only.
/// </summary>
public sealed class SimulatedHealthSource(TimeProvider time) : IHealthViewSource
{
    private readonly List<(DateTimeOffset At, HealthView View)> _history = [(DateTimeOffset.MinValue, HealthView.Empty)];

    public HealthView View { get; private set; } = HealthView.Empty;

    public event Action<IReadOnlyList<HealthChange>>? Changed;

    public HealthView GetView() => View;

    /// <summary>Reports <paramref name="state"/> for a target; no change if it already reports that.</summary>
    public bool Set(string endpoint, string targetId, HealthState state)
    {
        var current = View.Find(endpoint, targetId)?.State ?? HealthState.Unknown;
        if (current == state)
        {
            return false;
        }

        var health = new TargetHealth(state, time.GetUtcNow());
        View = View.With(endpoint, targetId, health);
        _history.Add((time.GetUtcNow(), View));
        if (_history.Count > 512)
        {
            _history.RemoveRange(0, 256);
        }

        Changed?.Invoke([new HealthChange(endpoint, targetId, current, health)]);
        return true;
    }

    /// <summary>The view as it was at <paramref name="at"/> (the oldest kept if earlier).</summary>
    public HealthView ViewAt(DateTimeOffset at)
    {
        var view = _history[0].View;
        foreach (var (when, v) in _history)
        {
            if (when > at)
            {
                break;
            }

            view = v;
        }

        return view;
    }
}
