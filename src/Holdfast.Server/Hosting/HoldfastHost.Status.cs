using System.Diagnostics.Metrics;

namespace Holdfast.Server.Hosting;

public sealed partial class HoldfastHost
{
    /// <summary>An enactor whose oldest waiting endpoint has waited longer than this is reported behind.</summary>
    internal static readonly TimeSpan MaxEnactorLag = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait of a readiness probe on the store.</summary>
    internal static readonly TimeSpan ReadinessStoreLimit = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Why the host is not ready, empty when it is: the store must answer a read, the DNS data must have been loaded,
    /// every enactor must be running and have finished its first full pass, and none may be more than
    /// <see cref="MaxEnactorLag"/> behind its work.
    /// </summary>
    public async Task<IReadOnlyList<string>> NotReadyReasonsAsync(CancellationToken cancellationToken = default)
    {
        var reasons = new List<string>();
        if (Degraded is { } degraded)
        {
            reasons.Add("degraded: " + degraded);
        }

        // A probe answers in seconds: a store that does not is the reason, not a hung /readyz.
        using (var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            probe.CancelAfter(ReadinessStoreLimit);
            try
            {
                await Store.GetRevisionAsync(probe.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                reasons.Add($"store not answering: no answer within {ReadinessStoreLimit.TotalSeconds:0} s");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                reasons.Add("store not answering: " + ex.Message);
            }
        }

        if (Feed.Revision < 0)
        {
            reasons.Add("zones not loaded: the DNS data has not been read from the store yet");
        }

        if (!ControlStarted)
        {
            reasons.Add("control plane not started: configuration, health, planner and enactors wait for the store");
        }
        else if (Enactors.Count == 0)
        {
            reasons.Add("enactors not running: none is configured");
        }

        var now = Time.GetUtcNow();
        foreach (var enactor in Enactors)
        {
            var lag = EnactorLag(enactor, now);
            if (enactor.Running is null || enactor.Running.IsCompleted)
            {
                reasons.Add($"enactor {enactor.Id} not running");
            }
            else if (Observer.LastPass(enactor.Id) is null)
            {
                reasons.Add($"enactor {enactor.Id} has not finished its first pass yet");
            }
            else if (lag > MaxEnactorLag)
            {
                reasons.Add($"enactor {enactor.Id} is {lag.TotalSeconds:0}s behind ({enactor.Backlog.Waiting} endpoints waiting)");
            }
        }

        return reasons;
    }

    /// <summary>How long the enactor's oldest waiting endpoint has waited (zero when nothing waits).</summary>
    internal static TimeSpan EnactorLag(EnactorRunner enactor, DateTimeOffset now) =>
        enactor.Backlog.Since is { } since ? now - since : TimeSpan.Zero;

    private void RegisterObservableMetrics()
    {
        if (RateLimiter is { } limiter)
        {
            Metrics.Meter.CreateObservableCounter("holdfast.dns.rate_limited", () => new[]
            {
                new Measurement<long>(limiter.Slipped, new KeyValuePair<string, object?>("action", "slip")),
                new Measurement<long>(limiter.Dropped, new KeyValuePair<string, object?>("action", "drop")),
            }, "{response}", "UDP responses limited by response rate limiting: sent truncated (slip) or not sent (drop).");
            Metrics.Meter.CreateObservableCounter("holdfast.dns.cookie_exempted", () => limiter.CookieExempted, "{response}",
                "UDP responses sent past response rate limiting, uncounted, because the query carried a valid server cookie (RFC 7873 §5.3).");
        }

        Metrics.Meter.CreateObservableGauge("holdfast.enactor.lag", () =>
        {
            var now = Time.GetUtcNow();
            return Enactors.Select(e => new Measurement<double>(EnactorLag(e, now).TotalSeconds, new KeyValuePair<string, object?>("enactor", e.Id)));
        }, "s", "How long each enactor's oldest waiting endpoint has waited (0 when it has caught up).");

        Metrics.Meter.CreateObservableGauge("holdfast.health.targets", () =>
            Aggregator.CountTargets().Select(c => new Measurement<int>(c.Targets, new("source", c.Source), new("state", c.State))),
            "{target}", "Targets by health source and that source's opinion (up, down, unknown, unexpected); source=\"aggregate\" is the planner's view.");
    }
}
