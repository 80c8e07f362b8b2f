using System.Text.Json;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Server.Configuration;

namespace Holdfast.Server.Hosting;

/// <summary>Desired state: the configuration's zones and endpoints synced into the store, and the files earlier versions kept beside it.</summary>
public sealed partial class HoldfastHost
{
    /// <summary>Version 1 kept the targets' health checks here, beside the store; they now live in each endpoint's spec.</summary>
    internal const string LegacyHealthChecksFile = "health-checks.json";

    private static readonly JsonSerializerOptions s_legacyJson = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private async Task ApplyDesiredStateAsync(HoldfastOptions options, HoldfastOptions? previous, CancellationToken cancellationToken)
    {
        await _desiredState.RunAsync(async () =>
        {
            var changes = await DesiredState.SyncAsync(Store, options, previous, cancellationToken);
            Volatile.Write(ref _options, options);
            if (changes.Count > 0)
            {
                HostLog.ConfigApplied(Logger, changes.Count <= 20 ? string.Join("; ", changes) : $"{string.Join("; ", changes.Take(20))}; and {changes.Count - 20} more");
            }

            return changes.Count;
        }, cancellationToken);
    }

    /// <summary>
    /// Moves what version 1 kept in side files into the store: the health checks of targets made through the API
    /// (<c>health-checks.json</c>; those from the configuration file are written again by the sync anyway). The file is
    /// renamed once imported. (The zone files' change counts of <c>static-zones.json</c> move in the store's migration.)
    /// </summary>
    private async Task ImportLegacyFilesAsync(HoldfastOptions options, CancellationToken cancellationToken)
    {
        var path = Path.Combine(options.DataDirectory, LegacyHealthChecksFile);
        if (!File.Exists(path))
        {
            return;
        }

        Dictionary<string, HealthCheck> checks;
        try
        {
            checks = JsonSerializer.Deserialize<Dictionary<string, HealthCheck>>(await File.ReadAllTextAsync(path, cancellationToken), s_legacyJson) ?? [];
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{path} is not a valid health-check file ({ex.Message}); fix or delete it (checks in the configuration file are written again at start)", ex);
        }

        var updated = new List<EndpointSpec>();
        await foreach (var stored in Store.EnumerateEndpointsAsync(EndpointParts.Spec, cancellationToken))
        {
            var spec = stored.Spec!;
            var targets = spec.Targets.Select(t => t.HealthCheck is null && checks.TryGetValue(HealthView.Key(spec.Name, t.Id), out var check) ? t with { HealthCheck = check } : t).ToList();
            if (!targets.SequenceEqual(spec.Targets))
            {
                updated.Add(spec with { Targets = [.. targets] });
            }
        }

        foreach (var batch in updated.Chunk(500))
        {
            await Store.PutEndpointsAsync(batch, DesiredState.Actor, cancellationToken);
        }

        File.Move(path, path + ".imported", overwrite: true);
    }
}
