using System.Net;
using System.Text.Json;
using Holdfast.Server.Api;
using Holdfast.Server.Tests.Hosting;

namespace Holdfast.Server.Tests.Dashboard;

/// <summary>The reads the dashboard adds (prefix search, counts) and the event stream it follows, on an in-process host.</summary>
public sealed class DashboardReadsTests
{
    private const string Endpoint = """{ "zone": "svc.example.", "targets": [ { "id": "a", "address": "10.0.0.1", "az": "az1" } ] }""";

    [Fact]
    public async Task EndpointSummaries_Prefix_OnlyNamesWithItInOrderAndPaged()
    {
        await using var host = await TestHost.StartAsync();
        foreach (var name in new[] { "ap", "apz", "apb", "b" })
        {
            (await host.PutAsync($"/api/v1/endpoints/{name}.svc.example.", Endpoint)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var reads = new HoldfastReads(host.Host);
        var (first, next) = await reads.EndpointSummariesAsync("ap", null, 2, TestContext.Current.CancellationToken);
        var (rest, end) = await reads.EndpointSummariesAsync("ap", next, 2, TestContext.Current.CancellationToken);

        first.Select(e => e.Endpoint.Name).ShouldBe(["ap.svc.example.", "apb.svc.example."]);
        rest.Select(e => e.Endpoint.Name).ShouldBe(["api.svc.example.", "apz.svc.example."]);
        end.ShouldBeNull();
        rest[0].Unknown.ShouldBe(3, "api's targets have no report yet");
        (await reads.EndpointSummariesAsync("api.svc.example.", null, 10, TestContext.Current.CancellationToken)).Items.ShouldHaveSingleItem();
        (await reads.EndpointSummariesAsync("c", null, 10, TestContext.Current.CancellationToken)).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Counts_TargetReportedDown_EndpointDegraded()
    {
        await using var host = await TestHost.StartAsync();
        var reads = new HoldfastReads(host.Host);
        (await reads.CountsAsync(TestContext.Current.CancellationToken)).ShouldBe(new EndpointCountsView(1, 1, 0, 0, false));

        await host.ReportAsync("t1", "down");

        await TestHost.EventuallyAsync(async () => (await reads.CountsAsync(TestContext.Current.CancellationToken)).Degraded == 1, "api degraded");
        (await reads.CountsAsync(TestContext.Current.CancellationToken)).Healthy.ShouldBe(0);
    }

    [Fact]
    public async Task EventStream_EndpointAndKindFilter_SendsOnlyMatchingEntriesAsTheyAreWritten()
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events/stream?endpoint=api.svc.example.&kind=freeze.");
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        (await reader.ReadLineAsync(TestContext.Current.CancellationToken)).ShouldBe(": holdfast events");

        (await host.PostAsync("/api/v1/freeze", new { reason = "global: filtered out" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.PostAsync("/api/v1/freeze", new { endpoint = "api.svc.example.", reason = "stream test", actor = "tester" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        string? data = null;
        while (data is null && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            data = line.StartsWith("data: ", StringComparison.Ordinal) ? line[6..] : null;
        }

        var entry = JsonDocument.Parse(data!).RootElement;
        entry.GetProperty("kind").GetString().ShouldBe("freeze.set");
        entry.GetProperty("endpoint").GetString().ShouldBe("api.svc.example.");
        entry.GetProperty("actor").GetString().ShouldBe("tester");
    }
}
