using System.Diagnostics.Metrics;
using System.Net;
using Holdfast.Server.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Holdfast.Server.Tests.Metrics;

/// <summary>The host's export (<see cref="MetricsExport"/>) of one meter, served on 127.0.0.1 and scraped over HTTP.</summary>
internal sealed class MetricsScrape : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private MetricsScrape(WebApplication app, Uri address)
    {
        _app = app;
        _client = new HttpClient { BaseAddress = address };
    }

    public static async Task<MetricsScrape> StartAsync(Meter meter)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddHoldfastMetricsExport(meter);
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        await app.StartAsync();
        var address = app.Urls.First();
        return new MetricsScrape(app, new Uri(address));
    }

    public Task<string> ScrapeAsync() => _client.GetStringAsync("/metrics");

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
