namespace Holdfast.Cli.Output;

/// <summary>Endpoint names as an operator types them: DNS names compare case-insensitively (RFC 4343), with or without the final dot.</summary>
internal static class EndpointNames
{
    public static bool Same(string? a, string? b) =>
        a is not null && b is not null && string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
}
