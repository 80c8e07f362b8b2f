using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Guardrails;

/// <summary>
/// The removals health is asking for: targets published now that the proposal leaves out while they are
/// still enabled. Removals of drained or deleted targets are the operator's, and no guardrail limits them.
/// </summary>
internal static class HealthRemovals
{
    public static IEnumerable<Target> Of(EndpointSpec endpoint, IEnumerable<Target> proposed, IEnumerable<PlanRecord> current)
    {
        var chosen = new HashSet<string>(proposed.Select(t => t.Id), StringComparer.Ordinal);
        return current
            .Where(r => !chosen.Contains(r.TargetId))
            .Select(r => endpoint.FindTarget(r.TargetId))
            .OfType<Target>()
            .Where(t => t.AdminState == TargetAdminState.Enabled);
    }
}
