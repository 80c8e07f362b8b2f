using Holdfast.ControlPlane.Loops;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Monitoring;

namespace Holdfast.Server.Hosting;

/// <summary>
/// Keeps the health monitor's targets in step with the desired state in the store: each target's health check is part
/// of its endpoint's spec, so every node probes what the store says. Loads every endpoint's checks at start, then
/// follows the change feed (an endpoint put or deleted changes that endpoint's checks only).
/// </summary>
internal sealed class HostHealthChecks
{
    private readonly IControlStore _store;
    private readonly HealthMonitor _monitor;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, IReadOnlyList<TargetCheck>> _checks = new(StringComparer.Ordinal);
    private long _revision;

    public HostHealthChecks(IControlStore store, HealthMonitor monitor, TimeProvider time, Random random)
    {
        _store = store;
        _monitor = monitor;
        _time = time;
        _random = random;
    }

    /// <summary>The checks of one target, as configured now (null when it has none).</summary>
    public TargetCheck? Find(string endpoint, string targetId)
    {
        lock (_lock)
        {
            return _checks.TryGetValue(endpoint, out var checks) ? checks.FirstOrDefault(c => c.TargetId == targetId) : null;
        }
    }

    /// <summary>Reads every endpoint's checks from the store and configures the monitor with them.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        _revision = await _store.GetRevisionAsync(cancellationToken);
        var all = new Dictionary<string, IReadOnlyList<TargetCheck>>(StringComparer.Ordinal);
        await foreach (var stored in _store.EnumerateEndpointsAsync(EndpointParts.Spec, cancellationToken))
        {
            all[stored.Name] = ChecksOf(stored.Spec!);
        }

        lock (_lock)
        {
            _checks.Clear();
            foreach (var (name, checks) in all)
            {
                _checks[name] = checks;
            }

            Configure();
        }
    }

    /// <summary>Follows the change feed until cancelled.</summary>
    public Task RunAsync(Action<Exception> onFailure, CancellationToken cancellationToken) =>
        ChangeFollower.RunAsync(_store, _revision, OnPageAsync, onFailure, TimeSpan.FromSeconds(30), _time, _random, cancellationToken);

    /// <summary>The health check of one target as the aggregator takes it, or null when nobody checks it.</summary>
    public static TargetCheck? ToCheck(string endpoint, Target target) => target.HealthCheck is not { } check ? null : new TargetCheck(endpoint, target.Id)
    {
        HttpUrl = check.Kind == HealthCheckKind.Http ? check.Url : null,
        TcpEndpoint = check.Kind == HealthCheckKind.Tcp && check.Port is { } port ? new System.Net.IPEndPoint(target.Address, port) : null,
        Sources = check.Sources,
        Quorum = check.Quorum,
    };

    private static IReadOnlyList<TargetCheck> ChecksOf(EndpointSpec spec) => [.. spec.Targets.Select(t => ToCheck(spec.Name, t)).OfType<TargetCheck>()];

    private async Task OnPageAsync(ChangePage page)
    {
        if (page.Compacted)
        {
            await LoadAsync(CancellationToken.None);
            return;
        }

        lock (_lock)
        {
            // Only the endpoints this page touches are reconfigured: O(their targets), not O(all targets).
            var touched = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in page.Changes)
            {
                switch (change)
                {
                    case EndpointPutChange put:
                        _checks[put.Spec.Name] = ChecksOf(put.Spec);
                        touched.Add(put.Spec.Name);
                        break;
                    case EndpointDeletedChange deleted:
                        if (_checks.Remove(deleted.Endpoint))
                        {
                            touched.Add(deleted.Endpoint);
                        }

                        break;
                }
            }

            if (touched.Count > 0)
            {
                _monitor.ConfigureEndpoints(touched, touched.SelectMany(e => _checks.GetValueOrDefault(e) ?? []));
            }
        }
    }

    // Under _lock. The monitor diff-applies: targets whose checks are unchanged keep their state and probe loops.
    // Touches every target: only at load and after the feed was compacted past us.
    private void Configure() => _monitor.Configure(_checks.Values.SelectMany(c => c));
}
