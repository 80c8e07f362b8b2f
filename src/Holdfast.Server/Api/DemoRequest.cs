namespace Holdfast.Server.Api;

/// <summary>Body of the demo switch: <paramref name="Healthy"/> false makes the target's health listener answer 503.</summary>
public sealed record DemoRequest(bool Healthy);
