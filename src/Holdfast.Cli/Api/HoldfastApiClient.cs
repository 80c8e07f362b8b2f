using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Holdfast.Cli.Api;

/// <summary>
/// A typed client of the Holdfast HTTP API (<c>/api/v1</c>). Every failure becomes a
/// <see cref="HoldfastApiException"/> whose kind picks the exit code. Not thread-safe for disposal; one per
/// command invocation.
/// </summary>
/// <remarks>
/// Timeouts are short because the API is on loopback or a LAN and answers from the local store: a connect
/// that takes longer than <see cref="ConnectTimeout"/> means nothing listens, and a call that takes longer
/// than the request timeout means the server is stuck — waiting longer only delays the operator. The event
/// stream has no total timeout (it is meant to stay open), only the connect and header timeouts.
/// </remarks>
internal sealed partial class HoldfastApiClient : IDisposable
{
    /// <summary>How long one TCP connect may take.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Default for one whole request (connect, send, receive).</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly JsonElement s_empty = JsonDocument.Parse("{}").RootElement.Clone();

    private readonly HttpClient _http;
    private readonly string? _token;
    private readonly string _tokenOrigin;
    private readonly TimeSpan _requestTimeout;

    /// <param name="server">Base address, e.g. <c>http://127.0.0.1:8053</c>.</param>
    /// <param name="token">The bearer token for mutating calls, or null when none was found.</param>
    /// <param name="tokenOrigin">Where the token came from (or where it was looked for), for the 401 message.</param>
    public HoldfastApiClient(Uri server, string? token, string tokenOrigin, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
        _token = token;
        _tokenOrigin = tokenOrigin;
        _requestTimeout = requestTimeout ?? DefaultRequestTimeout;
        // No proxy: the API is local, and an HTTP_PROXY in the operator's environment must not route
        // control-plane calls (with the bearer token) through another host.
        var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = ConnectTimeout, AllowAutoRedirect = false };
        _http = new HttpClient(handler) { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri Server { get; }

    public void Dispose() => _http.Dispose();

    internal Task<ApiResponse<T>> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    internal Task<ApiResponse<T>> PostAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Post, path, body, cancellationToken);

    private async Task<ApiResponse<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var json = await SendForJsonAsync(method, path, body, cancellationToken);
        return new ApiResponse<T>(Read<T>(json, method, path), json);
    }

    /// <summary>
    /// The answer's JSON only, not read into the CLI's types: for <c>-o json</c> of a large list (100,000 endpoints),
    /// where building the typed objects as well cost seconds for nothing.
    /// </summary>
    internal Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken) =>
        SendForJsonAsync(HttpMethod.Get, path, null, cancellationToken);

    private async Task<JsonElement> SendForJsonAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_requestTimeout);
        using var request = NewRequest(method, path, body);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            await EnsureSuccessAsync(response, method, path, timeout.Token);
            // 204 (e.g. a self-preservation release) has no body: it reads as an empty object.
            return response.StatusCode == HttpStatusCode.NoContent ? s_empty : await response.Content.ReadFromJsonAsync<JsonElement>(Json, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw NoAnswerInTime();
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }
    }

    /// <summary>
    /// Server-sent events from <paramref name="path"/>, each <c>data:</c> line read as one JSON value, until
    /// <paramref name="cancellationToken"/> fires (then it ends quietly) or the server goes away (then it throws
    /// an <see cref="ApiFailureKind.Unreachable"/> failure).
    /// </summary>
    internal async IAsyncEnumerable<ApiResponse<T>> StreamAsync<T>(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headers.CancelAfter(_requestTimeout);
        using var request = NewRequest(HttpMethod.Get, path, null);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        HttpResponseMessage response;
        Stream stream;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
            await EnsureSuccessAsync(response, HttpMethod.Get, path, headers.Token);
            stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw NoAnswerInTime();
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }

        using (response)
        await using (stream)
        {
            var events = SseParser.Create(stream).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    SseItem<string> item;
                    try
                    {
                        if (!await events.MoveNextAsync())
                        {
                            break;
                        }

                        item = events.Current;
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        yield break;
                    }
                    catch (Exception ex) when (ex is IOException or HttpRequestException)
                    {
                        throw new HoldfastApiException(ApiFailureKind.Unreachable, $"the event stream from {Server} broke: {ex.Message}", inner: ex);
                    }

                    if (string.IsNullOrWhiteSpace(item.Data))
                    {
                        continue;
                    }

                    var json = ParseEvent(item.Data, path);
                    yield return new ApiResponse<T>(Read<T>(json, HttpMethod.Get, path), json);
                }
            }
            finally
            {
                await events.DisposeAsync();
            }
        }

        throw new HoldfastApiException(ApiFailureKind.Unreachable, $"the server at {Server} closed the event stream");
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        return request;
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var problem = await ProblemText.ReadAsync(response, cancellationToken);
        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new HoldfastApiException(ApiFailureKind.Unauthorized, $"unauthorized: {problem ?? "the API refused the token"} (token {_tokenOrigin})", status);
        }

        throw new HoldfastApiException(ApiFailureKind.Rejected, $"{problem ?? response.ReasonPhrase ?? "request failed"} (HTTP {status} from {method} {path})", status);
    }

    private T Read<T>(JsonElement json, HttpMethod method, string path)
    {
        try
        {
            return json.Deserialize<T>(Json) ?? throw new JsonException("null document");
        }
        catch (JsonException ex)
        {
            throw new HoldfastApiException(ApiFailureKind.Rejected, $"the server at {Server} answered {method} {path} with JSON this CLI cannot read: {ex.Message}", inner: ex);
        }
    }

    private JsonElement ParseEvent(string data, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new HoldfastApiException(ApiFailureKind.Rejected, $"the server at {Server} sent an event on {path} that is not JSON: {ex.Message}", inner: ex);
        }
    }

    private HoldfastApiException NoAnswerInTime() =>
        new(ApiFailureKind.Unreachable, $"no answer from the Holdfast API at {Server} within {_requestTimeout.TotalSeconds:0.#} s");

    private HoldfastApiException Unreachable(HttpRequestException ex) =>
        new(ApiFailureKind.Unreachable, $"cannot reach the Holdfast API at {Server}: {ex.Message} (is `holdfast up` running? choose another with --server URL)", inner: ex);
}
