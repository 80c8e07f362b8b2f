using System.Net;

namespace Holdfast.Health.Demo;

/// <summary>
/// Several <see cref="DemoHealthListener"/>s, one per demo target, each stoppable and startable on its own:
/// <c>holdfast up --demo</c> starts them so that the quickstart's health checks have something real to probe.
/// Loopback only is the caller's choice of addresses.
/// </summary>
public sealed class DemoHealthListeners : IAsyncDisposable
{
    private readonly List<DemoHealthListener> _listeners;

    private DemoHealthListeners(List<DemoHealthListener> listeners) => _listeners = listeners;

    public IReadOnlyList<DemoHealthListener> Listeners => _listeners;

    public DemoHealthListener this[int index] => _listeners[index];

    public int Count => _listeners.Count;

    /// <summary>Starts <paramref name="count"/> listeners on free ports of <paramref name="address"/> (default 127.0.0.1).</summary>
    public static DemoHealthListeners Start(int count, IPAddress? address = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Start(Enumerable.Repeat(new IPEndPoint(address ?? IPAddress.Loopback, 0), count));
    }

    /// <summary>Starts one listener per end point (port 0 asks for a free port). All or nothing: on failure the ones started are stopped.</summary>
    public static DemoHealthListeners Start(IEnumerable<IPEndPoint> endPoints)
    {
        ArgumentNullException.ThrowIfNull(endPoints);
        var started = new List<DemoHealthListener>();
        try
        {
            foreach (var endPoint in endPoints)
            {
                started.Add(DemoHealthListener.Listen(endPoint.Address, endPoint.Port));
            }
        }
        catch
        {
            foreach (var listener in started)
            {
                listener.StopAsync().GetAwaiter().GetResult();
            }

            throw;
        }

        return new DemoHealthListeners(started);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners)
        {
            await listener.DisposeAsync();
        }
    }
}
