using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Serving;
using Holdfast.Health.Sources;

namespace Holdfast.Server.Configuration;

/// <summary>
/// Checks that need the whole configuration: names unique, references resolvable, every target's
/// availability zone served by an enactor, every health check run by a source of its kind, listeners apart.
/// </summary>
internal static class ConfigRules
{
    public static void Check(HoldfastOptions options, ConfigLocations at, List<ConfigError> errors)
    {
        void Error(string path, string message) => errors.Add(new ConfigError(path, at.Of(path), message));

        if (options.Zones.IsEmpty)
        {
            Error("zones", "expected at least one zone (apex, soa, ns)");
        }

        Duplicates(options.Zones.Select((z, i) => (z.Apex, $"zones[{i}]")), "zone apex", Error);
        Duplicates(options.Endpoints.Select((e, i) => (e.Name, $"endpoints[{i}]")), "endpoint name", Error);
        Duplicates(options.Enactors.Select((e, i) => (e.Id, $"enactors[{i}]")), "enactor id", Error);
        Duplicates(options.HealthSources.Select((h, i) => (h.Name, $"healthSources[{i}]")), "health source name", Error);
        Duplicates(options.Zones.SelectMany((z, i) => (z.Push?.Targets ?? []).Select((t, j) => (t.Name, $"zones[{i}].push.targets[{j}]"))), "push target name", Error);
        Duplicates(options.Dns.Listen.Where(l => l.Port != 0).Select((l, i) => (l.ToString(), $"dns.listen[{i}]")), "DNS listen address", Error);

        if (options.Api.Listen.Port != 0 && options.Dns.Listen.Any(l => l.Equals(options.Api.Listen)))
        {
            Error("api.listen", $"{options.Api.Listen} is also a DNS listen address (both use TCP); choose another port");
        }

        var zones = options.Zones.Select(z => z.Apex).ToHashSet(StringComparer.Ordinal);
        var azs = options.Enactors.Select(e => e.Az).ToHashSet(StringComparer.Ordinal);
        var sources = options.HealthSources.ToDictionary(h => h.Name, StringComparer.Ordinal);
        for (var i = 0; i < options.Endpoints.Length; i++)
        {
            CheckEndpoint(options.Endpoints[i], $"endpoints[{i}]", zones, azs, sources, Error);
        }

        for (var i = 0; i < options.Zones.Length; i++)
        {
            var zone = options.Zones[i];
            if (!zone.ZoneFiles.IsEmpty && !TryReadZoneFiles(zone, options.Endpoints, out _, out var problems))
            {
                foreach (var problem in problems)
                {
                    Error($"zones[{i}].zoneFiles", problem);
                }
            }
        }
    }

    /// <summary>
    /// Reads a zone's master files and checks them against the configured endpoints of the zone (see
    /// <see cref="ZoneFiles"/>, <see cref="StaticZoneRecords"/>); each problem reads <c>file:line: message</c>.
    /// </summary>
    public static bool TryReadZoneFiles(ZoneOptions zone, IEnumerable<EndpointOptions> endpoints, out IReadOnlyList<Holdfast.Dns.Zones.ZoneRecord> records, out IReadOnlyList<string> problems) =>
        ZoneFiles.TryRead(zone.Apex, zone.ZoneFiles, [.. endpoints.Where(e => e.Zone == zone.Apex).Select(e => e.Name)], out records, out problems);

    /// <summary>The checks of one endpoint against the zones, enactor zones and health sources there are (also used by the API).</summary>
    public static void CheckEndpoint(EndpointOptions endpoint, string path, IReadOnlySet<string> zones, IReadOnlySet<string> azs, IReadOnlyDictionary<string, HealthSourceOptions> sources, Action<string, string> error)
    {
        var prefix = path.Length == 0 ? "" : path + ".";
        if (!zones.Contains(endpoint.Zone))
        {
            error(prefix + "zone", $"zone '{endpoint.Zone}' is not configured; expected one of: {string.Join(", ", zones)}");
        }
        else if (!DnsNames.IsWithin(endpoint.Name, endpoint.Zone) || endpoint.Name == endpoint.Zone)
        {
            error(prefix + "name", $"'{endpoint.Name}' is not a name below its zone '{endpoint.Zone}'");
        }

        if (endpoint.Targets.IsEmpty)
        {
            error(prefix + "targets", "expected at least one target");
        }

        Duplicates(endpoint.Targets.Select((t, j) => (t.Id, $"{prefix}targets[{j}]")), "target id in " + endpoint.Name, error);
        for (var j = 0; j < endpoint.Targets.Length; j++)
        {
            CheckTarget(endpoint.Targets[j], $"{prefix}targets[{j}]", azs, sources, error);
        }
    }

    /// <summary>A target's availability zone must have an enactor; its check needs sources of its kind.</summary>
    public static void CheckTarget(TargetOptions target, string path, IReadOnlySet<string> azs, IReadOnlyDictionary<string, HealthSourceOptions> sources, Action<string, string> error)
    {
        var prefix = path.Length == 0 ? "" : path + ".";
        if (!azs.Contains(target.Az))
        {
            error(prefix + "az", azs.Count == 0
                ? $"availability zone '{target.Az}' has no enactor; add one under enactors (id, az)"
                : $"availability zone '{target.Az}' has no enactor; expected one of: {string.Join(", ", azs)} or add an enactor for it");
        }

        if (target.HealthCheck is { } check)
        {
            CheckSources(check, sources, prefix + "healthCheck", error);
        }
    }

    private static void CheckSources(HealthCheck check, IReadOnlyDictionary<string, HealthSourceOptions> sources, string path, Action<string, string> error)
    {
        var kind = check.Kind.ToString().ToLowerInvariant();
        var runBy = SourceKindOf(check.Kind);
        if (check.Sources.IsEmpty && !sources.Values.Any(s => s.Kind == runBy))
        {
            error(path, $"a {kind} check needs a health source of kind {kind} under healthSources");
        }

        for (var k = 0; k < check.Sources.Length; k++)
        {
            var name = check.Sources[k];
            if (!sources.TryGetValue(name, out var source))
            {
                error($"{path}.sources[{k}]", $"health source '{name}' is not configured; expected one of: {string.Join(", ", sources.Keys)}");
            }
            else if (source.Kind != runBy && source.Kind != HealthSourceKind.External)
            {
                error($"{path}.sources[{k}]", $"health source '{name}' is of kind {source.Kind.ToString().ToLowerInvariant()}, but this check is {kind}");
            }
        }

        if (check.Quorum is { } quorum && quorum > (check.Sources.IsEmpty ? sources.Values.Count(s => s.Kind == runBy) : check.Sources.Length))
        {
            error(path + ".quorum", $"expected at most the number of the target's sources, got {quorum}");
        }
    }

    /// <summary>The kind of source that runs a check of <paramref name="kind"/> (a target's check and a source are different things that share kind names).</summary>
    private static HealthSourceKind SourceKindOf(HealthCheckKind kind) => kind switch
    {
        HealthCheckKind.Http => HealthSourceKind.Http,
        HealthCheckKind.Tcp => HealthSourceKind.Tcp,
        _ => HealthSourceKind.External,
    };

    private static void Duplicates(IEnumerable<(string Key, string Path)> items, string what, Action<string, string> error)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, path) in items)
        {
            if (key.Length == 0)
            {
                continue;
            }

            if (!seen.TryAdd(key, path))
            {
                error(path, $"duplicate {what} '{key}' (first at {seen[key]})");
            }
        }
    }
}
