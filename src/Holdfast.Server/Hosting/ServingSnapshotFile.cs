using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Serving;
using Holdfast.ControlPlane.Store;
using Holdfast.Dns.Zones;

namespace Holdfast.Server.Hosting;

/// <summary>
/// A node's local copy of what it serves (<c>serving-snapshot.json</c> in the data directory), kept when the store is
/// shared (etcd): a node restarted while etcd is unreachable answers from it — its last good answers under the same
/// serials — instead of answering nothing. Written whole to a temporary file, flushed to disk and renamed over the old
/// one (rename is atomic on POSIX), so a crash mid-write leaves the previous copy. Format version 1:
/// <code>
/// { "version": 1, "revision": R, "writtenAt": "…", "zones": [ { "apex", "soa": {…}, "ns": […], "defaultTtl", "servingRevision", "staticDigest" } ],
///   "endpoints": [ { "name", "zone", "ttl", "maxAnswers", "addresses": [ { "address", "weight" } ] } ] }
/// </code>
/// </summary>
internal static class ServingSnapshotFile
{
    public const string FileName = "serving-snapshot.json";
    private const int Version = 1;
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    public static async Task WriteAsync(string path, ServingSnapshot snapshot, DateTimeOffset writtenAt, CancellationToken cancellationToken = default)
    {
        var document = new SnapshotDocument(
            Version,
            snapshot.Revision,
            writtenAt,
            [.. snapshot.Zones.Select(z => new ZoneDocument(z.Spec.Apex, z.Spec.Soa, z.Spec.NameServers, z.Spec.DefaultTtl, z.ServingRevision, z.StaticDigest))],
            [.. snapshot.Endpoints.Select(e => new EndpointDocument(
                e.Served.Name, e.Zone, e.Served.Ttl, e.Served.MaxAnswers, [.. e.Served.Addresses.Select(a => new AddressDocument(a.Address.ToString(), a.Weight))]))]);
        var temporary = path + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await JsonSerializer.SerializeAsync(file, document, s_json, cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The copy in <paramref name="path"/> and when it was written; null when there is none. Throws <see cref="InvalidDataException"/> naming the file when it cannot be read.</summary>
    public static async Task<(ServingSnapshot Snapshot, DateTimeOffset WrittenAt)?> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var file = File.OpenRead(path);
            var document = await JsonSerializer.DeserializeAsync<SnapshotDocument>(file, s_json, cancellationToken)
                ?? throw new InvalidDataException($"{path}: empty");
            if (document.Version != Version)
            {
                throw new InvalidDataException($"{path}: format version {document.Version}, this Holdfast reads version {Version}");
            }

            var snapshot = new ServingSnapshot(
                document.Revision,
                [.. document.Zones.Select(z => new StoredZone(new ZoneSpec(z.Apex, z.Soa, z.Ns, z.DefaultTtl), z.ServingRevision, z.StaticDigest))],
                [.. document.Endpoints.Select(e => new ServingSnapshotEndpoint(e.Zone, new ServedZoneEndpoint(
                    e.Name, e.Ttl, e.MaxAnswers, [.. e.Addresses.Select(a => new EndpointAddress(IPAddress.Parse(a.Address), a.Weight))])))]);
            return (snapshot, document.WrittenAt);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or NullReferenceException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: not a serving snapshot Holdfast can read: {ex.Message}", ex);
        }
    }

    private sealed record SnapshotDocument(int Version, long Revision, DateTimeOffset WrittenAt, List<ZoneDocument> Zones, List<EndpointDocument> Endpoints);

    private sealed record ZoneDocument(string Apex, SoaValues Soa, ImmutableArray<string> Ns, int DefaultTtl, long ServingRevision, string? StaticDigest);

    private sealed record EndpointDocument(string Name, string Zone, int Ttl, int MaxAnswers, List<AddressDocument> Addresses);

    private sealed record AddressDocument(string Address, int Weight);
}
