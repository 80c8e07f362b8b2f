using System.Net;
using System.Text.Json;

namespace Holdfast.Server.Tests.Hosting;

public sealed class HoldfastHostTests
{
    private const string Web = """
          - name: web
            zone: svc.example.
            targets:
              - { id: w1, address: 127.0.0.21, az: az1, healthCheck: { kind: external, sources: [ext] } }
        """;

    [Fact]
    public async Task Reload_ValidFile_AppliesEndpointsAndAuditsThemAsConfig()
    {
        using var data = new TempDirectory();
        var file = Path.Combine(data.Path, "holdfast.yaml");
        await using var host = await StartFromFileAsync(data, file);

        await File.WriteAllTextAsync(file, TestHost.Config(data.Path) + Web);
        var result = await host.Host.ReloadAsync();

        result.Errors.ShouldBeEmpty();
        await TestHost.EventuallyAsync(async () => (await host.Client.GetAsync("/api/v1/endpoints/web.svc.example.")).StatusCode == HttpStatusCode.OK, "web added");
        var events = await host.GetJsonAsync("/api/v1/events?limit=1000");
        events.EnumerateArray().ShouldContain(e => e.GetProperty("kind").GetString() == "endpoint.put" && e.GetProperty("endpoint").GetString() == "web.svc.example." && e.GetProperty("actor").GetString() == "config");
        (await host.GetJsonAsync("/api/v1/targets")).EnumerateArray().Single(t => t.GetProperty("id").GetString() == "w1").GetProperty("healthCheck").GetProperty("kind").GetString().ShouldBe("external");

        await File.WriteAllTextAsync(file, TestHost.Config(data.Path));
        (await host.Host.ReloadAsync()).Errors.ShouldBeEmpty();
        (await host.Client.GetAsync("/api/v1/endpoints/web.svc.example.")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Reload_InvalidFile_KeepsTheRunningConfiguration()
    {
        using var data = new TempDirectory();
        var file = Path.Combine(data.Path, "holdfast.yaml");
        await using var host = await StartFromFileAsync(data, file);
        var before = Configured(await host.GetJsonAsync("/api/v1/endpoints"));

        await File.WriteAllTextAsync(file, (TestHost.Config(data.Path) + Web).Replace("az: az1, healthCheck: { kind: external, sources: [ext] } }", "az: az7 }", StringComparison.Ordinal));
        var result = await host.Host.ReloadAsync();

        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldHaveSingleItem().ToString().ShouldContain("endpoints[1].targets[0].az: availability zone 'az7' has no enactor");
        host.Host.Options.Endpoints.Length.ShouldBe(1);
        Configured(await host.GetJsonAsync("/api/v1/endpoints")).ShouldBe(before);
    }

    /// <summary>What the configuration decides of each endpoint, leaving out what the enactors change meanwhile (live generation, answer).</summary>
    private static string[] Configured(JsonElement endpoints) =>
        [.. endpoints.EnumerateArray().Select(e => string.Join(' ', ((string[])["name", "zone", "ttl", "maxAnswers", "policy", "targets"]).Select(p => e.GetProperty(p).ToString())))];

    private static async Task<TestHost> StartFromFileAsync(TempDirectory data, string file)
    {
        await File.WriteAllTextAsync(file, TestHost.Config(data.Path));
        return await TestHost.StartAsync(TestHost.Config(data.Path), data, file);
    }

    [Fact]
    public async Task Start_ListenAddressTaken_FailsAndReleasesTheStore()
    {
        using var data = new TempDirectory();
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var yaml = TestHost.Config(data.Path).Replace("api: { listen: 127.0.0.1:0 }", $"api: {{ listen: 127.0.0.1:{port} }}", StringComparison.Ordinal);

        await Should.ThrowAsync<IOException>(() => TestHost.StartAsync(yaml, data));

        // The store's lock was released: a second start on the same data directory works.
        await using var host = await TestHost.StartAsync(TestHost.Config(data.Path), data);
        (await host.Client.GetStringAsync("/healthz")).ShouldBe("ok");
    }
}
