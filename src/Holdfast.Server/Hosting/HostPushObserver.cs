using Holdfast.ControlPlane.Model;
using Holdfast.Push;
using Microsoft.Extensions.Logging;

namespace Holdfast.Server.Hosting;

/// <summary>
/// The push workers' reports as log lines and events. Every landed UPDATE is a debug line and a metric only (at 100,000
/// endpoints an event per push would drown the audit log); what an operator must hear of — drift repaired, a conflict
/// with another pusher, an endpoint held back, a target failing or recovered — is an event too.
/// </summary>
internal sealed class HostPushObserver(ILogger logger, EventRecorder events) : IPushObserver
{
    private const string Actor = "push";

    public void Pushed(string target, string endpoint, Generation? previous, Generation generation) =>
        HostLog.Pushed(logger, endpoint, target, previous?.ToString() ?? "none", generation.ToString());

    public void DriftRepaired(string target, string endpoint, Generation generation, string detail)
    {
        HostLog.PushDriftRepaired(logger, endpoint, target, generation.ToString(), detail);
        events.Record(Actor, "push.drift", endpoint, $"{target}: repaired to {generation}: {detail}");
    }

    public void Conflict(string target, string endpoint, string detail)
    {
        HostLog.PushConflict(logger, endpoint, target, detail);
        events.Record(Actor, "push.conflict", endpoint, $"{target}: {detail}");
    }

    public void Held(string target, string endpoint, PushAction action, string reason)
    {
        HostLog.PushHeld(logger, endpoint, target, action.ToString(), reason);
        events.Record(Actor, "push.held", endpoint, $"{target}: {action}: {reason}");
    }

    public void Failed(string target, string? endpoint, Exception failure, int consecutiveFailures, TimeSpan retryIn)
    {
        HostLog.PushFailed(logger, target, endpoint ?? "-", consecutiveFailures, retryIn.TotalSeconds, failure.Message);
        // The first failure of a run is the event; the rest are counted in status and metrics, not repeated.
        if (consecutiveFailures == 1)
        {
            events.Record(Actor, "push.failing", endpoint, $"{target}: {failure.Message}");
        }
    }

    public void Recovered(string target)
    {
        HostLog.PushRecovered(logger, target);
        events.Record(Actor, "push.recovered", null, $"{target} answers again");
    }
}
