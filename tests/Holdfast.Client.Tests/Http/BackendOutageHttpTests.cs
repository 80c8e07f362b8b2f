using System.Net;
using Holdfast.Client.Http;
using Holdfast.Client.Resolution;
using Holdfast.Client.Retries;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Retry;

namespace Holdfast.Client.Tests.Http;

/// <summary>
/// A real Kestrel answering 503 throughout, a real HttpClient resolving through the Holdfast DNS server, and three
/// client policies measured side by side in one run: the offered load Kestrel sees per request. Reported, not timed.
/// </summary>
public sealed class BackendOutageHttpTests(ITestOutputHelper output)
{
    private const int Requests = 300;

    private static async Task<double> OfferedLoadAsync(KestrelBackends backends, HoldfastDnsFixture dns, Action<IHttpClientBuilder> policy, bool naive = false)
    {
        var services = new ServiceCollection()
            .AddHoldfastResolver(o =>
            {
                o.Upstreams.Add(dns.EndPoint);
                o.Families = AddressFamilies.IPv4;
                o.LastKnownGoodPath = null;
            });
        var client = services.AddHttpClient("orders").AddHoldfastResolution();
        policy(client);
        await using var provider = services.BuildServiceProvider();
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("orders");
        var before = backends.Requests;
        for (var i = 0; i < Requests; i++)
        {
            for (var attempt = 0; attempt < (naive ? 5 : 1); attempt++)
            {
                using var response = await http.GetAsync(new Uri($"http://api.svc.example:{backends.Port}/"), TestContext.Current.CancellationToken);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    break;
                }
            }
        }

        return (double)(backends.Requests - before) / Requests;
    }

    [Fact]
    public async Task Backend503_NaivePlainPollyAndBudget_BudgetOffersAtMostOnePointOneTimesTheLoad()
    {
        await using var dns = await HoldfastDnsFixture.StartAsync();
        dns.Publish("api", 30, "127.0.0.11");
        await using var backends = await KestrelBackends.StartAsync("127.0.0.11");

        var healthy = await OfferedLoadAsync(backends, dns, _ => { });
        backends.Status = () => (int)HttpStatusCode.ServiceUnavailable;
        var naive = await OfferedLoadAsync(backends, dns, _ => { }, naive: true);
        var plain = await OfferedLoadAsync(backends, dns, client => client.AddResilienceHandler("plain", pipeline => pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = args => new ValueTask<bool>(args.Outcome.Result?.StatusCode == HttpStatusCode.ServiceUnavailable),
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(1),
        })));

        // No minimum rate here, so the bound is the ratio alone; backoff shortened so the run takes no time.
        var budget = await OfferedLoadAsync(backends, dns, client => client.AddHoldfastRetry(o =>
        {
            o.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.MaxDelay = TimeSpan.FromMilliseconds(5);
            o.Budget.MinRetriesPerSecond = 0;
            o.CircuitBreaker = null;
            o.Random = new SeededRandom(1);
        }));

        output.WriteLine(FormattableString.Invariant($"offered load per request, {Requests} requests: healthy {healthy:0.000}, naive {naive:0.000}, plain Polly {plain:0.000}, Holdfast budget {budget:0.000}"));
        healthy.ShouldBe(1);
        naive.ShouldBe(5);
        plain.ShouldBe(4);
        budget.ShouldBeLessThanOrEqualTo(1.1 * healthy);
        budget.ShouldBeGreaterThan(1.0, "the budget still lets a tenth retry");
    }
}
