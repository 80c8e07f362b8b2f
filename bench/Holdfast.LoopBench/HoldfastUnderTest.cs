using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Holdfast.LoopBench;

/// <summary>
/// One `holdfast up` process on loopback ports with N endpoints × 3 targets in one zone, 3 enactors and two
/// external health sources that this tool reports for through the API (as the measurements did).
/// </summary>
internal sealed class HoldfastUnderTest : IAsyncDisposable
{
    public const string Zone = "bench.example.";
    public static readonly string[] Sources = ["ext-a", "ext-b"];
    private readonly string _cli;
    private readonly string _work;
    private readonly HttpClient _http;
    private Process? _process;
    private int _starts;

    public HoldfastUnderTest(string cli, string work, int endpoints)
    {
        _cli = cli;
        _work = work;
        Endpoints = endpoints;
        DnsPort = FreePort();
        ApiPort = FreePort();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ApiPort}/"), Timeout = TimeSpan.FromMinutes(5) };
    }

    public int Endpoints { get; }

    public int DnsPort { get; }

    public int ApiPort { get; }

    public string ConfigPath => Path.Combine(_work, "holdfast.yaml");

    public string DataDirectory => Path.Combine(_work, "data");

    public int Pid => _process?.Id ?? throw new InvalidOperationException("not started");

    public IPEndPoint Dns => new(IPAddress.Loopback, DnsPort);

    public string ApiUrl => $"http://127.0.0.1:{ApiPort}";

    public static string Name(int i) => $"e{i}.{Zone}";

    public static string TargetId(int t) => $"t{t}";

    public static string Address(int endpoint, int target)
    {
        var n = (endpoint * 3) + target + 1;
        return $"127.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}";
    }

    public void WriteConfig()
    {
        Directory.CreateDirectory(_work);
        var yaml = new StringBuilder(Endpoints * 330);
        yaml.Append($$"""
            # Written by bench/Holdfast.LoopBench: {{Endpoints}} endpoints x 3 targets, one zone, 3 enactors,
            # two external health sources (this tool reports for them), thresholds at zero so that every figure is
            # the pipeline's own time.
            dataDirectory: {{DataDirectory}}
            dns:
              listen: [127.0.0.1:{{DnsPort}}]
            api:
              listen: 127.0.0.1:{{ApiPort}}
            zones:
              - apex: {{Zone}}
                soa: { mname: ns1.{{Zone}}, rname: hostmaster.{{Zone}}, refresh: 3600, retry: 600, expire: 604800, minimum: 60 }
                ns: [ns1.{{Zone}}]
            enactors:
              - { id: enactor-az1, az: az1 }
              - { id: enactor-az2, az: az2 }
              - { id: enactor-az3, az: az3 }
            healthSources:
              - { name: ext-a, kind: external, interval: 1h, rise: 1, fall: 1 }
              - { name: ext-b, kind: external, interval: 1h, rise: 1, fall: 1 }
            health: { downGrace: 0s, newTargetGrace: 0s }
            endpoints:

            """);
        for (var i = 0; i < Endpoints; i++)
        {
            yaml.Append("  - { name: e").Append(i).Append(", zone: ").Append(Zone)
                .Append(", ttl: 30, policy: { capacityFloor: 0.3, velocityLimit: 0.67, velocityWindow: 1m, failOpen: true }, targets: [");
            for (var t = 0; t < 3; t++)
            {
                yaml.Append(t == 0 ? "" : ", ").Append("{ id: t").Append(t).Append(", address: ").Append(Address(i, t))
                    .Append(", az: az").Append(t + 1).Append(", capacity: 10, healthCheck: { kind: external, sources: [ext-a, ext-b] } }");
            }

            yaml.Append("] }\n");
        }

        File.WriteAllText(ConfigPath, yaml.ToString());
    }

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet", [_cli, "up", "--config", ConfigPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_gcServer"] = "0";
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start holdfast");
        var log = new StreamWriter(Path.Combine(_work, $"holdfast-{++_starts}.log")) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process?.HasExited ?? true;

    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
    }

    public async Task<bool> ApiUpAsync()
    {
        try
        {
            using var response = await _http.GetAsync("healthz");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Posts observations, split into calls of at most 5,000 targets (the API takes 10,000 items a call, one per source); every item must be accepted.</summary>
    public async Task ObserveAsync(IEnumerable<(int Endpoint, int Target, bool Up)> items)
    {
        foreach (var call in items.Chunk(10_000 / Sources.Length))
        {
            await ObserveOneCallAsync(call);
        }
    }

    private async Task ObserveOneCallAsync(IEnumerable<(int Endpoint, int Target, bool Up)> items)
    {
        var body = new List<object>();
        foreach (var (endpoint, target, up) in items)
        {
            foreach (var source in Sources)
            {
                body.Add(new { source, endpoint = Name(endpoint), target = TargetId(target), state = up ? "up" : "down", reason = up ? null : "loopbench: reported down" });
            }
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/health/observations") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "api-token"))).Trim());
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || text.Contains("\"unknown", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"observations refused: {(int)response.StatusCode} {text[..Math.Min(400, text.Length)]}");
        }
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>())!;
    }

    /// <summary>Reads a response to the end; its length in bytes.</summary>
    public async Task<long> ReadAllAsync(string path)
    {
        using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = await body.ReadAsync(buffer)) > 0)
        {
            total += n;
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _http.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port)); // the DNS port must be free for UDP too
        return port;
    }
}
