using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>Which plans a cleanup of <paramref name="Endpoint"/> deleted, and the applied generation it measured them against.</summary>
public sealed record CleanupOutcome(string Endpoint, Generation Applied, IReadOnlyList<Generation> Deleted);
