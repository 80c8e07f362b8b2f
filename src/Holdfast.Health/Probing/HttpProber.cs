using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Holdfast.Health.Aggregation;

namespace Holdfast.Health.Probing;

/// <summary>
/// GETs <see cref="TargetCheck.HttpUrl"/>: 2xx within the timeout is up; 5xx, a timeout or a failed
/// connection is down; 1xx/3xx/4xx (redirects are not followed) or a 2xx body without
/// <see cref="TargetCheck.ExpectBodyContains"/> is unexpected.
/// </summary>
/// <remarks>
/// No proxy, no cookies, no redirects, and a new connection for every check (<c>Connection: close</c>):
/// a health check must test that the target accepts connections now, not that a pooled one survived.
/// The timeout bounds connect and the whole exchange, on the injected <see cref="TimeProvider"/>.
/// At most <see cref="MaxBodyBytes"/> of the body are read. Dispose to release the handler.
/// </remarks>
public sealed class HttpProber : IProber, IDisposable
{
    /// <summary>How much of a body is read to look for the expected text.</summary>
    public const int MaxBodyBytes = 4096;

    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly HttpClient _client;

    /// <param name="timeout">How long connect plus the whole exchange may take (the source's <see cref="Sources.HealthSourceOptions.Timeout"/>).</param>
    /// <param name="time">The clock the timeout runs on.</param>
    public HttpProber(TimeSpan timeout, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _timeout = timeout;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.Zero,
        };
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public async Task<ProbeResult> ProbeAsync(TargetCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var url = check.HttpUrl ?? throw new ArgumentException($"target {check.Key} has no HTTP URL", nameof(check));
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.ConnectionClose = true;
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Holdfast-Health", "1"));
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var code = (int)response.StatusCode;
            if (code >= 500)
            {
                return ProbeResult.Down($"HTTP {code}");
            }

            if (code is < 200 or > 299)
            {
                return ProbeResult.Unexpected($"HTTP {code}");
            }

            if (check.ExpectBodyContains is { Length: > 0 } expected)
            {
                var body = await ReadPrefixAsync(response.Content, linked.Token);
                if (!body.Contains(expected, StringComparison.Ordinal))
                {
                    return ProbeResult.Unexpected($"HTTP {code} body does not contain '{expected}'");
                }
            }

            return ProbeResult.Up;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeFailures.Timeout(_timeout);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException socket)
        {
            return ProbeFailures.FromSocket(socket.SocketErrorCode, _timeout);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.InvalidResponse)
        {
            return ProbeResult.Unexpected("invalid HTTP response");
        }
        catch (HttpRequestException ex)
        {
            return ProbeResult.Down(ex.HttpRequestError switch
            {
                HttpRequestError.ResponseEnded => "connection closed before a response",
                HttpRequestError.ConnectionError => "connection failed",
                _ => "HTTP error: " + ex.HttpRequestError,
            });
        }
        catch (IOException)
        {
            return ProbeResult.Down("connection closed while reading the body");
        }
    }

    public void Dispose() => _client.Dispose();

    private static async Task<string> ReadPrefixAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBodyBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}
