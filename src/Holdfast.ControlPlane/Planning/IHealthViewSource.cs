using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Planning;

/// <summary>Where the planner reads aggregated health from. The consumer owns the seam; Holdfast.Health implements it.</summary>
public interface IHealthViewSource
{
    /// <summary>The current aggregated view. Must be cheap and must not block.</summary>
    HealthView GetView();
}
