using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;

namespace Holdfast.Simulation.Faults;

/// <summary>
/// The planner's health feed with the planner's event fault sites in the way: a change event lost (the view holds the
/// change, nothing wakes the planner for it) or delivered twice. The view itself is always honest here; lies are the
/// health scenarios' business.
/// </summary>
public sealed class FaultyHealthSource : IHealthViewSource
{
    private readonly IHealthViewSource _inner;
    private readonly ComponentFaults _faults;
    private readonly Random _random;
    private readonly Action<string> _onFault;

    public FaultyHealthSource(IHealthViewSource inner, ComponentFaults faults, Random random, Action<string> onFault)
    {
        _inner = inner;
        _faults = faults;
        _random = random;
        _onFault = onFault;
        _inner.Changed += Forward;
    }

    public event Action<IReadOnlyList<HealthChange>>? Changed;

    public HealthView GetView() => _inner.GetView();

    /// <summary>Stops forwarding (the planner that used it crashed).</summary>
    public void Detach() => _inner.Changed -= Forward;

    private void Forward(IReadOnlyList<HealthChange> changes)
    {
        if (_faults.HealthEventLoss > 0 && _random.NextDouble() < _faults.HealthEventLoss)
        {
            _onFault(FaultSites.HealthEventLoss);
            return;
        }

        Changed?.Invoke(changes);
        if (_faults.HealthEventDuplicate > 0 && _random.NextDouble() < _faults.HealthEventDuplicate)
        {
            _onFault(FaultSites.HealthEventDuplicate);
            Changed?.Invoke(changes);
        }
    }
}
