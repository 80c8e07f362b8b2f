using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Planning;

/// <summary>
/// Where the planner reads aggregated health from. The consumer owns the seam; Holdfast.Health implements it.
/// The planner is event-driven: <see cref="Changed"/> marks the endpoints of changed targets dirty, and a slow
/// full pass reads <see cref="GetView"/> for everything, so a lost event is repaired by that pass.
/// </summary>
public interface IHealthViewSource
{
    /// <summary>The current aggregated view. Must be cheap and must not block.</summary>
    HealthView GetView();

    /// <summary>
    /// Raised after the view changed, with every target whose aggregated state changed (the view returned by
    /// <see cref="GetView"/> already holds them). Raised on the thread that made the change, outside any lock;
    /// handlers must be quick and must not throw. A source that cannot tell changes apart may raise it with an
    /// empty list, meaning "anything may have changed".
    /// </summary>
    event Action<IReadOnlyList<HealthChange>>? Changed;
}
