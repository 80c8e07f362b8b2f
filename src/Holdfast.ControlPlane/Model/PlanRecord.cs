using System.Net;

namespace Holdfast.ControlPlane.Model;

/// <summary>One address record of a plan, with the weight and capacity of the target it came from.</summary>
public sealed record PlanRecord(string TargetId, IPAddress Address, int Weight, int Capacity);
