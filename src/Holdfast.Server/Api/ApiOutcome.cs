namespace Holdfast.Server.Api;

/// <summary>The result of a shared read or action: a value, or the problem that refused it (never both).</summary>
public readonly record struct ApiOutcome<T>(T? Value, ApiProblem? Problem)
    where T : class
{
    public static implicit operator ApiOutcome<T>(T value) => new(value, null);

    public static implicit operator ApiOutcome<T>(ApiProblem problem) => new(null, problem);
}
