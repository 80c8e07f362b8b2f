using System.Text.Json;
using Holdfast.ControlPlane.Model;
using Holdfast.Health.Aggregation;
using Holdfast.Server.Configuration;

namespace Holdfast.Server.Hosting;

/// <summary>
/// The health check of every target, from the configuration file and from the API, kept in
/// <c>&lt;dataDirectory&gt;/health-checks.json</c> because the control store's target model has no check:
/// a target made through the API keeps its check across restarts. Written atomically (temporary file and
/// rename). Thread-safe.
/// </summary>
internal sealed class HealthCheckRegistry
{
    public const string FileName = "health-checks.json";
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
    private readonly string _path;
    private readonly Lock _lock = new();
    private Dictionary<string, HealthCheckOptions> _checks;

    private HealthCheckRegistry(string path, Dictionary<string, HealthCheckOptions> checks)
    {
        _path = path;
        _checks = checks;
    }

    public static HealthCheckRegistry Open(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            return new HealthCheckRegistry(path, new(StringComparer.Ordinal));
        }

        try
        {
            var checks = JsonSerializer.Deserialize<Dictionary<string, HealthCheckOptions>>(File.ReadAllText(path), s_json) ?? [];
            return new HealthCheckRegistry(path, new(checks, StringComparer.Ordinal));
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{path} is not a valid health-check file ({ex.Message}); fix or delete it (checks in the configuration file are written again at start)", ex);
        }
    }

    public HealthCheckOptions? Find(string endpoint, string targetId)
    {
        lock (_lock)
        {
            return _checks.GetValueOrDefault(HealthView.Key(endpoint, targetId));
        }
    }

    /// <summary>Sets (or, with null, removes) the checks of the given targets and saves when anything changed.</summary>
    public void Set(IEnumerable<(string Endpoint, string TargetId, HealthCheckOptions? Check)> checks)
    {
        lock (_lock)
        {
            var next = new Dictionary<string, HealthCheckOptions>(_checks, StringComparer.Ordinal);
            foreach (var (endpoint, targetId, check) in checks)
            {
                var key = HealthView.Key(endpoint, targetId);
                if (check is null)
                {
                    next.Remove(key);
                }
                else
                {
                    next[key] = check;
                }
            }

            if (Same(next, _checks))
            {
                return;
            }

            var temporary = _path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(next, s_json));
            File.Move(temporary, _path, overwrite: true);
            _checks = next;
        }
    }

    /// <summary>The checks for every target of <paramref name="endpoints"/> that has one.</summary>
    public IReadOnlyList<TargetCheck> ChecksFor(IEnumerable<EndpointSpec> endpoints)
    {
        lock (_lock)
        {
            return endpoints
                .SelectMany(e => e.Targets.Select(t => DesiredState.ToCheck(e.Name, t, _checks.GetValueOrDefault(HealthView.Key(e.Name, t.Id)))))
                .OfType<TargetCheck>()
                .ToList();
        }
    }

    private static bool Same(Dictionary<string, HealthCheckOptions> a, Dictionary<string, HealthCheckOptions> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && JsonSerializer.Serialize(kv.Value, s_json) == JsonSerializer.Serialize(other, s_json));
}
