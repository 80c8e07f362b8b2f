using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Planning;

namespace Holdfast.Testing;

/// <summary>
/// A health source whose view the test sets (no aggregator, no probes). Setting the view raises
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
