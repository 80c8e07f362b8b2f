using System.Collections.Concurrent;
using System.Net;

namespace Holdfast.Client.Http;

/// <summary>
/// One circuit per address and port: a refused or timed-out connection opens it for a cooldown, during which the
/// address is left out while any other address is available. When every address is open, all are tried anyway
/// (fail-open, as Envoy's panic threshold does): skipping everything would turn a guess into an outage.
/// Thread-safe; shared by every client of the process.
/// </summary>
public sealed class AddressCircuit(TimeProvider time)
{
    private readonly ConcurrentDictionary<IPEndPoint, DateTimeOffset> _openUntil = new();

    /// <summary>The candidates to try, in order: closed circuits in the given order, or every candidate when all are open.</summary>
    /// <param name="skipped">How many candidates were left out.</param>
    public IReadOnlyList<IPEndPoint> Candidates(IReadOnlyList<IPEndPoint> endpoints, out int skipped)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var now = time.GetUtcNow();
        var closed = endpoints.Where(e => !_openUntil.TryGetValue(e, out var until) || until <= now).ToList();
        if (closed.Count == 0)
        {
            skipped = 0;
            return endpoints;
        }

        skipped = endpoints.Count - closed.Count;
        return closed;
    }

    public bool IsOpen(IPEndPoint endpoint) => _openUntil.TryGetValue(endpoint, out var until) && until > time.GetUtcNow();

    public void Failed(IPEndPoint endpoint, TimeSpan cooldown) => _openUntil[endpoint] = time.GetUtcNow() + cooldown;

    public void Succeeded(IPEndPoint endpoint) => _openUntil.TryRemove(endpoint, out _);
}
