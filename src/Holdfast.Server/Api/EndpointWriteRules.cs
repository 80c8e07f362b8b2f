using Holdfast.Health.Sources;
using Holdfast.Server.Configuration;

namespace Holdfast.Server.Api;

/// <summary>
/// What an endpoint or target written through the API is checked against besides its zone: the enactors' availability
/// zones and the configured health sources. Both need a restart to change, so the host builds this once.
/// </summary>
public sealed record EndpointWriteRules(IReadOnlySet<string> Azs, IReadOnlyDictionary<string, HealthSourceOptions> Sources)
{
    internal static EndpointWriteRules From(HoldfastOptions options) => new(
        options.Enactors.Select(e => e.Az).ToHashSet(StringComparer.Ordinal),
        options.HealthSources.ToDictionary(s => s.Name, StringComparer.Ordinal));
}
