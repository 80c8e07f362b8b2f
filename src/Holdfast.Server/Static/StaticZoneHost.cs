using System.Net;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Transport;
using Holdfast.Dns.Zones;

namespace Holdfast.Server.Static;

/// <summary>
/// Serves zones from master files with no control plane (<c>holdfast serve</c>): reads every file, answers
/// from them over UDP and TCP, and re-reads them on <see cref="Reload"/>. A file that fails to read keeps its
/// zone's previous data serving and its problems are logged as <c>file:line: message</c>; the zones whose
/// files are good are swapped in together, in one <see cref="ZoneSet"/>. Zone transfers (AXFR, and IXFR from
/// the journal of the snapshots served before, kept across restarts in <see cref="StaticZoneOptions.JournalDirectory"/>
/// when it is set) go to the allowed prefixes; every serial change is announced to
/// the NOTIFY targets (RFC 1996), one log line per transfer served and per NOTIFY exchange.
/// Thread-safe: reloads are serialized; queries run on the server's loops against immutable data.
/// </summary>
public sealed class StaticZoneHost : IAsyncDisposable
{
    private readonly StaticZoneOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly TextWriter _log;
    private readonly Lock _reload = new();
    private readonly Dictionary<string, ZoneSnapshot> _served = new(StringComparer.Ordinal);
    private readonly ZoneJournal? _journal;
    private DnsServer? _server;
    private ZoneNotifier? _notifier;

    /// <param name="random">Seeded; gives NOTIFY message IDs.</param>
    /// <param name="log">Receives one line per load, reload, transfer, NOTIFY and problem; written under a lock.</param>
    public StaticZoneHost(StaticZoneOptions options, TimeProvider time, Random random, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(log);
        _options = options;
        _time = time;
        _random = random;
        _log = log;

        // Cookies are always answered, as in the host: with --cookie-secret, or a secret drawn here (RFC 9018 §4.4).
        Engine = new QueryEngine(null, new EdnsFeatures
        {
            Nsid = options.Nsid,
            CookieSecret = options.CookieSecret ?? System.Security.Cryptography.RandomNumberGenerator.GetBytes(16),
            TcpKeepalive = new DnsServerOptions().TcpIdleTimeout,
            Time = time,
        });
        if (options.RateLimit is { } rateLimit)
        {
            RateLimiter = new ResponseRateLimiter(rateLimit, time);
            RateLimiter.Limited += (prefix, kind) => Log($"rate limiting {prefix}: {kind} responses above the limit are dropped or truncated (--rate-limit)");
        }

        // Made before the first load, so that the journal holds every snapshot served: IXFR from any of them. With
        // --journal, each zone's history is read back at its first load and kept only if it ends at the file's serial.
        if (options.JournalDirectory is { } directory)
        {
            _journal = ZoneJournal.Persistent(directory, options.Transfers, time);
            _journal.Noticed += notice => Log(notice.ToString());
        }

        Transfers = new ZoneTransferHandler(Engine, options.Transfers, time, _journal);
        Transfers.Served += entry => Log(TransferLine(entry));
    }

    /// <summary>The engine answering from the zones, with NSID and cookies; usable without sockets.</summary>
    public QueryEngine Engine { get; }

    /// <summary>The UDP response rate limiter; null with <c>--rate-limit off</c>.</summary>
    public ResponseRateLimiter? RateLimiter { get; }

    /// <summary>Answers AXFR, IXFR, NOTIFY and signed queries; holds the IXFR journal.</summary>
    public ZoneTransferHandler Transfers { get; }

    /// <summary>The bound address (with the real port when port 0 was asked for).</summary>
    public IPEndPoint EndPoint => _server?.UdpEndPoint ?? throw new InvalidOperationException("not started");

    /// <summary>The serial served now for each zone apex.</summary>
    public IReadOnlyDictionary<string, uint> Serials
    {
        get
        {
            lock (_reload)
            {
                return _served.ToDictionary(z => z.Key, z => z.Value.Serial, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Reads every file at start. False when any fails (each problem logged): then nothing is served.</summary>
    public bool Load()
    {
        lock (_reload)
        {
            var loaded = new Dictionary<string, ZoneSnapshot>(StringComparer.Ordinal);
            foreach (var source in _options.Zones)
            {
                if (TryReadZone(source, out var zone, out var errors))
                {
                    loaded[source.Origin] = zone!;
                    Log($"zone {source.Origin} from {source.File}: serial {zone!.Serial}, {RecordCount(zone)} records");
                }
                else
                {
                    LogErrors(errors);
                }
            }

            if (loaded.Count != _options.Zones.Count)
            {
                return false;
            }

            Publish(loaded);
            return true;
        }
    }

    /// <summary>
    /// Re-reads every file (SIGHUP). A zone whose file fails keeps serving what it served; the others
    /// take their new data. Returns how many files failed.
    /// </summary>
    public int Reload()
    {
        lock (_reload)
        {
            var next = new Dictionary<string, ZoneSnapshot>(_served, StringComparer.Ordinal);
            var failed = 0;
            foreach (var source in _options.Zones)
            {
                var previous = _served.GetValueOrDefault(source.Origin);
                if (!TryReadZone(source, out var zone, out var errors))
                {
                    failed++;
                    LogErrors(errors);
                    Log($"zone {source.Origin}: {errors.Count} problem(s) in {source.File}; still serving serial {previous?.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}");
                    continue;
                }

                next[source.Origin] = zone!;
                var warning = previous is not null && zone!.Serial == previous.Serial ? " (serial unchanged: secondaries will not see this change)" : "";
                Log($"reloaded zone {source.Origin} from {source.File}: serial {zone!.Serial}, {RecordCount(zone)} records{warning}");
            }

            Publish(next);
            return failed;
        }
    }

    /// <summary>
    /// Binds the listen address, starts answering and starts announcing serial changes. Throws
    /// <see cref="System.Net.Sockets.SocketException"/> when it cannot bind.
    /// </summary>
    public async Task StartAsync()
    {
        _server = new DnsServer(Engine, new DnsServerOptions { Listen = _options.Listen, RateLimiter = RateLimiter }, _time, Transfers);
        _server.LoopFailed += (loop, ex) => Log($"DNS {loop} loop stopped: {ex.Message}");
        await _server.StartAsync();
        if (_options.Notify.Count > 0)
        {
            // The zones loaded before this are not announced: a secondary asks on its own at start and on refresh.
            _notifier = new ZoneNotifier(Engine, _options.Transfers, _time, _random);
            _notifier.Completed += outcome => Log($"notify {outcome.Zone} serial {outcome.Serial} to {outcome.Target}: {outcome.Result.ToString().ToLowerInvariant()} after {outcome.Attempts} attempt(s)");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_notifier is not null)
        {
            await _notifier.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Transfers.Dispose();
        if (_journal is not null)
        {
            await _journal.DisposeAsync();
        }
    }

    /// <summary>One log line for a transfer served, e.g. <c>transfer svc.example. ixfrincremental 1 -> 2 to 127.0.0.1 (1 message(s), 7 records)</c>.</summary>
    public static string TransferLine(TransferLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var from = entry.FromSerial is { } serial ? $"{serial} -> " : "";
        var key = entry.TsigKey is null ? "" : $", key {entry.TsigKey}";
        return $"transfer {entry.Zone} {entry.Kind.ToString().ToLowerInvariant()} {from}{entry.ToSerial} to {entry.Client} ({entry.Messages} message(s), {entry.Records} records{key})";
    }

    /// <summary>
    /// Reads one master file, streamed: the text is never held whole (a 100,000-endpoint zone is 15 MB of it).
    /// An unreadable file is an error at line 0.
    /// </summary>
    public static bool TryReadZone(StaticZoneSource source, out ZoneSnapshot? zone, out IReadOnlyList<MasterFileError> errors)
    {
        ArgumentNullException.ThrowIfNull(source);
        StreamReader reader;
        try
        {
            reader = new StreamReader(source.File, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return Unreadable(source, ex, out zone, out errors);
        }

        using (reader)
        {
            try
            {
                return MasterFileReader.TryRead(reader, source.File, source.Origin, out zone, out errors);
            }
            catch (IOException ex)
            {
                return Unreadable(source, ex, out zone, out errors);
            }
        }
    }

    private static bool Unreadable(StaticZoneSource source, Exception ex, out ZoneSnapshot? zone, out IReadOnlyList<MasterFileError> errors)
    {
        zone = null;
        errors = [new MasterFileError(source.File, 0, "cannot read the zone file: " + ex.Message)];
        return false;
    }

    private void Publish(Dictionary<string, ZoneSnapshot> zones)
    {
        _served.Clear();
        foreach (var (origin, zone) in zones)
        {
            _served[origin] = zone;
        }

        Engine.Update(new ZoneSet(zones.Values));
    }

    private static int RecordCount(ZoneSnapshot zone) => zone.Nodes.Values.Sum(node => node.Values.Sum(set => set.Count));

    private void LogErrors(IReadOnlyList<MasterFileError> errors)
    {
        foreach (var error in errors)
        {
            Log(error.ToString());
        }
    }

    private void Log(string line)
    {
        lock (_log)
        {
            _log.WriteLine("holdfast serve: " + line);
        }
    }
}
