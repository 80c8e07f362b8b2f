using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Planning;

/// <summary>
/// What self-preservation counts, per zone, kept up to date from events instead of a scan of every target: how many
/// enabled targets the zone has, and since when each of those that is down now has been down. Updated by endpoint puts
/// and deletes (the change feed) and aggregated health changes; rebuilt from scratch by every full pass, so a lost
/// event is repaired there. Thread-safe.
/// </summary>
public sealed class ZoneHealthTracker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Zone, string[] Enabled)> _endpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ZoneCounts> _zones = new(StringComparer.Ordinal);

    /// <summary>Replaces everything with <paramref name="endpoints"/> as <paramref name="health"/> sees them.</summary>
    public void Reset(IEnumerable<EndpointSpec> endpoints, HealthView health)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        lock (_lock)
        {
            _endpoints.Clear();
            _zones.Clear();
            foreach (var spec in endpoints)
            {
                AddLocked(spec, health);
            }
        }
    }

    /// <summary>An endpoint was created or changed.</summary>
    public void Set(EndpointSpec spec, HealthView health)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_lock)
        {
            RemoveLocked(spec.Name);
            AddLocked(spec, health);
        }
    }

    public void Remove(string endpoint)
    {
        lock (_lock)
        {
            RemoveLocked(endpoint);
        }
    }

    /// <summary>A target's aggregated health changed; only enabled targets of known endpoints count.</summary>
    public void Apply(HealthChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            if (!_endpoints.TryGetValue(change.Endpoint, out var entry) || Array.IndexOf(entry.Enabled, change.TargetId) < 0)
            {
                return;
            }

            var down = _zones[entry.Zone].Down;
            var key = HealthView.Key(change.Endpoint, change.TargetId);
            if (change.Current.State == HealthState.Down)
            {
                down[key] = change.Current.Since;
            }
            else
            {
                down.Remove(key);
            }
        }
    }

    /// <summary>The zone's enabled targets and the down-since times of those down now (a copy).</summary>
    public (int Enabled, IReadOnlyCollection<DateTimeOffset> DownSince) Counts(string zone)
    {
        lock (_lock)
        {
            return _zones.TryGetValue(zone, out var counts) ? (counts.Enabled, [.. counts.Down.Values]) : (0, []);
        }
    }

    /// <summary>The zone of a known endpoint, or null.</summary>
    public string? ZoneOf(string endpoint)
    {
        lock (_lock)
        {
            return _endpoints.TryGetValue(endpoint, out var entry) ? entry.Zone : null;
        }
    }

    /// <summary>Every zone with at least one endpoint.</summary>
    public IReadOnlyList<string> Zones
    {
        get
        {
            lock (_lock)
            {
                return [.. _zones.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    private void AddLocked(EndpointSpec spec, HealthView health)
    {
        var enabled = spec.EnabledTargets.Select(t => t.Id).ToArray();
        _endpoints[spec.Name] = (spec.Zone, enabled);
        if (!_zones.TryGetValue(spec.Zone, out var counts))
        {
            _zones[spec.Zone] = counts = new ZoneCounts();
        }

        counts.Endpoints++;
        counts.Enabled += enabled.Length;
        foreach (var id in enabled)
        {
            if (health.Find(spec.Name, id) is { State: HealthState.Down } h)
            {
                counts.Down[HealthView.Key(spec.Name, id)] = h.Since;
            }
        }
    }

    private void RemoveLocked(string endpoint)
    {
        if (!_endpoints.Remove(endpoint, out var entry))
        {
            return;
        }

        var counts = _zones[entry.Zone];
        counts.Endpoints--;
        counts.Enabled -= entry.Enabled.Length;
        foreach (var id in entry.Enabled)
        {
            counts.Down.Remove(HealthView.Key(endpoint, id));
        }

        if (counts.Endpoints == 0)
        {
            _zones.Remove(entry.Zone);
        }
    }

    private sealed class ZoneCounts
    {
        public int Endpoints { get; set; }

        public int Enabled { get; set; }

        public Dictionary<string, DateTimeOffset> Down { get; } = new(StringComparer.Ordinal);
    }
}
