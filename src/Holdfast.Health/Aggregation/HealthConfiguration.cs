using Holdfast.Health.Sources;

namespace Holdfast.Health.Aggregation;

/// <summary>
/// Validation of a health configuration as a whole, for start-up and <c>holdfast config validate</c>: every
/// problem is reported at once, each naming the key or target and what is expected.
/// </summary>
public static class HealthConfiguration
{
    /// <summary>Every problem with these sources, options and checks; empty when the configuration is valid.</summary>
    public static IReadOnlyList<string> Validate(IEnumerable<HealthSourceOptions> sources, HealthAggregationOptions options, IEnumerable<TargetCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(checks);
        var list = sources.ToList();
        var errors = ValidateSources(list).Concat(options.Validate("health.aggregation")).ToList();
        var byName = new Dictionary<string, HealthSourceOptions>(StringComparer.Ordinal);
        foreach (var source in list)
        {
            byName.TryAdd(source.Name, source);
        }

        errors.AddRange(ValidateChecks(byName, checks.ToList()));
        return errors;
    }

    internal static List<string> ValidateSources(IReadOnlyList<HealthSourceOptions> sources)
    {
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
        {
            var key = $"health.sources[{i}]";
            if (sources[i] is not { } source)
            {
                errors.Add($"{key}: expected a source, got nothing");
                continue;
            }

            errors.AddRange(source.Validate(key));
            if (!seen.Add(source.Name))
            {
                errors.Add($"{key}.name: '{source.Name}' is already the name of another source");
            }
        }

        return errors;
    }

    internal static List<string> ValidateChecks(IReadOnlyDictionary<string, HealthSourceOptions> sources, IReadOnlyList<TargetCheck> checks)
    {
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var check in checks)
        {
            if (check is null)
            {
                errors.Add("health check: expected a target check, got nothing");
                continue;
            }

            var key = $"target {check.Endpoint}/{check.TargetId}";
            if (string.IsNullOrEmpty(check.Endpoint) || string.IsNullOrEmpty(check.TargetId))
            {
                errors.Add($"{key}: expected an endpoint name and a target id");
            }

            if (!seen.Add(check.Key))
            {
                errors.Add($"{key}: configured twice");
            }

            if (check.HttpUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
            {
                errors.Add($"{key}: healthCheck.http expected an absolute http:// or https:// URL, got '{url}'");
            }

            if (check.TcpEndpoint is { Port: 0 })
            {
                errors.Add($"{key}: healthCheck.tcp expected a port from 1 to 65535, got 0");
            }

            foreach (var name in check.Sources)
            {
                if (!sources.TryGetValue(name, out var source))
                {
                    errors.Add($"{key}: health source '{name}' is not configured (configured: {string.Join(", ", sources.Keys.Order(StringComparer.Ordinal))})");
                }
                else if (source.Kind == HealthSourceKind.Http && check.HttpUrl is null)
                {
                    errors.Add($"{key}: health source '{name}' probes HTTP but the target has no healthCheck.http URL");
                }
                else if (source.Kind == HealthSourceKind.Tcp && check.TcpEndpoint is null)
                {
                    errors.Add($"{key}: health source '{name}' probes TCP but the target has no healthCheck.tcp address");
                }
            }

            if (check.Sources.Count != check.Sources.Distinct(StringComparer.Ordinal).Count())
            {
                errors.Add($"{key}: a health source is named twice");
            }

            var voters = VotersOf(sources, check).Count;
            if (voters == 0)
            {
                errors.Add($"{key}: no health source checks it (give it an http URL or tcp address, or name its sources)");
            }
            else if (check.Quorum is { } quorum && (quorum < 1 || quorum > voters))
            {
                errors.Add($"{key}: quorum expected 1 to {voters} (its number of sources), got {quorum}");
            }
        }

        return errors;
    }

    /// <summary>The sources that vote on <paramref name="check"/> (see <see cref="TargetCheck.Sources"/>), in a stable order.</summary>
    internal static List<HealthSourceOptions> VotersOf(IReadOnlyDictionary<string, HealthSourceOptions> sources, TargetCheck check)
    {
        if (check.Sources.Count > 0)
        {
            return check.Sources.Distinct(StringComparer.Ordinal).Select(n => sources.GetValueOrDefault(n)).OfType<HealthSourceOptions>().ToList();
        }

        return sources.Values
            .Where(s => (s.Kind == HealthSourceKind.Http && check.HttpUrl is not null) || (s.Kind == HealthSourceKind.Tcp && check.TcpEndpoint is not null))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
    }

    internal static void ThrowIfAny(List<string> errors, string parameter)
    {
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid health configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors), parameter);
        }
    }
}
