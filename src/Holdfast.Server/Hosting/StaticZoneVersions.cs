using System.Text.Json;
using Holdfast.ControlPlane.Serving;
using Holdfast.Dns.Zones;

namespace Holdfast.Server.Hosting;

/// <summary>
/// The durable count of static-data changes per zone, in <c>static-zones.json</c> in the data directory: for each
/// apex, the digest of the records last served and how many times the digest has changed. The count is part of
/// the zone's serial (<see cref="AppliedZoneBuilder"/>), so it must never go back, across restarts too: the file is
/// written (to a temporary file, flushed, then renamed) before the new records are served. Not thread-safe: the
/// host calls it under its mutation lock.
/// </summary>
internal sealed class StaticZoneVersions
{
    public const string FileName = "static-zones.json";
    private readonly string _path;
    private Dictionary<string, Entry> _entries;

    private StaticZoneVersions(string path, Dictionary<string, Entry> entries)
    {
        _path = path;
        _entries = entries;
    }

    /// <summary>Reads the file (none yet: every zone starts at 0 changes). Throws <see cref="IOException"/> or <see cref="JsonException"/> on a broken file.</summary>
    public static StaticZoneVersions Open(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var entries = File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllText(path)) ?? []
            : [];
        return new StaticZoneVersions(path, new Dictionary<string, Entry>(entries, StringComparer.Ordinal));
    }

    /// <summary>
    /// The records of each zone with their change count: the stored count when the content is the same, one more
    /// when it differs (a zone seen for the first time starts at 0). Persists the result before returning it.
    /// </summary>
    public IReadOnlyDictionary<string, StaticZoneRecords> Advance(IReadOnlyDictionary<string, IReadOnlyList<ZoneRecord>> records)
    {
        var result = new Dictionary<string, StaticZoneRecords>(StringComparer.Ordinal);
        var next = new Dictionary<string, Entry>(_entries, StringComparer.Ordinal);
        foreach (var (apex, zoneRecords) in records)
        {
            var known = _entries.GetValueOrDefault(apex);
            var current = new StaticZoneRecords(zoneRecords, 0).After(known?.Digest, known?.Changes ?? 0);
            result[apex] = current;
            next[apex] = new Entry(current.Digest, current.Changes);
        }

        if (next.Count != _entries.Count || next.Any(e => _entries.GetValueOrDefault(e.Key) != e.Value))
        {
            var temporary = _path + ".tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, next.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => e.Value));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, _path, overwrite: true);
            _entries = next;
        }

        return result;
    }

    /// <param name="Digest">See <see cref="StaticZoneRecords.Digest"/>.</param>
    internal sealed record Entry(string Digest, long Changes);
}
