using System.Net;

namespace Holdfast.Server.Configuration;

/// <summary>The <c>api</c> section: the HTTP API, <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c> share one listener.</summary>
public sealed record ApiOptions
{
    /// <summary><c>api.listen</c>. Default <c>127.0.0.1:8053</c>.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 8053);

    /// <summary>
    /// <c>api.allowRemoteReads</c>: serve read-only calls to clients that are not on loopback. Mutating calls
    /// always need the bearer token. Default false (reads from other hosts get 403).
    /// </summary>
    public bool AllowRemoteReads { get; init; }
}
