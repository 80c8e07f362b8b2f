using Holdfast.Simulation.Faults;

namespace Holdfast.Simulation.World;

/// <summary>A component's place in the world: its name, fault sites and clock skew survive its crashes; its running instance does not.</summary>
public sealed class ComponentSlot(string name)
{
    private CancellationTokenSource? _cancel;
    private int _starts;

    public string Name { get; } = name;

    public ComponentFaults Faults { get; } = new(name);

    /// <summary>Clock skew of the component's machine (applied from its next start).</summary>
    public TimeSpan Skew { get; set; }

    public bool Running => _cancel is not null;

    /// <summary>Starts after the first.</summary>
    public int Restarts => Math.Max(0, _starts - 1);

    internal void Start(CancellationTokenSource cancel)
    {
        _starts++;
        _cancel = cancel;
    }

    internal void Stop()
    {
        var cancel = _cancel;
        _cancel = null;
        cancel?.Cancel();
        cancel?.Dispose();
    }
}
