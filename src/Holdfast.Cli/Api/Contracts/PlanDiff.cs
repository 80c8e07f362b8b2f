namespace Holdfast.Cli.Api.Contracts;

/// <summary><c>GET /api/v1/endpoints/{name}/diff</c>: the records two generations differ by.</summary>
internal sealed record PlanDiff(long From, long To, IReadOnlyList<string>? Added, IReadOnlyList<string>? Removed, IReadOnlyList<string>? Unchanged)
{
    public bool HasDifferences => Added is { Count: > 0 } || Removed is { Count: > 0 };
}
