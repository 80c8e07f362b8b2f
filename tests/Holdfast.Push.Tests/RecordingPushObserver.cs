using System.Collections.Concurrent;
using Holdfast.ControlPlane.Model;

namespace Holdfast.Push.Tests;

/// <summary>Keeps every report as a line (<c>pushed api.svc.example. g1→g2</c>), thread-safe.</summary>
internal sealed class RecordingPushObserver : IPushObserver
{
    private readonly ConcurrentQueue<string> _events = new();

    public IReadOnlyList<string> Events => [.. _events];

    public int Count(string kind) => _events.Count(e => e.StartsWith(kind + " ", StringComparison.Ordinal));

    public void Pushed(string target, string endpoint, Generation? previous, Generation generation) => _events.Enqueue($"pushed {endpoint} {previous?.ToString() ?? "none"}→{generation}");

    public void DriftRepaired(string target, string endpoint, Generation generation, string detail) => _events.Enqueue($"drift {endpoint} {generation}: {detail}");

    public void Conflict(string target, string endpoint, string detail) => _events.Enqueue($"conflict {endpoint}: {detail}");

    public void Held(string target, string endpoint, PushAction action, string reason) => _events.Enqueue($"held {endpoint} {action}: {reason}");

    public void Failed(string target, string? endpoint, Exception failure, int consecutiveFailures, TimeSpan retryIn) => _events.Enqueue($"failed {target} #{consecutiveFailures}: {failure.Message}");

    public void Recovered(string target) => _events.Enqueue($"recovered {target}");
}
