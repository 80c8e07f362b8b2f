namespace Holdfast.ControlPlane.Model;

/// <summary>Who wrote a plan.</summary>
public enum PlanOrigin
{
    /// <summary>The planner, from desired state and health.</summary>
    Planner,

    /// <summary>An operator's rollback: old records under a new, higher generation.</summary>
    Rollback,
}
