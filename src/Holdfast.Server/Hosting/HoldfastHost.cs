using System.Net;
using System.Net.Sockets;
using Holdfast.ControlPlane.Enactment;
using Holdfast.ControlPlane.Operations;
using Holdfast.ControlPlane.Planning;
using Holdfast.ControlPlane.Serving;
using Holdfast.ControlPlane.Store;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transport;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Monitoring;
using Holdfast.Server.Configuration;
using Holdfast.Server.Dashboard;
using Holdfast.Server.Metrics;
using Holdfast.Storage.Etcd;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Holdfast.Server.Hosting;

/// <summary>
/// <c>holdfast up</c> in one process: the control store the configuration names (the truth: a restart comes back to
/// the same state), the zone feed and the DNS servers (UDP and TCP on every listen address), the configuration synced
/// into the store, the health monitor and its aggregator as the planner's health view, the event-driven planner, one
/// enactor per configured availability zone, and the HTTP API with <c>/metrics</c> on Kestrel.
/// </summary>
/// <remarks>
/// Start order: the store, then the DNS data from the store's applied state and the DNS listeners — a restart answers
/// its last applied records before anything is planned — then the configuration, health, planner, enactors and API.
/// <see cref="DisposeAsync"/> stops everything, workers first, so every acknowledged store write is committed before
/// the store closes.
/// </remarks>
public sealed partial class HoldfastHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly List<DnsServer> _dns = [];
    private readonly DesiredStateGate _desiredState = new();
    private readonly HostSettings _settings;
    private WebApplication? _web;
    private HoldfastOptions _options;

    private HoldfastHost(HoldfastOptions options, HostSettings settings, IControlStore store, string token)
    {
        _options = options;
        _settings = settings;
        Store = store;
        Token = token;
        Time = settings.Time;
        Metrics = new HoldfastMetrics();
        QueryCounters = new DnsQueryCounters(Metrics);
        // Cookies are always answered: with the configured secret, or one drawn here for this process (RFC 9018 §4.4).
        Engine = new QueryEngine(null, new EdnsFeatures
        {
            Nsid = options.Dns.Nsid is { } nsid ? System.Text.Encoding.ASCII.GetBytes(nsid) : null,
            CookieSecret = options.Dns.CookieSecret ?? System.Security.Cryptography.RandomNumberGenerator.GetBytes(16),
            TcpKeepalive = new DnsServerOptions().TcpIdleTimeout,
            Time = settings.Time,
        });
        RateLimiter = options.Dns.RateLimit is { } rateLimit ? new ResponseRateLimiter(rateLimit, settings.Time) : null;
        Operations = new ControlPlaneOperations(store, settings.Time);
        Feed = new ZoneFeed(store, Engine, settings.Time, new Random(settings.Seed + 4)) { Unserved = PushOnlyZones(options) };
        Timeline = new GuardrailTimeline(settings.Time);
        TransferActivity = new TransferActivity(settings.Time);
    }

    /// <summary>The configuration running now (a successful reload replaces its zones and endpoints).</summary>
    public HoldfastOptions Options => Volatile.Read(ref _options);

    /// <summary>The bearer token of mutating calls (also in <see cref="TokenPath"/>).</summary>
    public string Token { get; }

    public string TokenPath => Path.Combine(Options.DataDirectory, ApiToken.FileName);

    internal IReadOnlyDictionary<string, Holdfast.Health.Demo.DemoHealthListener> DemoTargets => _settings.DemoTargets;

    /// <summary>Where the DNS servers listen (real ports when 0 was configured).</summary>
    public IReadOnlyList<IPEndPoint> DnsEndPoints => [.. _dns.Select(d => d.UdpEndPoint)];

    /// <summary>The API's base address, e.g. <c>http://127.0.0.1:8053</c>.</summary>
    public Uri ApiAddress { get; private set; } = new("http://127.0.0.1/");

    internal IControlStore Store { get; }

    internal TimeProvider Time { get; }

    internal HoldfastMetrics Metrics { get; }

    internal DnsQueryCounters QueryCounters { get; }

    internal QueryEngine Engine { get; }

    /// <summary>Shared by every DNS listener; null when <c>dns.rateLimit.enabled</c> is false.</summary>
    internal ResponseRateLimiter? RateLimiter { get; }

    internal ControlPlaneOperations Operations { get; }

    internal ZoneFeed Feed { get; }

    /// <summary>Guardrail decisions per minute over the last hour (the dashboard's chart).</summary>
    internal GuardrailTimeline Timeline { get; }

    /// <summary>The last transfer and NOTIFY per secondary (the dashboard's zones page).</summary>
    internal TransferActivity TransferActivity { get; }

    internal HostObserver Observer { get; private set; } = null!;

    internal EventRecorder Events { get; private set; } = null!;

    internal HealthAggregator Aggregator { get; private set; } = null!;

    internal HealthMonitor Monitor { get; private set; } = null!;

    internal HostHealthChecks Checks { get; private set; } = null!;

    internal PlannerLoop Planner { get; private set; } = null!;

    /// <summary>This process's name among the nodes that share the store (<c>store.nodeId</c>, else machine name and process id).</summary>
    internal string NodeId => Options.Store.NodeId ?? $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>On a shared (etcd) store: this node's lease, its node key and its campaign for the planner; null on SQLite.</summary>
    internal EtcdNodeMembership? Membership { get; private set; }

    internal IReadOnlyList<EnactorRunner> Enactors { get; private set; } = [];

    internal ILogger Logger { get; private set; } = null!;

    /// <summary>
    /// Opens the store, serves its applied state, syncs the configuration into it and starts every component. Throws
    /// <see cref="ControlStoreException"/> when the store cannot be opened and <see cref="SocketException"/> or
    /// <see cref="IOException"/> when a listen address is taken; whatever had started is stopped again first.
    /// </summary>
    public static async Task<HoldfastHost> StartAsync(HoldfastOptions options, HostSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        Directory.CreateDirectory(options.DataDirectory);
        var store = ControlStoreFactory.Open(options, settings.Time);
        HoldfastHost host;
        bool tokenCreated;
        try
        {
            (var token, tokenCreated) = ApiToken.LoadOrCreate(options.DataDirectory);
            host = new HoldfastHost(options, settings, store, token);
        }
        catch
        {
            (store as IDisposable)?.Dispose();
            throw;
        }

        try
        {
            await host.StartComponentsAsync(tokenCreated, cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private async Task StartComponentsAsync(bool tokenCreated, CancellationToken cancellationToken)
    {
        var options = Options;
        _web = BuildWeb(options);
        var loggers = _web.Services.GetRequiredService<ILoggerFactory>();
        Logger = loggers.CreateLogger("Holdfast");
        if (RateLimiter is not null)
        {
            RateLimiter.Limited += (prefix, kind) => HostLog.RateLimited(Logger, prefix, kind.ToString());
        }
        if (tokenCreated)
        {
            HostLog.TokenCreated(Logger, TokenPath);
        }

        Events = new EventRecorder(Store, Time, Logger);
        Observer = new HostObserver(Logger, Metrics, Events, Timeline, Time);
        Feed.LastGoodAnswerKept += Observer.LastGoodAnswerKept;
        Feed.Failed += ex => HostLog.ZoneRebuildFailed(Logger, ex);
        _workers.Add(Events.RunAsync());

        // Serve first: the zone files as last recorded, and the store's applied state, before planning anything.
        StartTransfers(options);
        var statics = ReadStaticZones(options);
        if (statics is null)
        {
            // Validated moments ago; a file changed since. Refuse, as validation would have.
            throw new InvalidOperationException("zone files changed since validation: see the log");
        }

        await Feed.SetStaticAsync(statics, cancellationToken);
        QueryCounters.SetZones(options.Zones.Select(z => z.Apex));
        var fromSnapshot = await LoadServingDataAsync(options, cancellationToken);
        foreach (var listen in options.Dns.Listen)
        {
            _dns.Add(await StartDnsAsync(listen));
        }

        if (fromSnapshot)
        {
            // The store is unreachable: DNS answers the local copy, /readyz says why the node is degraded, and the control
            // plane starts when the store answers. The feed follows the store from the copy's revision meanwhile.
            await StartWebAsync(options, cancellationToken);
            _workers.Add(Feed.RunAsync(_stop.Token));
            _workers.Add(StartControlWhenTheStoreAnswersAsync(options, statics, _stop.Token));
            return;
        }

        await StartControlAsync(options, statics, cancellationToken);
        await StartWebAsync(options, cancellationToken);
        _workers.Add(Feed.RunAsync(_stop.Token));
        StartWorkers(options);
    }

    /// <summary>
    /// Loads the DNS data from the store. On a shared store (etcd) that does not answer, the node's local copy is served
    /// instead, when there is one (true); without one the start fails, as it does on SQLite.
    /// </summary>
    private async Task<bool> LoadServingDataAsync(HoldfastOptions options, CancellationToken cancellationToken)
    {
        var path = ServingSnapshotFile.PathIn(options.DataDirectory);
        if (Store is not EtcdControlStore || !File.Exists(path))
        {
            await Feed.LoadAsync(cancellationToken);
            return false;
        }

        // With a local copy to fall back on, the store gets a few seconds, not the whole operation timeout: DNS waits on it.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(InitialLoadLimit);
        try
        {
            await Feed.LoadAsync(deadline.Token);
            return false;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            var (snapshot, writtenAt) = await ServingSnapshotFile.ReadAsync(path, cancellationToken) ?? throw new ControlStoreException(ControlStoreFailure.Io, $"the store does not answer and {path} is gone", ex);
            await Feed.LoadSnapshotAsync(snapshot, cancellationToken);
            var why = ex is OperationCanceledException ? $"no answer within {InitialLoadLimit.TotalSeconds:0} s" : ex.Message;
            Degraded = $"the store did not answer at start ({why}): DNS serves this node's local copy of revision {snapshot.Revision} ({snapshot.Endpoints.Count} endpoints, written {writtenAt:u}) and the control plane waits for the store";
            HostLog.ServingLocalSnapshot(Logger, Degraded);
            return true;
        }
    }

    /// <summary>How long a start waits for the shared store before it serves the node's local copy.</summary>
    internal static readonly TimeSpan InitialLoadLimit = TimeSpan.FromSeconds(5);

    /// <summary>Why this node is degraded (serving its local copy while the store is unreachable at start), or null.</summary>
    internal string? Degraded { get; private set; }

    /// <summary>True once the configuration, health, planner and enactors run: before that the API answers only /healthz, /readyz and /metrics.</summary>
    internal bool ControlStarted { get; private set; }

    private async Task StartControlWhenTheStoreAnswersAsync(HoldfastOptions options, IReadOnlyDictionary<string, StaticZoneRecords> statics, CancellationToken cancellationToken)
    {
        var random = new Random(_settings.Seed + 6);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // A store behind the local copy (rebuilt, or another cluster) has no changes after the copy to follow: load it afresh.
                if (await Store.GetRevisionAsync(cancellationToken) < Feed.Revision)
                {
                    await Feed.LoadAsync(cancellationToken);
                }

                await StartControlAsync(options, statics, cancellationToken);
                StartWorkers(options);
                HostLog.StoreReachable(Logger, attempt);
                Degraded = null;
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                // Capped exponential back-off with jitter: a restarted cluster of nodes does not retry in step.
                var delay = TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * Math.Pow(2, Math.Min(attempt, 6))) * (0.5 + random.NextDouble()));
                HostLog.PassFailed(Logger, ex, "start", "waiting for the store");
                await Task.Delay(delay, Time, cancellationToken);
            }
        }
    }

    /// <summary>The configuration synced into the store, the zone files recorded, health, the planner and the enactors built (not yet running).</summary>
    private async Task StartControlAsync(HoldfastOptions options, IReadOnlyDictionary<string, StaticZoneRecords> statics, CancellationToken cancellationToken)
    {
        var time = Time;
        await ImportLegacyFilesAsync(options, cancellationToken);
        await ApplyDesiredStateAsync(options, null, cancellationToken);
        await RecordStaticZonesAsync(statics, cancellationToken);

        var aggregator = new HealthAggregator(options.HealthSources, options.Health, time, Observer);
        var monitor = new HealthMonitor(aggregator, time, new Random(_settings.Seed + 1), observer: Observer);
        var checks = new HostHealthChecks(Store, monitor, time, new Random(_settings.Seed + 5));
        try
        {
            await checks.LoadAsync(cancellationToken);
        }
        catch
        {
            await monitor.DisposeAsync();
            aggregator.Dispose();
            throw;
        }

        Aggregator = aggregator;
        Monitor = monitor;
        Checks = checks;
        var plannerOptions = new PlannerOptions
        {
            FullPassInterval = options.Planner.FullPassInterval,
            WakeDelay = options.Planner.WakeDelay,
            BatchSize = options.Planner.BatchSize,
            SelfPreservation = options.Guardrails.SelfPreservation,
        };
        Planner = new PlannerLoop(Store, Aggregator, plannerOptions, time, new Random(_settings.Seed + 2), Observer);
        var enactorOptions = new EnactorOptions
        {
            FullPassInterval = options.Planner.EnactorFullPassInterval,
            BatchSize = options.Planner.BatchSize,
            KeepPlans = options.Guardrails.KeepPlans,
        };
        Enactors = [.. options.Enactors.Select((e, i) => new EnactorRunner(e.Az, new Enactor(e.Id, Store, enactorOptions, time, new Random(_settings.Seed + 10 + i), Observer)))];
    }

    private async Task StartWebAsync(HoldfastOptions options, CancellationToken cancellationToken)
    {
        await _web!.StartAsync(cancellationToken);
        var address = _web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        ApiAddress = new Uri(address ?? $"http://{options.Api.Listen}");
    }

    /// <summary>Starts what runs until the host stops: NOTIFY, health, the planner (or its campaign), enactors, push and the local copy.</summary>
    private void StartWorkers(HoldfastOptions options)
    {
        StartNotifier(options);
        RegisterObservableMetrics();
        Monitor.Start(_stop.Token);
        _workers.Add(Checks.RunAsync(ex => HostLog.PassFailed(Logger, ex, "health-checks", "all endpoints"), _stop.Token));
        if (Store is EtcdControlStore etcd)
        {
            // Several nodes share this store: every node enacts and serves; the planner runs on the node elected for it.
            Membership = new EtcdNodeMembership(etcd, NodeId, $"dns {string.Join(", ", DnsEndPoints)} api {ApiAddress}", Time);
            _workers.Add(Membership.RunAsync(Planner.RunAsync, _stop.Token));
            _workers.Add(KeepServingSnapshotAsync(ServingSnapshotFile.PathIn(options.DataDirectory), _stop.Token));
        }
        else
        {
            _workers.Add(Planner.RunAsync(_stop.Token));
        }

        _workers.AddRange(Enactors.Select(e => e.Start(_stop.Token)));
        StartPush(options);
        ControlStarted = true;
        HostLog.HostStarted(Logger, ControlStoreFactory.Describe(Store), string.Join(", ", DnsEndPoints), ApiAddress.ToString());
    }

    /// <summary>Rewrites the local copy of what is served whenever the served revision has moved, at most every <see cref="HostSettings.ServingSnapshotInterval"/>.</summary>
    private async Task KeepServingSnapshotAsync(string path, CancellationToken cancellationToken)
    {
        var written = -1L;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (Feed.Revision >= 0 && Feed.Revision != written)
                {
                    var snapshot = await Feed.ExportAsync(cancellationToken);
                    await ServingSnapshotFile.WriteAsync(path, snapshot, Time.GetUtcNow(), cancellationToken);
                    written = snapshot.Revision;
                }

                await Task.Delay(_settings.ServingSnapshotInterval, Time, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is IOException or UnauthorizedAccessException)
            {
                HostLog.PassFailed(Logger, ex, "serving-snapshot", path);
                await Task.Delay(_settings.ServingSnapshotInterval, Time, cancellationToken);
            }
        }
    }

    // Port 0 takes UDP's free port for TCP too; that TCP port may be taken by someone else: try another.
    private async Task<DnsServer> StartDnsAsync(IPEndPoint listen)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = new DnsServer(Engine, new DnsServerOptions { Listen = listen, Observer = QueryCounters, RateLimiter = RateLimiter }, Time, Transfers);
            try
            {
                await server.StartAsync();
                server.LoopFailed += (transport, ex) => HostLog.DnsLoopFailed(Logger, ex, transport);
                return server;
            }
            catch (SocketException ex) when (listen.Port == 0 && attempt < 10 && ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>
    /// Reads the configuration file again and applies its zones, endpoints and zone files (SIGHUP). An invalid file
    /// changes nothing: the errors are logged and returned, the running configuration stays. Keys that need a restart
    /// (listen addresses, data directory, store, enactors, health sources, intervals, guardrails) keep their running
    /// values and are named in a warning.
    /// </summary>
    public async Task<ConfigResult> ReloadAsync(CancellationToken cancellationToken = default)
    {
        if (_settings.ConfigPath is null)
        {
            return new ConfigResult(null, [new ConfigError("(file)", "reload", "the host was started without a configuration file")]);
        }

        var result = ConfigValidator.ValidateFile(_settings.ConfigPath, _settings.Environment);
        if (result.Options is not { } next)
        {
            HostLog.ConfigReloadFailed(Logger, string.Concat(result.Errors.Select(e => "\n  " + e)));
            return result;
        }

        var current = Options;
        var restart = RestartOnlyChanges(current, next);
        if (restart.Count > 0)
        {
            HostLog.ConfigNeedsRestart(Logger, string.Join(", ", restart));
        }

        var applied = current with { Zones = next.Zones, Endpoints = next.Endpoints };
        await ApplyDesiredStateAsync(applied, current, cancellationToken);
        QueryCounters.SetZones(applied.Zones.Select(z => z.Apex));

        // The files were valid when the configuration was validated; one that broke since keeps the old records.
        if (ReadStaticZones(applied) is { } statics)
        {
            await Feed.SetStaticAsync(statics, cancellationToken);
            await RecordStaticZonesAsync(statics, cancellationToken);
        }

        // A reload returns once what it changed is served (secondaries get the NOTIFY from there).
        await Feed.WaitForRevisionAsync(await Store.GetRevisionAsync(cancellationToken), TimeSpan.FromSeconds(10), cancellationToken);
        return result;
    }

    private static List<string> RestartOnlyChanges(HoldfastOptions current, HoldfastOptions next)
    {
        var changed = new List<string>();
        void Compare(string key, bool same)
        {
            if (!same)
            {
                changed.Add(key);
            }
        }

        Compare("dataDirectory", current.DataDirectory == next.DataDirectory);
        Compare("store", current.Store == next.Store);
        Compare("dns", current.Dns.Listen.SequenceEqual(next.Dns.Listen) && Equals(current.Dns.Tsig?.NameText, next.Dns.Tsig?.NameText) && (current.Dns.Tsig?.Secret ?? []).AsSpan().SequenceEqual(next.Dns.Tsig?.Secret ?? [])
            && current.Dns.JournalDepth == next.Dns.JournalDepth && current.Dns.JournalMaxBytes == next.Dns.JournalMaxBytes);
        Compare("api", current.Api == next.Api);
        Compare("metrics", current.Metrics == next.Metrics);
        Compare("enactors", current.Enactors.SequenceEqual(next.Enactors));
        Compare("healthSources", current.HealthSources.SequenceEqual(next.HealthSources));
        Compare("health", current.Health == next.Health);
        Compare("guardrails", current.Guardrails == next.Guardrails);
        Compare("planner", current.Planner == next.Planner);
        Compare("zones[].allowTransfer, zones[].notify", TransferPeers(current).SequenceEqual(TransferPeers(next)));
        Compare("zones[].push", PushTargets(current).SequenceEqual(PushTargets(next)));
        return changed;
    }

    private static IEnumerable<(string Apex, ZonePushOptions Push)> PushTargets(HoldfastOptions options) =>
        options.Zones.Where(z => z.Push is not null).Select(z => (z.Apex, z.Push!));

    private static List<string> TransferPeers(HoldfastOptions options) =>
        [.. options.Zones.Where(z => !z.AllowTransfer.IsEmpty || !z.Notify.IsEmpty).Select(z => $"{z.Apex} {string.Join(',', z.AllowTransfer)} {string.Join(',', z.Notify)}")];

    /// <summary>Stops every worker, then the listeners, then closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (Monitor is not null)
        {
            await Monitor.DisposeAsync();
        }

        Events?.Complete();
        try
        {
            await Task.WhenAll(_workers);
        }
        catch (OperationCanceledException)
        {
            // Cancellation is how the workers stop.
        }

        foreach (var server in _dns)
        {
            await server.DisposeAsync();
        }

        await StopTransfersAsync();
        if (Logger is not null)
        {
            HostLog.HostStopped(Logger);
        }

        if (_web is not null)
        {
            await _web.StopAsync();
            await _web.DisposeAsync();
        }

        Planner?.Dispose();
        Aggregator?.Dispose();
        Metrics.Dispose();
        (Store as IDisposable)?.Dispose();
        _desiredState.Dispose();
        _stop.Dispose();
    }
}
