namespace Holdfast.Server.Configuration;

/// <summary>A validated configuration, or the errors that refuse it (then <see cref="Options"/> is null).</summary>
public sealed record ConfigResult(HoldfastOptions? Options, IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Options is not null;
}
