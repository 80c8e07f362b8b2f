using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// One endpoint as the store holds it, with the parts that were asked for: its spec (null when it does not exist or
/// was not asked for), what is live (null when nothing is or it was not asked for) and its plans, oldest first (empty
/// when none or not asked for).
/// </summary>
public sealed record StoredEndpoint(string Name, EndpointSpec? Spec, AppliedState? Applied, IReadOnlyList<PlanEntry> Plans)
{
    /// <summary>The newest plan no enactor rejected, or null.</summary>
    public PlanEntry? LatestValidPlan
    {
        get
        {
            for (var i = Plans.Count - 1; i >= 0; i--)
            {
                if (!Plans[i].IsRejected)
                {
                    return Plans[i];
                }
            }

            return null;
        }
    }
}
