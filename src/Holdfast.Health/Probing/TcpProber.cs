using System.Net.Sockets;
using Holdfast.Health.Aggregation;

namespace Holdfast.Health.Probing;

/// <summary>
/// Up when a TCP connection to <see cref="TargetCheck.TcpEndpoint"/> completes within the timeout; down
/// with "connection refused", "timeout after N ms", …, otherwise. The connection is closed at once.
/// </summary>
public sealed class TcpProber : IProber
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <param name="timeout">How long a connect may take (the source's <see cref="Sources.HealthSourceOptions.Timeout"/>).</param>
    /// <param name="time">The clock the timeout runs on.</param>
    public TcpProber(TimeSpan timeout, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _timeout = timeout;
        _time = time;
    }

    public async Task<ProbeResult> ProbeAsync(TargetCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var endpoint = check.TcpEndpoint ?? throw new ArgumentException($"target {check.Key} has no TCP endpoint", nameof(check));
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint, linked.Token);
            return ProbeResult.Up;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeFailures.Timeout(_timeout);
        }
        catch (SocketException ex)
        {
            return ProbeFailures.FromSocket(ex.SocketErrorCode, _timeout);
        }
    }
}
