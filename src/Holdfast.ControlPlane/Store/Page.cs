namespace Holdfast.ControlPlane.Store;

/// <summary>A page of a listing in ordinal order of key; <paramref name="Next"/> is the key to pass as <c>after</c> for the next page, null after the last.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);
