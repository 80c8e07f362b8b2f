using System.Net.Http.Json;
using Holdfast.Server.Configuration;
using Holdfast.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Holdfast.Cli.Tests;

/// <summary>
/// A real <see cref="HoldfastHost"/> in this process (SQLite store in a temp directory, planner, enactors, DNS
/// and the HTTP API on free loopback ports) for the client commands to talk to. Health comes from an
/// external source the tests post observations to, so a test decides when a target is down.
/// </summary>
public sealed class InProcessHost : IAsyncLifetime
{
    public const string Zone = "cli.test.";
    public const string Api = "api.cli.test.";
    public const string Web = "web.cli.test.";

    private readonly TempDirectory _data = new();
    private HoldfastHost _host = null!;

    public string Server => _host.ApiAddress.ToString().TrimEnd('/');

    public string Token => _host.Token;

    public string DataDirectory => _data.Path;

    /// <summary>The environment for a client run that is allowed to change things.</summary>
    public IReadOnlyDictionary<string, string> WithToken => new Dictionary<string, string> { ["HOLDFAST_TOKEN"] = Token };

    public async ValueTask InitializeAsync()
    {
        var yaml = $$"""
            dataDirectory: {{_data.Path}}
            dns:
              listen: [127.0.0.1:{{LoopbackPorts.Free()}}]
            api:
              listen: 127.0.0.1:{{LoopbackPorts.Free()}}
            zones:
              - apex: {{Zone}}
                soa: { mname: ns1.{{Zone}}, rname: hostmaster.{{Zone}} }
                ns: [ns1.{{Zone}}]
            enactors:
              - { id: enactor-az1, az: az1 }
              - { id: enactor-az2, az: az2 }
            healthSources:
              - { name: monitor, kind: external, interval: 2s, rise: 1, fall: 1 }
            health: { downGrace: 0s, newTargetGrace: 0s, freshnessIntervals: 100 }
            planner: { fullPassInterval: 5m }
            endpoints:
              - name: api
                zone: {{Zone}}
                ttl: 30
                policy: { capacityFloor: 0.3, velocityLimit: 0.5, velocityWindow: 5m, failOpen: true }
                targets:
                  - { id: a, address: 127.0.0.11, az: az1, capacity: 10, healthCheck: { kind: external, sources: [monitor] } }
                  - { id: b, address: 127.0.0.12, az: az2, capacity: 10, healthCheck: { kind: external, sources: [monitor] } }
                  - { id: c, address: 127.0.0.13, az: az1, capacity: 10, healthCheck: { kind: external, sources: [monitor] } }
              - name: web
                zone: {{Zone}}
                targets:
                  - { id: w1, address: 127.0.0.21, az: az1 }
                  - { id: w2, address: 127.0.0.22, az: az2 }
            """;
        var config = ConfigValidator.Validate(yaml, "cli-test.yaml");
        config.IsValid.ShouldBeTrue(string.Join('\n', config.Errors));
        _host = await HoldfastHost.StartAsync(config.Options!, new HostSettings
        {
            Time = TimeProvider.System,
            Seed = 20261130,
            ConfigureLogging = logging => logging.ClearProviders(),
        });
        await WaitForAsync(async () => (await LiveGenerationAsync(Api)) > 0 && (await LiveGenerationAsync(Web)) > 0, "both endpoints applied");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>Posts what the external monitor saw of a target, with the token.</summary>
    public async Task ObserveAsync(string endpoint, string target, string state)
    {
        using var http = NewClient();
        using var response = await http.PostAsJsonAsync("/api/v1/health/observations", new { source = "monitor", endpoint, target, state, reason = "test" }, TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async Task<long> LiveGenerationAsync(string endpoint) => (await EndpointAsync(endpoint)).LiveGeneration;

    public async Task<Holdfast.Server.Api.EndpointView> EndpointAsync(string endpoint)
    {
        using var http = NewClient();
        var list = await http.GetFromJsonAsync<List<Holdfast.Server.Api.EndpointView>>("/api/v1/endpoints", s_json, TestContext.Current.CancellationToken);
        return list!.Single(e => e.Name == endpoint);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or 20 s pass (then fails naming it).</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(deadline) > limit)
            {
                throw new TimeoutException($"waited {limit.TotalSeconds:0} s for: {what}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions s_json = new(System.Text.Json.JsonSerializerDefaults.Web);

    private HttpClient NewClient()
    {
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = _host.ApiAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return http;
    }
}
