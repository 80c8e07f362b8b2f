namespace Holdfast.Server.Api;

/// <summary>An endpoint's policy; <paramref name="VelocityWindow"/> as a duration text such as <c>5m</c>.</summary>
public sealed record PolicyView(double CapacityFloor, double VelocityLimit, string VelocityWindow, bool FailOpen);
