using System.Diagnostics.Metrics;

namespace Holdfast.Server.Hosting;

public sealed partial class HoldfastHost
{
    /// <summary>
    /// Why the host is not ready, empty when it is: the store must answer a read, the zones must have been
    /// built into the DNS server at least once, and every enactor must be running and have finished a pass
    /// recently (within five intervals, at least ten seconds).
    /// </summary>
    public async Task<IReadOnlyList<string>> NotReadyReasonsAsync(CancellationToken cancellationToken = default)
    {
        var reasons = new List<string>();
        try
        {
            await Store.GetRevisionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            reasons.Add("store not open: " + ex.Message);
        }

        if (Feed.Revision < 0)
        {
            reasons.Add("zones not loaded: the DNS data has not been built yet");
        }

        if (Enactors.Count == 0)
        {
            reasons.Add("enactors not running: none is configured");
        }

        var now = Time.GetUtcNow();
        foreach (var enactor in Enactors)
        {
            var stale = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(10).Ticks, enactor.Interval.Ticks * 5));
            var last = Observer.LastPass(enactor.Id);
            if (enactor.Running is null || enactor.Running.IsCompleted)
            {
                reasons.Add($"enactor {enactor.Id} not running");
            }
            else if (last is null)
            {
                reasons.Add($"enactor {enactor.Id} has not finished a pass yet");
            }
            else if (now - last.Value.At > stale)
            {
                reasons.Add($"enactor {enactor.Id} last finished a pass {(now - last.Value.At).TotalSeconds:0}s ago");
            }
        }

        return reasons;
    }

    private void RegisterObservableMetrics()
    {
        Metrics.Meter.CreateObservableGauge("holdfast.enactor.lag", () =>
        {
            var now = Time.GetUtcNow();
            return Enactors
                .Select(e => (e.Id, Last: Observer.LastPass(e.Id)))
                .Where(e => e.Last is not null)
                .Select(e => new Measurement<double>((now - e.Last!.Value.At).TotalSeconds, new KeyValuePair<string, object?>("enactor", e.Id)));
        }, "s", "Time since each enactor last finished a reconcile pass (a healthy enactor stays near its interval).");

        Metrics.Meter.CreateObservableGauge("holdfast.health.targets", () =>
            Aggregator.GetTargetStatuses()
                .SelectMany(t => t.Sources.Select(s => (Source: s.Source, State: s.Opinion.ToString().ToLowerInvariant()))
                    .Append((Source: "aggregate", State: t.Health.State.ToString().ToLowerInvariant())))
                .GroupBy(x => x)
                .Select(g => new Measurement<int>(g.Count(), new("source", g.Key.Source), new("state", g.Key.State))),
            "{target}", "Targets by health source and that source's opinion (up, down, unknown, unexpected); source=\"aggregate\" is the planner's view.");
    }
}
