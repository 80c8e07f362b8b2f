using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Holdfast.Client.Telemetry;
using Microsoft.Extensions.Logging;

namespace Holdfast.Client.Resolution;

/// <summary>
/// The last good addresses of every name, kept in memory and in one JSON file so that a process restarted while DNS
/// is down still has somewhere to connect. The file is rewritten whole (temporary file, then rename, so a crash
/// leaves the old or the new file and never half of one) on a background task when a name's set changes or its
/// record is older than <see cref="HoldfastResolverOptions.LastKnownGoodRewriteInterval"/>. A file that cannot be read
/// is logged and ignored: the cache is an optimisation, never a reason to fail.
/// </summary>
internal sealed class LastKnownGoodStore
{
    private const int FormatVersion = 1;
    private readonly ConcurrentDictionary<string, SavedAddresses> _names = new(DnsNameComparer.Instance);
    private readonly HoldfastResolverOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task _pending = Task.CompletedTask;
    private int _dirty;

    public LastKnownGoodStore(HoldfastResolverOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        if (options.LastKnownGoodPath is { } path && File.Exists(path))
        {
            Load(path);
        }
    }

    public int Count => _names.Count;

    /// <summary>The saved addresses of <paramref name="name"/> when they are at most <see cref="HoldfastResolverOptions.MaxLastKnownGoodAge"/> old.</summary>
    public bool TryGet(string name, out SavedAddresses saved) =>
        _names.TryGetValue(name, out saved!) && _time.GetUtcNow() - saved.SavedAt <= _options.MaxLastKnownGoodAge;

    public void Remember(string name, ImmutableArray<IPAddress> addresses)
    {
        if (_options.LastKnownGoodPath is null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        if (_names.TryGetValue(name, out var saved) && SameSet(saved.Addresses, addresses) && now - saved.SavedAt < _options.LastKnownGoodRewriteInterval)
        {
            return;
        }

        _names[Canonical(name)] = new SavedAddresses(addresses, now);
        ScheduleWrite();
    }

    public void Forget(string name)
    {
        if (_names.TryRemove(name, out _))
        {
            ScheduleWrite();
        }
    }

    /// <summary>Completes when every change made so far is on disk (or failed and was logged).</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return _pending;
        }
    }

    private void ScheduleWrite()
    {
        if (_options.LastKnownGoodPath is null)
        {
            return;
        }

        // Coalesce: one write picks up every change made before it starts.
        Interlocked.Exchange(ref _dirty, 1);
        lock (_gate)
        {
            _pending = _pending.ContinueWith(_ => WriteIfDirtyAsync(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    private async Task WriteIfDirtyAsync()
    {
        if (Interlocked.Exchange(ref _dirty, 0) == 0)
        {
            return;
        }

        var path = _options.LastKnownGoodPath!;
        // Writes run one at a time: each is chained behind the previous one (ScheduleWrite).
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temporary = path + ".tmp";
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
                json.WriteStartObject();
                json.WriteNumber("version", FormatVersion);
                json.WriteStartObject("names");
                foreach (var (name, saved) in _names.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    json.WriteStartObject(name);
                    json.WriteString("savedAt", saved.SavedAt);
                    json.WriteStartArray("addresses");
                    foreach (var address in saved.Addresses)
                    {
                        json.WriteStringValue(address.ToString());
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ClientLog.LastKnownGoodWriteFailed(_logger, path, ex);
        }
    }

    private void Load(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (!root.TryGetProperty("version", out var version) || version.GetInt32() != FormatVersion)
            {
                throw new JsonException($"expected \"version\": {FormatVersion}");
            }

            foreach (var entry in root.GetProperty("names").EnumerateObject())
            {
                var addresses = entry.Value.GetProperty("addresses").EnumerateArray()
                    .Select(a => IPAddress.TryParse(a.GetString(), out var address) ? address : throw new JsonException($"{entry.Name}: '{a.GetString()}' is not an address"))
                    .ToImmutableArray();
                if (addresses.Length > 0)
                {
                    _names[entry.Name] = new SavedAddresses(addresses, entry.Value.GetProperty("savedAt").GetDateTimeOffset());
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            _names.Clear();
            ClientLog.LastKnownGoodReadFailed(_logger, path, ex);
        }
    }

    private static string Canonical(string name) => name.EndsWith('.') ? name.ToLowerInvariant() : name.ToLowerInvariant() + ".";

    private static bool SameSet(ImmutableArray<IPAddress> a, ImmutableArray<IPAddress> b) =>
        a.Length == b.Length && a.All(b.Contains);
}
