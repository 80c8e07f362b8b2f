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
        Duplicates(options.Dns.Listen.Select((l, i) => (l.ToString(), $"dns.listen[{i}]")), "DNS listen address", Error);

        if (options.Dns.Listen.Any(l => l.Equals(options.Api.Listen)))
        {
            Error("api.listen", $"{options.Api.Listen} is also a DNS listen address (both use TCP); choose another port");
        }

        var zones = options.Zones.Select(z => z.Apex).ToHashSet(StringComparer.Ordinal);
        var azs = options.Enactors.Select(e => e.Az).ToHashSet(StringComparer.Ordinal);
        var kinds = options.HealthSources.Select(h => h.Kind).ToHashSet();
        for (var i = 0; i < options.Endpoints.Length; i++)
        {
            var endpoint = options.Endpoints[i];
            var path = $"endpoints[{i}]";
            if (!zones.Contains(endpoint.Zone))
            {
                Error(path + ".zone", $"zone '{endpoint.Zone}' is not configured; expected one of: {string.Join(", ", zones)}");
            }
            else if (!DnsNames.IsWithin(endpoint.Name, endpoint.Zone) || endpoint.Name == endpoint.Zone)
            {
                Error(path + ".name", $"'{endpoint.Name}' is not a name below its zone '{endpoint.Zone}'");
            }

            Duplicates(endpoint.Targets.Select((t, j) => (t.Id, $"{path}.targets[{j}]")), "target id in " + endpoint.Name, Error);
            for (var j = 0; j < endpoint.Targets.Length; j++)
            {
                var target = endpoint.Targets[j];
                var targetPath = $"{path}.targets[{j}]";
                if (!azs.Contains(target.Az))
                {
                    Error(targetPath + ".az", azs.Count == 0
                        ? $"availability zone '{target.Az}' has no enactor; add one under enactors (id, az)"
                        : $"availability zone '{target.Az}' has no enactor; expected one of: {string.Join(", ", azs)} or add an enactor for it");
                }

                if (target.HealthCheck is { } check && !kinds.Contains(check.Kind))
                {
                    Error(targetPath + ".healthCheck", $"a {check.Kind.ToString().ToLowerInvariant()} check needs a health source of kind {check.Kind.ToString().ToLowerInvariant()} under healthSources");
                }
            }
        }
    }

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
