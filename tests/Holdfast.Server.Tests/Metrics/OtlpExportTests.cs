using System.Text;
using Holdfast.Server.Tests.Hosting;

namespace Holdfast.Server.Tests.Metrics;

/// <summary>With <c>metrics.otlp</c> set, the host pushes its instruments over OTLP/HTTP as well as serving /metrics.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Host_WithMetricsOtlp_PushesTheDnsQueryCounterAsProtobuf()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var data = new TempDirectory();
        var yaml = TestHost.Config(data.Path, extra: $"metrics: {{ otlp: {{ endpoint: {receiver.Endpoint}, interval: 1s }} }}");
        await using var host = await TestHost.StartAsync(yaml, data);
        (await ExternalTool.DigAsync(host.Host.DnsEndPoints[0].Port, $"{TestHost.Zone} SOA")).ShouldContain("status: NOERROR");

        // OTLP protobuf carries metric names, attribute keys and string values as plain UTF-8 bytes: the push that
        // follows the query names the counter, its zone label and the zone.
        static bool Names(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
        (await ExternalTool.WaitUntilAsync(
            () => Task.FromResult(receiver.Received.Any(r => Names(r.Body, "holdfast.dns.queries") && Names(r.Body, "rcode") && Names(r.Body, TestHost.Zone))),
            TimeSpan.FromSeconds(30))).ShouldBeTrue($"{receiver.Received.Count} pushes received");
        receiver.Received.ShouldAllBe(r => r.ContentType == "application/x-protobuf");
        // The scrape endpoint serves on beside it.
        ScrapedMetrics.Parse(await host.Client.GetStringAsync("/metrics")).Value("holdfast_dns_queries_total", ("rcode", "NOERROR"), ("type", "SOA"), ("zone", TestHost.Zone)).ShouldBe(1);
    }
}
