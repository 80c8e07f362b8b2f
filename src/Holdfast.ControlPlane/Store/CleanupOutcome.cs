using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>Which plans a cleanup deleted, and the applied generation it measured them against.</summary>
public sealed record CleanupOutcome(Generation Applied, IReadOnlyList<Generation> Deleted);
