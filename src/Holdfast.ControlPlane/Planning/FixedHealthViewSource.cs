using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Planning;

/// <summary>
/// A health source whose view is set by its owner (tests, the simulator, external intake). Setting the view raises
/// <see cref="Changed"/> with an empty list ("anything may have changed"). Thread-safe.
/// </summary>
public sealed class FixedHealthViewSource : IHealthViewSource
{
    private HealthView _view;

    public FixedHealthViewSource(HealthView? view = null) => _view = view ?? HealthView.Empty;

    public event Action<IReadOnlyList<HealthChange>>? Changed;

    public HealthView View
    {
        get => Volatile.Read(ref _view);
        set
        {
            Volatile.Write(ref _view, value ?? HealthView.Empty);
            Changed?.Invoke([]);
        }
    }

    public HealthView GetView() => View;
}
