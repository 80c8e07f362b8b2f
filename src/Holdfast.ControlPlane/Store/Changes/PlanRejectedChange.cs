using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store.Changes;

/// <summary>An enactor's re-check refused a plan; it will never be applied (the planner plans the endpoint again).</summary>
public sealed record PlanRejectedChange(long Revision, string Endpoint, Generation Generation) : StoreChange(Revision);
