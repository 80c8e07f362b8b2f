using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Holdfast.Server.Configuration;
using Holdfast.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Holdfast.Server.Tests.Hosting;

/// <summary>
/// A real <see cref="HoldfastHost"/> on free loopback ports (DNS and Kestrel) over a real SQLite store in a
/// temporary directory, with an HTTP client for its API. Targets are checked by an external source the
/// test reports for (<c>POST /api/v1/health/observations</c>), so a test decides what is up and down.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    public const string Zone = "svc.example.";
    public const string Api = "api.svc.example.";

    private TestHost(HoldfastHost host, TempDirectory data, bool ownsData)
    {
        Host = host;
        Data = data;
        OwnsData = ownsData;
        Client = new HttpClient { BaseAddress = host.ApiAddress, Timeout = TimeSpan.FromSeconds(20) };
        Authorized = new HttpClient { BaseAddress = host.ApiAddress, Timeout = TimeSpan.FromSeconds(20) };
        Authorized.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.Token);
    }

    public HoldfastHost Host { get; }

    public TempDirectory Data { get; }

    private bool OwnsData { get; }

    /// <summary>No token.</summary>
    public HttpClient Client { get; }

    /// <summary>With the host's bearer token.</summary>
    public HttpClient Authorized { get; }

    /// <summary>Three targets of api.svc.example. in az1..az3, capacity 10 each, reported on by source "ext".</summary>
    public static string Config(string dataDirectory, string planner = "{ fullPassInterval: 5m }", string extra = "") => $$"""
        dataDirectory: {{dataDirectory}}
        dns: { listen: [127.0.0.1:0] }
        api: { listen: 127.0.0.1:0 }
        zones:
          - { apex: {{Zone}}, soa: { mname: ns1.{{Zone}}, rname: hostmaster.{{Zone}} }, ns: [ns1.{{Zone}}] }
        enactors: [{ id: e1, az: az1 }, { id: e2, az: az2 }, { id: e3, az: az3 }]
        healthSources: [{ name: ext, kind: external, interval: 1m, rise: 1, fall: 1 }]
        health: { downGrace: 0s, newTargetGrace: 0s }
        planner: {{planner}}
        endpoints:
          - name: api
            zone: {{Zone}}
            policy: { capacityFloor: 0.3, velocityLimit: 1, velocityWindow: 1m }
            targets:
              - { id: t1, address: 127.0.0.11, az: az1, capacity: 10, healthCheck: { kind: external, sources: [ext] } }
              - { id: t2, address: 127.0.0.12, az: az2, capacity: 10, healthCheck: { kind: external, sources: [ext] } }
              - { id: t3, address: 127.0.0.13, az: az3, capacity: 10, healthCheck: { kind: external, sources: [ext] } }
        {{extra}}
        """;

    public static async Task<TestHost> StartAsync(string? yaml = null, TempDirectory? data = null, string? configPath = null)
    {
        var owns = data is null;
        data ??= new TempDirectory();
        yaml ??= Config(data.Path);
        var options = ConfigValidator.Validate(yaml, "test.yaml").Options ?? throw new InvalidOperationException(string.Join("\n", ConfigValidator.Validate(yaml, "test.yaml").Errors));
        var settings = new HostSettings
        {
            Time = TimeProvider.System,
            Seed = 7,
            ConfigPath = configPath,
            ServingSnapshotInterval = TimeSpan.FromMilliseconds(300),
            ConfigureLogging = logging => logging.SetMinimumLevel(LogLevel.None),
        };
        return new TestHost(await HoldfastHost.StartAsync(options, settings), data, owns);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body, bool authorized = true) =>
        (authorized ? Authorized : Client).PostAsync(path, Json(body));

    public Task<HttpResponseMessage> PutAsync(string path, string json, bool authorized = true) =>
        (authorized ? Authorized : Client).PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task ReportAsync(string target, string state)
    {
        using var response = await PostAsync("/api/v1/health/observations", new { source = "ext", endpoint = Api, target, state, reason = "test says so" });
        ((int)response.StatusCode).ShouldBe(202, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The applied generation and addresses of api.svc.example. (0 and none before the first apply).</summary>
    public async Task<LiveState> LiveAsync()
    {
        var endpoint = (await GetJsonAsync("/api/v1/endpoints/" + Api)).GetProperty("endpoint");
        return new LiveState(endpoint.GetProperty("liveGeneration").GetInt64(), string.Join(' ', endpoint.GetProperty("answer").EnumerateArray().Select(a => a.GetString()!).Order(StringComparer.Ordinal)));
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {seconds}s: {what}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Authorized.Dispose();
        await Host.DisposeAsync();
        if (OwnsData)
        {
            Data.Dispose();
        }
    }
}
