using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Holdfast.Health.Demo;
using Microsoft.Playwright;

namespace Holdfast.Cli.Tests.EndToEnd;

/// <summary>
/// The dashboard (issue 12) in Debian's headless Chromium, driven by Playwright, against a real <c>holdfast up</c> child
/// process on free loopback ports. Every wait is a condition with a deadline; the child is killed by PID in Dispose.
/// With <c>HOLDFAST_DASHBOARD_SCREENSHOTS=DIR</c> each page is also saved as a PNG there (docs/images is refreshed so).
/// </summary>
public sealed class DashboardBrowserTests : IDisposable
{
    private const string Zone = "ui.test.";
    private const string Name = "www.ui.test.";
    private static readonly TimeSpan s_live = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Dashboard_RealProcess_RendersStoreDataFollowsHealthLiveAndActsOnlyWhenSignedIn()
    {
        await using var t1 = DemoHealthListener.Listen(IPAddress.Loopback);
        await using var t2 = DemoHealthListener.Listen(IPAddress.Loopback);
        var apiPort = LoopbackPorts.Free();
        var config = WriteConfig(LoopbackPorts.Free(), apiPort, $$"""

                  - { id: t1, address: 127.0.0.21, az: az1, capacity: 10, healthCheck: { kind: http, url: "{{t1.Url}}" } }
                  - { id: t2, address: 127.0.0.22, az: az1, capacity: 10, healthCheck: { kind: http, url: "{{t2.Url}}" } }
            """, extraEndpoints: 0);
        using var holdfast = HoldfastProcess.Start(config);
        using var api = Api(apiPort);
        await HostWaits.WaitForAsync(() => HostWaits.ReadyAsync(api), TimeSpan.FromSeconds(90), "readyz 200", holdfast);
        await using var browser = await BrowserAsync();
        var page = await browser.NewPageAsync();
        var baseUrl = $"http://127.0.0.1:{apiPort}";

        // Overview: readiness, listeners and enactors from the running host.
        await page.GotoAsync(baseUrl + "/ui");
        await Expect(page.Locator("#overview")).ToContainTextAsync("Ready.");
        await Expect(page.Locator("#overview")).ToContainTextAsync("enactor-az1");
        await ScreenshotAsync(page, "overview");

        // Endpoints list: the endpoint with its live generation and answer.
        await page.GotoAsync(baseUrl + "/ui/endpoints");
        await Expect(page.Locator("tbody tr").First).ToContainTextAsync(Name);
        await Expect(page.Locator("tbody tr").First).ToContainTextAsync("127.0.0.21 127.0.0.22");
        await ScreenshotAsync(page, "endpoints");

        // Endpoint: both targets up; the live answer from the query engine.
        await page.GotoAsync(baseUrl + "/ui/endpoints/" + Name);
        await Expect(page.Locator("tr[data-target=t2] [data-health]")).ToHaveAttributeAsync("data-health", "up", new() { Timeout = (float)s_live.TotalMilliseconds });
        await Expect(page.Locator("#live-answer")).ToContainTextAsync("127.0.0.22");
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;

        // t2's health listener stops: the page shows it down, and it leaves the answer, without a reload.
        await t2.StopAsync();
        await Expect(page.Locator("tr[data-target=t2] [data-health]")).ToHaveAttributeAsync("data-health", "down", new() { Timeout = (float)s_live.TotalMilliseconds });
        await Expect(page.Locator("#live-answer tbody tr").First).Not.ToContainTextAsync("127.0.0.22", new() { Timeout = (float)s_live.TotalMilliseconds });
        navigations.ShouldBe(0, "the page updated through the event stream, not by navigating");
        await ScreenshotAsync(page, "endpoint");

        // An action without sign-in is refused, says why, and changes nothing.
        await page.FillAsync("#freeze-reason", "ui test: not signed in");
        var refused = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#freeze-button"), r => r.Request.Method == "POST");
        refused.Status.ShouldBe(401);
        await Expect(page.Locator("#notice")).ToContainTextAsync("refused: actions need the API token");
        (await StatusAsync(api)).GetProperty("frozenEndpoints").GetArrayLength().ShouldBe(0);

        // Sign in with the token; freeze from the page: the store is frozen and the audit names the actor.
        await SignInAsync(page, baseUrl, "alice");
        await page.GotoAsync(baseUrl + "/ui/endpoints/" + Name);
        await page.FillAsync("#freeze-reason", "ui test: change window");
        await page.ClickAsync("#freeze-button");
        await Expect(page.Locator("#notice")).ToContainTextAsync("frozen by dashboard:alice");
        (await StatusAsync(api)).GetProperty("frozenEndpoints").EnumerateArray().Select(e => e.GetString()).ShouldBe([Name]);
        var freezes = (await EventsAsync(api)).Where(e => e.GetProperty("kind").GetString() == "freeze.set").ToList();
        freezes.ShouldHaveSingleItem().GetProperty("actor").GetString().ShouldBe("dashboard:alice");

        // Unfreeze, then roll back to the last good plan: the dry-run diff first, then a higher generation.
        await page.FillAsync("#freeze-reason", "ui test: window over");
        await page.ClickAsync("#freeze-button");
        await Expect(page.Locator("#notice")).ToContainTextAsync("unfrozen by dashboard:alice");
        var before = await LiveGenerationAsync(api);
        await page.SelectOptionAsync("#rollback-to", "last-good");
        await page.FillAsync("#rollback-reason", "ui test: bring t2 back");
        await page.ClickAsync("#rollback-preview-button");
        await Expect(page.Locator("#rollback-preview")).ToContainTextAsync("+ 127.0.0.22");
        (await LiveGenerationAsync(api)).ShouldBe(before, "a dry run writes nothing");
        await ScreenshotAsync(page, "rollback-preview");
        await page.ClickAsync("#rollback-confirm");
        await Expect(page.Locator("#notice")).ToContainTextAsync("rollback written by dashboard:alice");
        await HostWaits.WaitForAsync(async () => await LiveGenerationAsync(api) > before, s_live, "the rollback plan applied", holdfast);

        // Zones and events render the store's data.
        await page.GotoAsync(baseUrl + "/ui/zones");
        await Expect(page.Locator("main")).ToContainTextAsync(Zone);
        await ScreenshotAsync(page, "zones");
        await page.GotoAsync(baseUrl + "/ui/events?kind=freeze.");
        await Expect(page.Locator("#event-rows")).ToContainTextAsync("dashboard:alice");
        await Expect(page.Locator("#event-rows")).Not.ToContainTextAsync("health.down");
        await ScreenshotAsync(page, "events");
    }

    [Fact]
    public async Task EndpointsPage_ThousandsOfEndpoints_PagesAndSearchesByPrefix()
    {
        const int count = 3000;
        var apiPort = LoopbackPorts.Free();
        var config = WriteConfig(LoopbackPorts.Free(), apiPort, """

                  - { id: t1, address: 127.0.0.31, az: az1, capacity: 10 }
            """, extraEndpoints: count);
        using var holdfast = HoldfastProcess.Start(config);
        using var api = Api(apiPort);
        await HostWaits.WaitForAsync(() => HostWaits.ReadyAsync(api), TimeSpan.FromSeconds(180), "readyz 200", holdfast);
        await using var browser = await BrowserAsync();
        var page = await browser.NewPageAsync();
        var baseUrl = $"http://127.0.0.1:{apiPort}";

        await page.GotoAsync(baseUrl + "/ui/endpoints");
        await Expect(page.Locator("h1")).ToContainTextAsync(Ui(count + 1) + " in all");
        var first = await page.Locator("tbody tr td:first-child").AllInnerTextsAsync();
        first.Count.ShouldBe(50);
        first.ShouldBe([.. first.Order(StringComparer.Ordinal)]);
        await page.ClickAsync("#next-page");
        var second = await page.Locator("tbody tr td:first-child").AllInnerTextsAsync();
        second.Count.ShouldBe(50);
        string.CompareOrdinal(second[0], first[^1]).ShouldBeGreaterThan(0, "the next page continues after the last name shown");

        await page.GotoAsync(baseUrl + "/ui/endpoints?q=e1234");
        var found = await page.Locator("tbody tr td:first-child").AllInnerTextsAsync();
        found.ShouldBe([$"e1234.{Zone}"]);
    }

    private static string Ui(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private string WriteConfig(int dnsPort, int apiPort, string targets, int extraEndpoints)
    {
        var extra = new StringBuilder();
        for (var i = 0; i < extraEndpoints; i++)
        {
            extra.Append(CultureInfo.InvariantCulture, $"\n  - {{ name: e{i:D4}, zone: {Zone}, targets: [{{ id: a, address: 10.1.{i / 250}.{(i % 250) + 1}, az: az1 }}] }}");
        }

        var yaml = $$"""
            dataDirectory: {{Path.Combine(_directory.Path, "data")}}
            dns:
              listen: [127.0.0.1:{{dnsPort}}]
            api:
              listen: 127.0.0.1:{{apiPort}}
            zones:
              - apex: {{Zone}}
                soa: { mname: ns1.{{Zone}}, rname: hostmaster.{{Zone}} }
                ns: [ns1.{{Zone}}]
            enactors:
              - { id: enactor-az1, az: az1 }
            healthSources:
              - { name: probe-a, kind: http, interval: 300ms, timeout: 200ms, rise: 1, fall: 1 }
            health: { downGrace: 300ms, newTargetGrace: 0s }
            planner: { fullPassInterval: 5m }
            guardrails:
              keepPlans: 50
              selfPreservation: { minTargets: 100 }
            endpoints:
              - name: www
                zone: {{Zone}}
                ttl: 5
                policy: { capacityFloor: 0, velocityLimit: 1, velocityWindow: 1m, failOpen: true }
                targets:{{targets}}{{extra}}
            """;
        var path = Path.Combine(_directory.Path, "holdfast.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private async Task SignInAsync(IPage page, string baseUrl, string name)
    {
        await page.GotoAsync(baseUrl + "/ui/sign-in");
        await page.FillAsync("#name", name);
        await page.FillAsync("#token", (await File.ReadAllTextAsync(Path.Combine(_directory.Path, "data", "api-token"))).Trim());
        await page.ClickAsync("button[type=submit].primary");
        await Expect(page.Locator("header")).ToContainTextAsync("signed in as dashboard:" + name);
    }

    private static async Task<IBrowser> BrowserAsync()
    {
        var playwright = await Playwright.CreateAsync();
        return await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("HOLDFAST_DASHBOARD_SCREENSHOTS") is { Length: > 0 } directory)
        {
            await page.SetViewportSizeAsync(1366, 900);
            await page.ScreenshotAsync(new() { Path = Path.Combine(directory, $"dashboard-{name}.png"), FullPage = true });
        }
    }

    private static HttpClient Api(int port) => new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

    private static async Task<JsonElement> StatusAsync(HttpClient api) => await api.GetFromJsonAsync<JsonElement>("/api/v1/status", TestContext.Current.CancellationToken);

    private static async Task<List<JsonElement>> EventsAsync(HttpClient api) =>
        [.. (await api.GetFromJsonAsync<JsonElement>("/api/v1/events?limit=1000", TestContext.Current.CancellationToken)).EnumerateArray()];

    private static async Task<long> LiveGenerationAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<JsonElement>("/api/v1/endpoints/" + Name, TestContext.Current.CancellationToken)).GetProperty("endpoint").GetProperty("liveGeneration").GetInt64();
}
