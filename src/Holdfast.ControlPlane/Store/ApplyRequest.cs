using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>Make plan <paramref name="Generation"/> of <paramref name="Endpoint"/> live, if the fence allows.</summary>
public readonly record struct ApplyRequest(string Endpoint, Generation Generation);
