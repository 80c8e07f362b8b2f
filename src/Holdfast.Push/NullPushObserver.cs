using Holdfast.ControlPlane.Model;

namespace Holdfast.Push;

/// <summary>Reports nothing.</summary>
public sealed class NullPushObserver : IPushObserver
{
    public static NullPushObserver Instance { get; } = new();

    public void Pushed(string target, string endpoint, Generation? previous, Generation generation)
    {
    }

    public void DriftRepaired(string target, string endpoint, Generation generation, string detail)
    {
    }

    public void Conflict(string target, string endpoint, string detail)
    {
    }

    public void Held(string target, string endpoint, PushAction action, string reason)
    {
    }

    public void Failed(string target, string? endpoint, Exception failure, int consecutiveFailures, TimeSpan retryIn)
    {
    }

    public void Recovered(string target)
    {
    }
}
