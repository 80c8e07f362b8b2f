using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Holdfast.Dns.Wire;
using Holdfast.Server.Tests.Hosting;
using Holdfast.Server.Tests.Metrics;

namespace Holdfast.Server.Tests.Api;

/// <summary>The HTTP API against a real host: Kestrel on a free loopback port, a real SQLite store, real DNS.</summary>
public sealed class HoldfastApiTests
{
    private const string ValidEndpoint = """
        { "zone": "svc.example.", "ttl": 20, "policy": { "capacityFloor": 0.5 },
          "targets": [ { "id": "w1", "address": "127.0.0.21", "az": "az1", "capacity": 5 },
                       { "id": "w2", "address": "127.0.0.22", "az": "az2", "capacity": 5 } ] }
        """;

    [Fact]
    public async Task Healthz_And_Readyz_AnswerWhenRunning()
    {
        await using var host = await TestHost.StartAsync();

        (await host.Client.GetStringAsync("/healthz")).ShouldBe("ok");
        await TestHost.EventuallyAsync(async () => (await host.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "ready");
        var status = await host.GetJsonAsync("/api/v1/status");
        status.GetProperty("ready").GetBoolean().ShouldBeTrue();
        status.GetProperty("enactors").GetArrayLength().ShouldBe(3);
        status.GetProperty("endpoints").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Readyz_WithoutEnactors_Is503NamingTheReason()
    {
        using var data = new TempDirectory();
        var yaml = $$"""
            dataDirectory: {{data.Path}}
            dns: { listen: [127.0.0.1:0] }
            api: { listen: 127.0.0.1:0 }
            zones: [{ apex: svc.example., soa: { mname: ns1.svc.example., rname: h.svc.example. }, ns: [ns1.svc.example.] }]
            """;
        await using var host = await TestHost.StartAsync(yaml, data);

        using var response = await host.Client.GetAsync("/readyz");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("detail").GetString().ShouldBe("enactors not running: none is configured");
        problem.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ShouldBe(["enactors not running: none is configured"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-token")]
    public async Task MutatingCalls_WithoutTheToken_Are401AndChangeNothing(string? token)
    {
        await using var host = await TestHost.StartAsync();
        using var client = new HttpClient { BaseAddress = host.Host.ApiAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        using var put = await client.PutAsync("/api/v1/endpoints/web.svc.example.", new StringContent(ValidEndpoint, System.Text.Encoding.UTF8, "application/json"));
        using var freeze = await client.PostAsync("/api/v1/freeze", TestHost.Json(new { reason = "x" }));

        put.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        put.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        freeze.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await client.GetAsync("/api/v1/endpoints/web.svc.example.")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.GetJsonAsync("/api/v1/status")).GetProperty("frozenGlobal").GetBoolean().ShouldBeFalse();
    }

    public static TheoryData<string, string, string> BadEndpoints() => new()
    {
        { ValidEndpoint.Replace("127.0.0.22", "127.0.0.300", StringComparison.Ordinal), "targets[1].address", "expected an IPv4 or IPv6 address" },
        { ValidEndpoint.Replace("\"ttl\"", "\"ttll\"", StringComparison.Ordinal), "ttll", "unknown key; did you mean 'ttl'?" },
        { ValidEndpoint.Replace("svc.example.", "nope.example.", StringComparison.Ordinal), "zone", "zone 'nope.example.' is not configured" },
        { ValidEndpoint.Replace("\"az2\"", "\"az9\"", StringComparison.Ordinal), "targets[1].az", "availability zone 'az9' has no enactor" },
        { ValidEndpoint.Replace("0.5", "2", StringComparison.Ordinal), "policy.capacityFloor", "expected a number from 0 to 1, got '2'" },
        { ValidEndpoint.Replace("\"w2\"", "\"w1\"", StringComparison.Ordinal), "targets[1]", "duplicate target id" },
        { "{ \"zone\": ", "body", "not valid JSON" },
        { "{ \"zone\": \"svc.example.\", \"name\": \"other.svc.example.\", \"targets\": [] }", "name", "the body names 'other.svc.example.'" },
    };

    [Theory]
    [MemberData(nameof(BadEndpoints))]
    public async Task PutEndpoint_BadInput_Is400NamingTheFieldAndWritesNothing(string body, string field, string message)
    {
        await using var host = await TestHost.StartAsync();
        var before = (await host.GetJsonAsync("/api/v1/events?limit=1000")).GetArrayLength();

        using var response = await host.PutAsync("/api/v1/endpoints/web.svc.example.", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var errors = problem.GetProperty("errors");
        errors.TryGetProperty(field, out var messages).ShouldBeTrue(problem.ToString());
        messages[0].GetString()!.ShouldContain(message);
        problem.GetProperty("detail").GetString()!.ShouldStartWith(field + ": ");
        (await host.Client.GetAsync("/api/v1/endpoints/web.svc.example.")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.GetJsonAsync("/api/v1/events?limit=1000")).EnumerateArray().ShouldNotContain(e => e.GetProperty("kind").GetString() == "endpoint.put" && e.GetProperty("endpoint").GetString() == "web.svc.example.");
        before.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task PutEndpoint_Valid_IsPlannedAppliedAndAnsweredOverDns()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.PutAsync("/api/v1/endpoints/web.svc.example", ValidEndpoint);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        await TestHost.EventuallyAsync(async () => (await host.GetJsonAsync("/api/v1/endpoints/web.svc.example.")).GetProperty("endpoint").GetProperty("answer").GetArrayLength() == 2, "web applied");
        var answer = await QueryAsync(host.Host.DnsEndPoints[0], "web.svc.example.");
        answer.Rcode.ShouldBe(0);
        answer.AnswerCount.ShouldBe(2);
        var events = await host.GetJsonAsync("/api/v1/events?limit=1000");
        events.EnumerateArray().ShouldContain(e => e.GetProperty("kind").GetString() == "endpoint.put" && e.GetProperty("actor").GetString() == "api");

        using var again = await host.PutAsync("/api/v1/endpoints/web.svc.example.", ValidEndpoint.Replace("\"ttl\": 20", "\"ttl\": 25", StringComparison.Ordinal));
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.GetJsonAsync("/api/v1/endpoints/web.svc.example.")).GetProperty("endpoint").GetProperty("ttl").GetInt32().ShouldBe(25);
    }

    [Fact]
    public async Task Targets_PutAndDelete_ChangeTheEndpointButNeverEmptyIt()
    {
        await using var host = await TestHost.StartAsync();

        using var put = await host.PutAsync($"/api/v1/endpoints/{TestHost.Api}/targets/t4", """{ "address": "127.0.0.14", "az": "az1", "capacity": 10 }""");
        put.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.GetJsonAsync("/api/v1/targets")).EnumerateArray().Select(t => t.GetProperty("id").GetString()).ShouldBe(["t1", "t2", "t3", "t4"]);

        using var bad = await host.PutAsync($"/api/v1/endpoints/{TestHost.Api}/targets/t5", """{ "address": "127.0.0.15", "az": "az1", "weight": 0 }""");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("\"weight\"");

        foreach (var id in new[] { "t4", "t3", "t2" })
        {
            (await host.Authorized.DeleteAsync($"/api/v1/endpoints/{TestHost.Api}/targets/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using var last = await host.Authorized.DeleteAsync($"/api/v1/endpoints/{TestHost.Api}/targets/t1");
        last.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await host.Authorized.DeleteAsync($"/api/v1/endpoints/{TestHost.Api}/targets/t9")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DryRun_ShowsTheChangeAndWritesNothing()
    {
        // The planner plans everything at start, then waits half a minute or more before it plans a health change (its
        // coalescing delay): what dry-run sees in that time, the planner has not done.
        using var data = new TempDirectory();
        await using var host = await TestHost.StartAsync(TestHost.Config(data.Path, planner: "{ fullPassInterval: 1h, wakeDelay: 1m }"), data);
        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Generation > 0, "first plan applied");
        await host.ReportAsync("t2", "down");
        var plansBefore = (await host.GetJsonAsync($"/api/v1/endpoints/{TestHost.Api}/plans")).ToString();
        var liveBefore = await host.LiveAsync();

        using var response = await host.PostAsync($"/api/v1/endpoints/{TestHost.Api}/plan/dry-run", new { });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var dryRun = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        dryRun.GetProperty("change").GetBoolean().ShouldBeTrue();
        dryRun.GetProperty("diff").GetProperty("removed").EnumerateArray().Select(a => a.GetString()).ShouldBe(["127.0.0.12"]);
        dryRun.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("guardrail").GetString()).ShouldContain("capacity-floor");
        (await host.GetJsonAsync($"/api/v1/endpoints/{TestHost.Api}/plans")).ToString().ShouldBe(plansBefore);
        (await host.LiveAsync()).ShouldBe(liveBefore);
        (await host.PostAsync("/api/v1/endpoints/none.svc.example./plan/dry-run", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Freeze_HoldsApplies_UnfreezeLetsThemThrough()
    {
        await using var host = await TestHost.StartAsync();
        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Count == 3, "three targets live");
        var frozenAt = (await host.LiveAsync()).Generation;

        (await host.PostAsync("/api/v1/freeze", new { endpoint = TestHost.Api })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var freeze = await host.PostAsync("/api/v1/freeze", new { endpoint = TestHost.Api, reason = "investigating" });
        freeze.StatusCode.ShouldBe(HttpStatusCode.OK);
        await host.ReportAsync("t3", "down");
        await TestHost.EventuallyAsync(async () => (await host.GetJsonAsync($"/api/v1/endpoints/{TestHost.Api}")).GetProperty("endpoint").GetProperty("latestGeneration").GetInt64() > frozenAt, "plan without t3 written");
        // An enactor tried the new plan and the store refused it for the freeze (counted, not audited: nothing changed).
        await TestHost.EventuallyAsync(
            async () => (await host.Client.GetStringAsync("/metrics")).Split('\n').Any(l => l.StartsWith("holdfast_applies_total{", StringComparison.Ordinal) && l.Contains("result=\"frozen\"", StringComparison.Ordinal)),
            "an enactor was refused by the freeze");
        (await host.LiveAsync()).ShouldBe(new LiveState(frozenAt, "127.0.0.11 127.0.0.12 127.0.0.13"));
        (await host.GetJsonAsync("/api/v1/status")).GetProperty("frozenEndpoints").EnumerateArray().Select(e => e.GetString()).ShouldBe([TestHost.Api]);

        (await host.PostAsync("/api/v1/unfreeze", new { endpoint = TestHost.Api, reason = "done" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Count == 2, "t3 removed after unfreeze");
        (await host.GetJsonAsync("/api/v1/events?limit=1000")).EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ShouldContain("freeze.set");
    }

    [Fact]
    public async Task Rollback_DryRunFirst_ThenAHigherGenerationWithTheOldRecords()
    {
        await using var host = await TestHost.StartAsync();
        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Count == 3, "three targets live");
        await host.ReportAsync("t1", "down");
        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Count == 2, "t1 removed");
        var removed = await host.LiveAsync();

        using var dry = await host.PostAsync($"/api/v1/endpoints/{TestHost.Api}/rollback", new { to = "last-good", reason = "t1 is fine", dryRun = true });
        dry.StatusCode.ShouldBe(HttpStatusCode.OK);
        var preview = JsonDocument.Parse(await dry.Content.ReadAsStringAsync()).RootElement;
        preview.GetProperty("allowed").GetBoolean().ShouldBeTrue();
        preview.GetProperty("diff").GetProperty("added").EnumerateArray().Select(a => a.GetString()).ShouldBe(["127.0.0.11"]);
        preview.TryGetProperty("written", out _).ShouldBeFalse();
        (await host.LiveAsync()).ShouldBe(removed);

        using var real = await host.PostAsync($"/api/v1/endpoints/{TestHost.Api}/rollback", new { to = "last-good", reason = "t1 is fine" });

        real.StatusCode.ShouldBe(HttpStatusCode.OK);
        var written = JsonDocument.Parse(await real.Content.ReadAsStringAsync()).RootElement.GetProperty("written").GetInt64();
        written.ShouldBeGreaterThan(removed.Generation);
        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Generation == written, "rollback applied");
        (await host.LiveAsync()).Addresses.ShouldBe("127.0.0.11 127.0.0.12 127.0.0.13");
        var detail = await host.GetJsonAsync($"/api/v1/endpoints/{TestHost.Api}");
        detail.GetProperty("pinned").GetBoolean().ShouldBeTrue();
        (await host.GetJsonAsync($"/api/v1/endpoints/{TestHost.Api}/plans/g{written}")).GetProperty("origin").GetString().ShouldBe("rollback");
        var diff = await host.GetJsonAsync($"/api/v1/endpoints/{TestHost.Api}/diff?from={removed.Generation}&to={written}");
        diff.GetProperty("added").EnumerateArray().Select(a => a.GetString()).ShouldBe(["127.0.0.11"]);

        using var resume = await host.PostAsync($"/api/v1/endpoints/{TestHost.Api}/resume", new { reason = "t1 checked", actor = "ops" });
        resume.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.GetJsonAsync($"/api/v1/endpoints/{TestHost.Api}")).GetProperty("pinned").GetBoolean().ShouldBeFalse();
        (await host.PostAsync($"/api/v1/endpoints/{TestHost.Api}/resume", new { reason = "again" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await host.GetJsonAsync("/api/v1/events?limit=1000")).EnumerateArray().ShouldContain(e => e.GetProperty("kind").GetString() == "rollback.resumed" && e.GetProperty("actor").GetString() == "ops");

        using var badTo = await host.PostAsync($"/api/v1/endpoints/{TestHost.Api}/rollback", new { to = "yesterday", reason = "x" });
        badTo.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badTo.Content.ReadAsStringAsync()).ShouldContain("\"to\"");
        using var missing = await host.PostAsync($"/api/v1/endpoints/{TestHost.Api}/rollback", new { to = "g999", reason = "x" });
        missing.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await missing.Content.ReadAsStringAsync()).ShouldContain("does not exist");
    }

    [Fact]
    public async Task ReleaseSelfPreservation_NeedsAReasonAndAnExistingZone()
    {
        await using var host = await TestHost.StartAsync();

        (await host.PostAsync("/api/v1/zones/svc.example./self-preservation/release", new { })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await host.PostAsync("/api/v1/zones/other.example./self-preservation/release", new { reason = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.PostAsync("/api/v1/zones/svc.example./self-preservation/release", new { reason = "monitors fixed" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await host.GetJsonAsync("/api/v1/events?limit=1000")).EnumerateArray().ShouldContain(e => e.GetProperty("kind").GetString() == "self-preservation.released");
    }

    [Theory]
    [InlineData("""{ "source": "ext", "endpoint": "api.svc.example.", "target": "t1", "state": "sideways" }""", 400, "state")]
    [InlineData("""{ "source": "nobody", "endpoint": "api.svc.example.", "target": "t1", "state": "down" }""", 400, "source")]
    [InlineData("""{ "endpoint": "api.svc.example.", "target": "t1", "state": "down" }""", 400, "source")]
    [InlineData("""{ "source": "ext", "endpoint": "api.svc.example.", "target": "t9", "state": "down" }""", 404, "t9")]
    [InlineData("""{ "source": "ext", "endpoint": "api.svc.example.", "target": "t1", "state": "down", "colour": "red" }""", 400, "colour")]
    public async Task Observations_BadInput_IsRefusedNamingWhat(string body, int status, string named)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Authorized.PostAsync("/api/v1/health/observations", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        ((int)response.StatusCode).ShouldBe(status);
        (await response.Content.ReadAsStringAsync()).ShouldContain(named);
    }

    [Fact]
    public async Task Observations_Batch_MalformedItemRefusesAllOtherwiseEachGetsItsOutcome()
    {
        await using var host = await TestHost.StartAsync();
        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Count == 3, "three targets live");

        var bad = await host.PostAsync("/api/v1/health/observations", new object[]
        {
            new { source = "ext", endpoint = TestHost.Api, target = "t1", state = "down" },
            new { source = "ext", endpoint = TestHost.Api, target = "t2", state = "sideways" },
        });
        ((int)bad.StatusCode).ShouldBe(400);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("[1].state");
        (await host.GetJsonAsync($"/api/v1/endpoints/{TestHost.Api}")).GetProperty("targets").EnumerateArray()
            .Single(t => t.GetProperty("id").GetString() == "t1").GetProperty("health").GetString().ShouldNotBe("down", "nothing of a refused batch is recorded");

        using var good = await host.PostAsync("/api/v1/health/observations", new object[]
        {
            new { source = "ext", endpoint = TestHost.Api, target = "t1", state = "down", reason = "batch" },
            new { source = "ext", endpoint = TestHost.Api, target = "t9", state = "down" },
            new { source = "nobody", endpoint = TestHost.Api, target = "t2", state = "up" },
        });
        ((int)good.StatusCode).ShouldBe(202);
        var outcome = JsonDocument.Parse(await good.Content.ReadAsStringAsync()).RootElement;
        outcome.GetProperty("accepted").GetInt32().ShouldBe(1);
        outcome.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()).ShouldBe(["accepted", "unknown-target", "unknown-source"]);
        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Count == 2, "t1 removed by the batch");
    }

    [Fact]
    public async Task EventStream_SendsAuditEntriesAsServerSentEvents()
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events/stream?after=0");
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var id = await NextLineStartingWithAsync(reader, "id: ");
        var data = await NextLineStartingWithAsync(reader, "data: ");

        long.Parse(id[4..], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(1);
        var first = JsonDocument.Parse(data[6..]).RootElement;
        first.GetProperty("seq").GetInt64().ShouldBe(1);
        first.GetProperty("kind").GetString().ShouldBe("zone.put");
        first.GetProperty("actor").GetString().ShouldBe("config");
    }

    [Fact]
    public async Task Metrics_ArePrometheusTextWithDnsQueriesByZoneTypeAndRcode()
    {
        await using var host = await TestHost.StartAsync();
        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Count == 3, "applied");
        (await QueryAsync(host.Host.DnsEndPoints[0], TestHost.Api)).AnswerCount.ShouldBe(3);
        (await QueryAsync(host.Host.DnsEndPoints[0], "missing.svc.example.")).Rcode.ShouldBe(3);
        (await QueryAsync(host.Host.DnsEndPoints[0], "elsewhere.example.")).Rcode.ShouldBe(5);

        using var response = await host.Client.GetAsync("/metrics");
        var scraped = ScrapedMetrics.Parse(await response.Content.ReadAsStringAsync());

        var contentType = response.Content.Headers.ContentType!;
        contentType.MediaType.ShouldBe("text/plain");
        contentType.Parameters.ShouldContain(p => p.Name == "version" && p.Value == "0.0.4");
        scraped.Types["holdfast_dns_queries_total"].ShouldBe("counter");
        scraped.Value("holdfast_dns_queries_total", ("rcode", "NOERROR"), ("type", "A"), ("zone", "svc.example.")).ShouldBe(1);
        scraped.Value("holdfast_dns_queries_total", ("rcode", "NXDOMAIN"), ("type", "A"), ("zone", "svc.example.")).ShouldBe(1);
        scraped.Value("holdfast_dns_queries_total", ("rcode", "REFUSED"), ("type", "A"), ("zone", "none")).ShouldBe(1);
        scraped.Types["holdfast_dns_query_duration_seconds"].ShouldBe("histogram");
        scraped.Value("holdfast_dns_query_duration_seconds_count").ShouldBe(3);
        scraped.Value("holdfast_dns_query_duration_seconds_bucket", ("le", "+Inf")).ShouldBe(3);
        scraped.Value("holdfast_plans_written_total", ("origin", "planner")).ShouldBe(1);
        scraped.Named("holdfast_applies_total").ShouldContain(s => s.Labels.ContainsKey("enactor"));
        scraped.Named("holdfast_enactor_lag_seconds").ShouldContain(s => s.Labels["enactor"] == "e1");
        scraped.Value("holdfast_health_targets", ("source", "aggregate"), ("state", "unknown")).ShouldBe(3);
    }

    [Fact]
    public async Task Metrics_ScrapedByARealPrometheus_AreStoredUnderTheDocumentedNamesAndLabels()
    {
        await using var host = await TestHost.StartAsync();
        await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Count == 3, "applied");
        (await QueryAsync(host.Host.DnsEndPoints[0], TestHost.Api)).AnswerCount.ShouldBe(3);
        await using var prometheus = await PrometheusServer.StartAsync(new Uri(host.Host.ApiAddress, "/metrics"));

        // Prometheus's own parser took the whole scrape (a line it cannot read fails the target) ...
        (await ExternalTool.WaitUntilAsync(async () => await prometheus.TargetAsync() is ("up", _), TimeSpan.FromSeconds(60))).ShouldBeTrue(prometheus.Log);
        (await prometheus.TargetAsync())!.Value.LastError.ShouldBeEmpty();

        // ... and stored the series under the names and labels docs/metrics.md lists, and no others.
        var answered = await prometheus.QueryAsync("holdfast_dns_queries_total{zone=\"svc.example.\",type=\"A\",rcode=\"NOERROR\"}");
        answered.Single().Value.ShouldBe(1);
        answered.Single().Labels.Keys.Order(StringComparer.Ordinal).ShouldBe(["__name__", "instance", "job", "rcode", "type", "zone"]);
        (await prometheus.QueryAsync("holdfast_dns_query_duration_seconds_count")).Single().Value.ShouldBe(1);
        (await prometheus.QueryAsync("holdfast_plans_written_total{origin=\"planner\"}")).Single().Value.ShouldBe(1);
        (await prometheus.QueryAsync("holdfast_health_targets{source=\"aggregate\",state=\"unknown\"}")).Single().Value.ShouldBe(3);
        var families = (await prometheus.QueryAsync("count by (__name__) ({job=\"holdfast\"})")).Select(s => s.Labels["__name__"]).ToList();
        families.Where(n => !n.StartsWith("holdfast_", StringComparison.Ordinal) && !n.StartsWith("scrape_", StringComparison.Ordinal) && n != "up").ShouldBeEmpty();
    }

    [Fact]
    public async Task OpenApi_DocumentsTheRoutes()
    {
        await using var host = await TestHost.StartAsync();

        var document = await host.GetJsonAsync("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/api/v1/endpoints/{name}/rollback");
        paths.ShouldContain("/api/v1/events/stream");
        paths.ShouldContain("/readyz");
    }

    [Fact]
    public async Task Token_IsCreatedOwnerOnly_AndKeptAcrossRestarts()
    {
        using var data = new TempDirectory();
        string token;
        await using (var host = await TestHost.StartAsync(TestHost.Config(data.Path), data))
        {
            token = host.Host.Token;
            await TestHost.EventuallyAsync(async () => (await host.LiveAsync()).Count == 3, "applied");
            (await host.PostAsync("/api/v1/freeze", new { reason = "before restart" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var file = Path.Combine(data.Path, "api-token");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await using var again = await TestHost.StartAsync(TestHost.Config(data.Path), data);
        again.Host.Token.ShouldBe(token);
        var status = await again.GetJsonAsync("/api/v1/status");
        status.GetProperty("frozenGlobal").GetBoolean().ShouldBeTrue();
        (await again.LiveAsync()).Count.ShouldBe(3);
        (await again.GetJsonAsync("/api/v1/events?limit=1000")).EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "zone.put").ShouldBe(1);
    }

    private static async Task<string> NextLineStartingWithAsync(StreamReader reader, string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new EndOfStreamException("stream ended before a line starting with " + prefix);
    }

    private static async Task<(int Rcode, int AnswerCount)> QueryAsync(IPEndPoint server, string name)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server);
        await socket.SendAsync(DnsQueryBuilder.Build(0x4242, name, 1));
        var buffer = new byte[1232];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        length.ShouldBeGreaterThanOrEqualTo(12);
        return (buffer[3] & 0x0F, (buffer[6] << 8) | buffer[7]);
    }
}
