namespace Holdfast.Server.Configuration;

/// <summary>
/// One configuration error: the key path (<c>endpoints[1].targets[0].address</c>), where it came from
/// (<c>holdfast.yaml:12</c> or <c>env HOLDFAST_API__LISTEN</c>) and what is wrong and expected.
/// </summary>
public sealed record ConfigError(string Path, string Location, string Message)
{
    public override string ToString() => $"{Location}: {Path}: {Message}";
}
