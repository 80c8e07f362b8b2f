using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Holdfast.Testing;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c>) started by a test on a free loopback port, scraping one
/// loopback target every second into a temp folder; asked through its HTTP API. Disposing kills it by PID and removes
/// the folder.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly DaemonProcess _process;
    private readonly HttpClient _http;

    private PrometheusServer(string folder, int port, Uri target)
    {
        var config = Path.Combine(folder, "prometheus.yml");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $"""
            global: {"{"} scrape_interval: 1s, scrape_timeout: 1s {"}"}
            scrape_configs:
              - job_name: holdfast
                metrics_path: {target.AbsolutePath}
                static_configs: [{"{"} targets: ["{target.Authority}"] {"}"}]
            """));
        _process = new DaemonProcess("prometheus", $"--config.file={config} --storage.tsdb.path={Path.Combine(folder, "data")} --web.listen-address=127.0.0.1:{port}", folder);
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
    }

    public string Log => _process.Log;

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (a loopback URL with its metrics path) and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!IPAddress.TryParse(target.Host, out var address) || !IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"a test's Prometheus scrapes loopback only, not {target}", nameof(target));
        }

        var server = new PrometheusServer(DaemonProcess.NewFolder("prometheus"), ExternalTool.FreePort(), target);
        if (!await ExternalTool.WaitUntilAsync(server.ReadyAsync, TimeSpan.FromSeconds(30)))
        {
            var log = server.Log;
            await server.DisposeAsync();
            throw new InvalidOperationException($"prometheus did not become ready:\n{log}");
        }

        return server;
    }

    /// <summary>The scrape target as Prometheus sees it: its health (<c>up</c>, <c>down</c>, <c>unknown</c>) and last scrape error; null before discovery lists it.</summary>
    public async Task<(string Health, string LastError)?> TargetAsync()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri("api/v1/targets", UriKind.Relative)));
        var targets = document.RootElement.GetProperty("data").GetProperty("activeTargets");
        return targets.GetArrayLength() == 0 ? null : (targets[0].GetProperty("health").GetString()!, targets[0].GetProperty("lastError").GetString()!);
    }

    /// <summary>An instant PromQL query: each series of the result as its labels (with <c>__name__</c>) and its value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(promql), UriKind.Relative)));
        var data = document.RootElement.GetProperty("data");
        if (data.GetProperty("resultType").GetString() != "vector")
        {
            throw new InvalidOperationException($"'{promql}' is not an instant vector query");
        }

        return [.. data.GetProperty("result").EnumerateArray().Select(series => (
            (IReadOnlyDictionary<string, string>)series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal),
            double.Parse(series.GetProperty("value")[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)))];
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }

    private async Task<bool> ReadyAsync()
    {
        if (_process.HasExited)
        {
            return false;
        }

        try
        {
            using var response = await _http.GetAsync(new Uri("-/ready", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
