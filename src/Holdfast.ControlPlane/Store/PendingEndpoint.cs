using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>An endpoint whose newest valid plan (<paramref name="Latest"/>) is above what is applied (<paramref name="Applied"/>): work for an enactor.</summary>
public readonly record struct PendingEndpoint(string Endpoint, Generation Latest, Generation Applied);
