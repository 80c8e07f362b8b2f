using System.Diagnostics.Metrics;
using Holdfast.Push;
using Holdfast.Server.Configuration;

namespace Holdfast.Server.Hosting;

public sealed partial class HoldfastHost
{
    /// <summary>One worker per configured push target (<c>zones[].push.targets</c>), in configuration order.</summary>
    internal IReadOnlyList<PushTargetWorker> PushWorkers { get; private set; } = [];

    /// <summary>Zones with <c>push.mode: pushOnly</c>: the store keeps them and the targets serve them; Holdfast's DNS server does not.</summary>
    private static HashSet<string> PushOnlyZones(HoldfastOptions options) =>
        [.. options.Zones.Where(z => z.Push?.Mode == PushMode.PushOnly).Select(z => z.Apex)];

    /// <summary>
    /// Starts a worker per push target. Each follows the store's change feed on its own, so a slow or dead server delays
    /// only its own target; the fence is the generation marker on the server (docs/push.md), never state kept here.
    /// </summary>
    private void StartPush(HoldfastOptions options)
    {
        var metrics = new PushMetrics(Metrics.Meter);
        var observer = new HostPushObserver(Logger, Events);
        var workers = new List<PushTargetWorker>();
        var seed = _settings.Seed + 100;
        foreach (var zone in options.Zones.Where(z => z.Push is not null))
        {
            foreach (var target in zone.Push!.Targets)
            {
                workers.Add(new PushTargetWorker(
                    new PushTarget(target.Name, zone.Apex, target.Server, target.Tsig), Store, zone.Push.Settings, Time, new Random(seed++), observer: observer, metrics: metrics));
            }
        }

        PushWorkers = workers;
        if (workers.Count == 0)
        {
            return;
        }

        Metrics.Meter.CreateObservableGauge("holdfast.push.target.failing", () =>
            PushWorkers.Select(w => w.Status).Select(s => new Measurement<int>(s.ConsecutiveFailures, new KeyValuePair<string, object?>("target", s.Name))),
            "{failure}", "Consecutive failed passes per push target (0 while it answers).");
        Metrics.Meter.CreateObservableGauge("holdfast.push.target.waiting", () =>
            PushWorkers.Select(w => w.Status).Select(s => new Measurement<int>(s.Waiting, new KeyValuePair<string, object?>("target", s.Name))),
            "{endpoint}", "Endpoints waiting to be pushed per push target (marked by the feed or waiting out a back-off).");
        _workers.AddRange(workers.Select(w => Task.Run(() => w.RunAsync(_stop.Token))));
    }
}
