using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Operations;

/// <summary>
/// An operator's rollback: to generation <paramref name="To"/>, or to the last known good plan when null
/// (the newest plan below the applied one that was once applied). <paramref name="Override"/>, when set,
/// is the reason for bypassing the registered guardrails' checks (by default the capacity floor and velocity limit); it is audited.
/// </summary>
public sealed record RollbackRequest(string Endpoint, Generation? To, string Reason, string Actor, string? Override = null);
