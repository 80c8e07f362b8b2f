using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Holdfast.Testing;
using Holdfast.Testing.Chaos;

namespace Holdfast.EtcdBench;

/// <summary>
/// Issue 10's second figure: three real <c>holdfast up</c> nodes on the 3-member cluster with N endpoints × 3 targets;
/// a target reported down (through every node's API, as each node aggregates health itself) until every node's DNS
/// answer has dropped its address, then back up until every node answers it again. Also the cold start: every node
/// started on an empty data directory until every node answers every endpoint.
/// </summary>
internal static class HealthToAnswer
{
    private const string Zone = "bench.example.";
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<string> RunAsync(string cliDll, EtcdCluster etcd, int endpoints, int samples, int seed)
    {
        using var folder = new TempDirectory();
        var prefix = "/answer-" + Guid.NewGuid().ToString("N")[..8] + "/";
        var nodes = Enumerable.Range(1, 3).Select(i => new ChaosNode($"n{i}", cliDll, Path.Combine(folder.Path, $"n{i}"), ExternalTool.FreePort(), ExternalTool.FreePort())).ToList();
        try
        {
            foreach (var node in nodes)
            {
                await File.WriteAllTextAsync(node.ConfigPath, Config(node, etcd, prefix, endpoints));
            }

            var clock = Stopwatch.StartNew();
            foreach (var node in nodes)
            {
                node.Start();
            }

            foreach (var node in nodes)
            {
                for (var i = 0; i < endpoints; i++)
                {
                    while ((await ChaosProbe.QueryAsync(node.DnsPort, Name(i), 1, TimeSpan.FromMilliseconds(500)))?.Addresses.Count != 3)
                    {
                        if (clock.Elapsed > TimeSpan.FromMinutes(15))
                        {
                            throw new TimeoutException($"{node.Id} does not answer {Name(i)} with 3 addresses after 15 minutes\n{node.Tail()}");
                        }

                        await Task.Delay(100);
                    }
                }
            }

            var coldStart = clock.Elapsed;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold start: every node answers all {endpoints} endpoints after {coldStart.TotalSeconds:0.0} s"));

            var random = new Random(seed);
            var down = new List<double>();
            var up = new List<double>();
            for (var sample = 0; sample < samples; sample++)
            {
                var endpoint = random.Next(endpoints);
                var target = random.Next(3);
                var address = Address(endpoint, target);
                down.Add(await ChangeAsync(nodes, endpoint, target, "down", answer => !answer.Contains(address)));
                up.Add(await ChangeAsync(nodes, endpoint, target, "up", answer => answer.Contains(address)));
            }

            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"health-to-answer {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, 3 etcd members, 3 Holdfast nodes, {endpoints} endpoints x 3 targets, {samples} samples");
            text.AppendLine(CultureInfo.InvariantCulture, $"cold start (empty data directories) until every node answers every endpoint: {coldStart.TotalSeconds:0.0} s");
            text.AppendLine("| change | until every node answers it: p50 | p90 | p99 | max (ms) |");
            text.AppendLine("|---|---|---|---|---|");
            text.AppendLine(Row("target down", down));
            text.AppendLine(Row("target up", up));
            return text.ToString();
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }

    /// <summary>Reports the change to every node, then polls every node's DNS until each answers as <paramref name="done"/> wants; milliseconds.</summary>
    private static async Task<double> ChangeAsync(List<ChaosNode> nodes, int endpoint, int target, string state, Func<IReadOnlyList<string>, bool> done)
    {
        var clock = Stopwatch.StartNew();
        foreach (var node in nodes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node.Api, "/api/v1/health/observations"))
            {
                Content = new StringContent(JsonSerializer.Serialize(new { source = "ext", endpoint = Name(endpoint), target = $"t{target + 1}", state, reason = "etcd-compare" }), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", node.Token);
            using var response = await s_http.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        var pending = new HashSet<ChaosNode>(nodes);
        while (pending.Count > 0)
        {
            foreach (var node in pending.ToList())
            {
                if (await ChaosProbe.QueryAsync(node.DnsPort, Name(endpoint), 1, TimeSpan.FromMilliseconds(500)) is { } answer && answer.Addresses.Count > 0 && done(answer.Addresses))
                {
                    pending.Remove(node);
                }
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"{Name(endpoint)} t{target + 1} {state}: not answered by {string.Join(", ", pending.Select(n => n.Id))} within 60 s");
            }
        }

        return clock.Elapsed.TotalMilliseconds;
    }

    private static string Row(string change, List<double> values)
    {
        var sorted = values.Order().ToList();
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"| {change} | {At(0.5):0.0} | {At(0.9):0.0} | {At(0.99):0.0} | {sorted[^1]:0.0} |");
    }

    private static string Name(int i) => $"e{i}.{Zone}";

    private static string Address(int endpoint, int target)
    {
        var n = (endpoint * 3) + target + 1;
        return $"127.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}";
    }

    private static string Config(ChaosNode node, EtcdCluster etcd, string prefix, int endpoints)
    {
        var text = new StringBuilder(ChaosRun.NodeConfigHead(node, etcd, prefix, Zone, "1h"), endpoints * 300);
        text.AppendLine("endpoints:");
        for (var i = 0; i < endpoints; i++)
        {
            text.Append("  - { name: e").Append(i).Append(", zone: ").Append(Zone).Append(", ttl: 30, policy: { capacityFloor: 0.3, velocityLimit: 0.67, velocityWindow: 1m, failOpen: true }, targets: [");
            for (var t = 0; t < 3; t++)
            {
                text.Append(t == 0 ? "" : ", ").Append("{ id: t").Append(t + 1).Append(", address: ").Append(Address(i, t))
                    .Append(", az: az").Append(t + 1).Append(", capacity: 10, healthCheck: { kind: external, sources: [ext] } }");
            }

            text.Append("] }\n");
        }

        return text.ToString();
    }
}
