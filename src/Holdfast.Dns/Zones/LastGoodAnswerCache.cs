namespace Holdfast.Dns.Zones;

/// <summary>
/// The last good answer rule (docs/design/architecture.md, "Last good answer"): the addresses to serve for each
/// configured endpoint. An update with zero addresses never empties an endpoint that had some: the previous
/// addresses keep serving and <see cref="LastGoodAnswerKept"/> is raised, so an operator hears of it.
/// Thread-safe.
/// </summary>
public sealed class LastGoodAnswerCache
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, IReadOnlyList<EndpointAddress>> _lastGood = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Raised with the endpoint name when an empty update was refused.</summary>
    public event Action<string>? LastGoodAnswerKept;

    /// <summary>How many empty updates were refused since start.</summary>
    public long KeptCount { get; private set; }

    /// <summary>The addresses to serve for <paramref name="endpoint"/> after this update.</summary>
    public IReadOnlyList<EndpointAddress> Update(string endpoint, IReadOnlyList<EndpointAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        lock (_lock)
        {
            if (addresses.Count > 0)
            {
                _lastGood[endpoint] = addresses;
                return addresses;
            }

            if (!_lastGood.TryGetValue(endpoint, out var previous))
            {
                return addresses;
            }

            KeptCount++;
            LastGoodAnswerKept?.Invoke(endpoint);
            return previous;
        }
    }
}
