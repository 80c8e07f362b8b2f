using Holdfast.ControlPlane.Model;

namespace Holdfast.Push;

/// <summary>
/// What a push worker reports as it goes (the host turns these into events and logs). Called on the worker's flow,
/// possibly from several endpoints at once: implementations must be thread-safe and quick.
/// </summary>
public interface IPushObserver
{
    /// <summary>An UPDATE landed: the endpoint moved from <paramref name="previous"/> (null: no marker) to <paramref name="generation"/>.</summary>
    void Pushed(string target, string endpoint, Generation? previous, Generation generation);

    /// <summary>The server's records differed from the applied ones under the same generation, and were repaired.</summary>
    void DriftRepaired(string target, string endpoint, Generation generation, string detail);

    /// <summary>A prerequisite failed (another pusher moved the marker first): the worker read back and decided again.</summary>
    void Conflict(string target, string endpoint, string detail);

    /// <summary>The worker left the endpoint as it is (empty, server ahead, unreadable marker) and says why.</summary>
    void Held(string target, string endpoint, PushAction action, string reason);

    /// <summary>The target failed (timeout, unreachable, refused, bad TSIG); the worker retries after <paramref name="retryIn"/>.</summary>
    void Failed(string target, string? endpoint, Exception failure, int consecutiveFailures, TimeSpan retryIn);

    /// <summary>The target answers again after failing.</summary>
    void Recovered(string target);
}
