// Calls http://api.svc.example.:18080/ through Holdfast.Client against `./holdfast up` (README.md, docs/client.md).
// It starts its own tiny backends on the quickstart endpoint's target addresses (127.0.0.11-13), so the whole
// path is real: Holdfast DNS answer -> resolver cache -> happy-eyeballs connect -> retry budget -> backend.
// Stop `holdfast up` while it runs: requests keep succeeding on stale answers, and the summary says so.
//
//   dotnet run --project examples/Holdfast.Client.Example -- [--dns 127.0.0.1:5353] [--name api.svc.example.]
//                                                           [--port 18080] [--requests 20] [--interval 1s]
using System.Globalization;
using System.Net;
using Holdfast.Client.Http;
using Holdfast.Client.Resolution;
using Holdfast.Client.Retries;
using Holdfast.Client.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var settings = ExampleSettings.Parse(args);
if (settings is null)
{
    Console.Error.WriteLine("usage: Holdfast.Client.Example [--dns HOST:PORT] [--name NAME] [--port N] [--requests N] [--interval SECONDS]");
    return 2;
}

// The backends: one Kestrel listening on every target address of the quickstart's api endpoint.
var backendBuilder = WebApplication.CreateSlimBuilder();
backendBuilder.Logging.ClearProviders();
backendBuilder.WebHost.UseKestrel(kestrel =>
{
    foreach (var address in (string[])["127.0.0.11", "127.0.0.12", "127.0.0.13"])
    {
        kestrel.Listen(IPAddress.Parse(address), settings.Port);
    }
});
await using var backends = backendBuilder.Build();
backends.Run(context => context.Response.WriteAsync($"hello from {context.Connection.LocalIpAddress}"));
await backends.StartAsync();

var services = new ServiceCollection()
    .AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning))
    .AddHoldfastResolver(o =>
    {
        o.Upstreams.Add(settings.Dns);
        o.Families = AddressFamilies.IPv4;
        o.LastKnownGoodPath = Path.Combine(Path.GetTempPath(), "holdfast-client-example-lkg.json");
    });
services.AddHttpClient("orders").AddHoldfastResolution().AddHoldfastRetry();
await using var provider = services.BuildServiceProvider();
var resolver = provider.GetRequiredService<HoldfastResolver>();
var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("orders");
var sources = new Dictionary<ResolutionSource, int>();
var ok = 0;
for (var i = 1; i <= settings.Requests; i++)
{
    var resolution = await resolver.ResolveAsync(settings.Name);
    sources[resolution.Source] = sources.GetValueOrDefault(resolution.Source) + 1;
    try
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{settings.Name.TrimEnd('.')}:{settings.Port}/"));
        request.Headers.ConnectionClose = true;
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        ok += response.IsSuccessStatusCode ? 1 : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i,3}: {(int)response.StatusCode} {body,-24} resolution {resolution.Source} ({resolution.Addresses.Length} addresses, ttl {resolution.Ttl.TotalSeconds:0}s)"));
    }
    catch (HttpRequestException ex)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i,3}: failed: {ex.Message}"));
    }

    if (i < settings.Requests)
    {
        await Task.Delay(settings.Interval);
    }
}

var metrics = provider.GetRequiredService<ClientMetrics>();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{ok}/{settings.Requests} requests succeeded; resolutions: {string.Join(", ", sources.Select(s => $"{s.Key} {s.Value}"))}; cache hit ratio {metrics.HitRatio():0.00}; suspect answers now: {resolver.SuspectAnswers.Count}"));
await backends.StopAsync();
return ok == settings.Requests ? 0 : 1;
