using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>Which plans raise an alarm an operator must see (status, dashboard): one of its decisions is an alarm that fired.</summary>
public static class PlanAlarms
{
    public static bool HasAlarm(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Decisions.Any(d => d.Alarm && d.Fired);
    }
}
