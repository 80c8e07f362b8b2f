using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Holdfast.Client.Resolution;
using Holdfast.Client.Telemetry;
using Microsoft.Extensions.Logging;

namespace Holdfast.Client.Http;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of a Holdfast-resolved client: resolves the host through
/// <see cref="HoldfastResolver"/> (cache, stale, suspect hold, last-known-good) and connects across its addresses
/// happy-eyeballs style (RFC 8305): families interleaved, IPv6 first (§4), a new attempt every
/// <see cref="HoldfastResolutionOptions.ConnectAttemptDelay"/> or as soon as one fails (§5), the first connection wins
/// and the others are cancelled. Addresses whose circuit is open are skipped.
/// </summary>
public sealed class HoldfastConnector(HoldfastResolver resolver, AddressCircuit circuit, HoldfastResolutionOptions options, TimeProvider time, ClientMetrics metrics, ILogger logger)
{
    private int _rotation;

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        IReadOnlyList<IPAddress> addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            var resolution = await resolver.ResolveAsync(host, cancellationToken);
            if (!resolution.HasAddresses)
            {
                throw new HttpRequestException(HttpRequestError.NameResolutionError, $"Holdfast could not resolve '{host}': {resolution.Source}");
            }

            addresses = resolution.Addresses;
        }

        // The cached answer keeps its order for its TTL; rotating the start spreads new connections across it.
        var candidates = circuit.Candidates(Interleave(Rotate(addresses, Interlocked.Increment(ref _rotation)), port), out var skipped);
        if (skipped > 0)
        {
            metrics.AddressesSkipped.Add(skipped);
        }

        var socket = await FirstToConnectAsync(host, candidates, cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    }

    private static IPAddress[] Rotate(IReadOnlyList<IPAddress> addresses, int by)
    {
        var rotated = new IPAddress[addresses.Count];
        for (var i = 0; i < rotated.Length; i++)
        {
            rotated[i] = addresses[(int)((uint)(i + by) % (uint)rotated.Length)];
        }

        return rotated;
    }

    /// <summary>RFC 8305 §4: alternate address families, starting with IPv6; order within a family is kept.</summary>
    internal static List<IPEndPoint> Interleave(IReadOnlyList<IPAddress> addresses, int port)
    {
        var v6 = addresses.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).ToList();
        var v4 = addresses.Where(a => a.AddressFamily != AddressFamily.InterNetworkV6).ToList();
        var ordered = new List<IPEndPoint>(addresses.Count);
        for (var i = 0; i < Math.Max(v6.Count, v4.Count); i++)
        {
            if (i < v6.Count)
            {
                ordered.Add(new IPEndPoint(v6[i], port));
            }

            if (i < v4.Count)
            {
                ordered.Add(new IPEndPoint(v4[i], port));
            }
        }

        return ordered;
    }

    private async Task<Socket> FirstToConnectAsync(string host, IReadOnlyList<IPEndPoint> candidates, CancellationToken cancellationToken)
    {
        using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var errors = new ConcurrentQueue<Exception>();
        var pending = new List<Task<Socket?>>();
        var next = 0;
        Task? stagger = null;
        try
        {
            while (true)
            {
                if (next < candidates.Count && (stagger is null || stagger.IsCompleted))
                {
                    pending.Add(AttemptAsync(candidates[next++], errors, race.Token));
                    stagger = next < candidates.Count ? Task.Delay(options.ConnectAttemptDelay, time, race.Token) : null;
                }

                if (pending.Count == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new HttpRequestException(HttpRequestError.ConnectionError, $"no address of '{host}' accepted a connection", new AggregateException(errors));
                }

                var waitOn = stagger is null ? pending.ToArray<Task>() : [.. pending, stagger];
                var finished = await Task.WhenAny(waitOn);
                if (finished == stagger)
                {
                    continue;
                }

                var attempt = (Task<Socket?>)finished;
                pending.Remove(attempt);
                if (await attempt is { } socket)
                {
                    return socket;
                }

                // §5: a failed attempt starts the next one at once rather than waiting out the delay.
                stagger = null;
            }
        }
        finally
        {
            await race.CancelAsync();
            foreach (var loser in pending)
            {
                _ = loser.ContinueWith(static t => t.Result?.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
        }
    }

    private async Task<Socket?> AttemptAsync(IPEndPoint endpoint, ConcurrentQueue<Exception> errors, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await socket.ConnectAsync(endpoint, linked.Token);
            circuit.Succeeded(endpoint);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            Failed(endpoint, ex.SocketErrorCode == SocketError.ConnectionRefused ? "refused" : "error", ex, errors);
            return null;
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            Failed(endpoint, "timeout", ex, errors);
            return null;
        }
        catch (OperationCanceledException)
        {
            // Another address won the race, or the caller gave up.
            socket.Dispose();
            return null;
        }
    }

    private void Failed(IPEndPoint endpoint, string reason, Exception ex, ConcurrentQueue<Exception> errors)
    {
        errors.Enqueue(ex);
        metrics.ConnectFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));
        if (options.AddressCooldown > TimeSpan.Zero)
        {
            circuit.Failed(endpoint, options.AddressCooldown);
            ClientLog.AddressCircuitOpened(logger, endpoint, reason, options.AddressCooldown);
        }
    }
}
