using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Holdfast.Testing.Chaos;

/// <summary>What a chaos run does and for how long.</summary>
public sealed record ChaosOptions
{
    /// <summary>The built <c>holdfast.dll</c> the nodes run.</summary>
    public required string CliDll { get; init; }

    /// <summary>How long faults are injected.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Endpoints whose health churns (three targets each, one per availability zone).</summary>
    public int Endpoints { get; init; } = 12;

    public int Seed { get; init; } = 1;

    /// <summary>The kinds of fault injected (etcd-kill, node-kill, node-pause); all by default.</summary>
    public IReadOnlySet<string> FaultKinds { get; init; } = new HashSet<string>(AllFaultKinds, StringComparer.Ordinal);

    public static IReadOnlyList<string> AllFaultKinds { get; } = ["etcd-kill", "node-kill", "node-pause"];

    /// <summary>How long every node may take to converge after the last fault.</summary>
    public TimeSpan ConvergenceBound { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Progress lines (faults as they happen).</summary>
    public Action<string> Log { get; init; } = _ => { };
}

/// <summary>The outcome of a chaos run; <see cref="Violations"/> must be empty.</summary>
public sealed record ChaosReport(
    TimeSpan FaultTime,
    IReadOnlyList<string> Faults,
    long QueriesChecked,
    long QueriesUnanswered,
    int WritesAcknowledged,
    int WritesFailed,
    int HealthReports,
    TimeSpan Convergence,
    IReadOnlyList<string> Violations)
{
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"faults injected: {Faults.Count} in {FaultTime.TotalSeconds:0} s ({string.Join(", ", Faults.GroupBy(f => f.Split(' ')[0]).Select(g => $"{g.Count()} {g.Key}"))})");
        text.AppendLine(CultureInfo.InvariantCulture, $"queries checked: {QueriesChecked} (unanswered while a node was down, paused or starting: {QueriesUnanswered})");
        text.AppendLine(CultureInfo.InvariantCulture, $"writes acknowledged: {WritesAcknowledged} (failed or unknown: {WritesFailed}); health reports: {HealthReports}");
        text.AppendLine(CultureInfo.InvariantCulture, $"converged after the last fault in {Convergence.TotalSeconds:0.0} s");
        text.AppendLine(CultureInfo.InvariantCulture, $"violations: {Violations.Count}");
        foreach (var violation in Violations.Take(50))
        {
            text.AppendLine("  " + violation);
        }

        return text.ToString();
    }
}

/// <summary>
/// Three etcd members (Debian's etcd-server) and three <c>holdfast up</c> processes on loopback, one store. While faults
/// run — kill -9 and restart of a random etcd member (never two at once, so never a majority), kill -9 and restart of a
/// random Holdfast node, SIGSTOP/SIGCONT of one (its lease may lapse: the delayed enactor, for real) — health churns
/// through every node's API, a writer toggles freezes on its own endpoints through a random node and records what was
/// acknowledged, and a prober resolves every endpoint and the SOA on every node without pause.
/// </summary>
/// <remarks>
/// Checked: no node ever answered NXDOMAIN or an empty answer for an endpoint (every endpoint always has enabled
/// targets); no node's serial ever went down (RFC 1982); no live generation ever went back; after the last fault every
/// node serves the same generations within <see cref="ChaosOptions.ConvergenceBound"/>; every acknowledged write is in
/// the audit log and the last acknowledged freeze state holds; a freeze set through one node holds on all.
/// </remarks>
public static class ChaosRun
{
    public const string Zone = "chaos.example.";

    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(3) };

    public static async Task<ChaosReport> RunAsync(ChaosOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.FaultKinds.Count == 0 || !options.FaultKinds.All(ChaosOptions.AllFaultKinds.Contains))
        {
            throw new ArgumentException($"fault kinds must be some of {string.Join(", ", ChaosOptions.AllFaultKinds)}", nameof(options));
        }

        var random = new Random(options.Seed);
        var violations = new ConcurrentQueue<string>();
        var faults = new List<string>();
        using var folder = new TempDirectory();
        await using var etcd = await EtcdCluster.StartAsync(3);
        var nodes = Enumerable.Range(1, 3).Select(i => new ChaosNode($"n{i}", options.CliDll, Path.Combine(folder.Path, $"n{i}"), ExternalTool.FreePort(), ExternalTool.FreePort())).ToList();
        var prefix = "/chaos-" + Guid.NewGuid().ToString("N")[..8] + "/";
        var churned = Enumerable.Range(0, options.Endpoints).Select(i => $"c{i}.{Zone}").ToList();
        var written = Enumerable.Range(0, 3).Select(i => $"w{i}.{Zone}").ToList();
        foreach (var node in nodes)
        {
            await File.WriteAllTextAsync(node.ConfigPath, Config(node, etcd, prefix, churned.Concat(written)));
        }

        try
        {
            foreach (var node in nodes)
            {
                node.Start();
            }

            foreach (var node in nodes)
            {
                await WaitAsync(() => ReadyAsync(node), TimeSpan.FromSeconds(90), $"{node.Id} ready\n{node.Tail()}");
            }

            using var stop = new CancellationTokenSource();
            var state = new RunState(nodes, churned, written, violations, options.Log);
            var prober = ProbeAsync(state, stop.Token);
            var churn = ChurnAsync(state, new Random(random.Next()), stop.Token);
            var writer = WriteAsync(state, new Random(random.Next()), stop.Token);
            var watcher = WatchGenerationsAsync(state, stop.Token);

            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < options.Duration)
            {
                var at = DateTime.UtcNow;
                var fault = await InjectAsync(etcd, nodes, random, options.FaultKinds);
                faults.Add(fault);
                options.Log($"{clock.Elapsed.TotalSeconds,6:0.0}s {at:HH:mm:ss.fff} {fault}");
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1000, 3000)));
            }

            var faultTime = clock.Elapsed;

            // Everything back: every member and node running, then the bound on convergence.
            foreach (var node in nodes.Where(n => n.Paused))
            {
                node.Resume();
            }

            var converging = Stopwatch.StartNew();
            await WaitAsync(() => ConvergedAsync(nodes), options.ConvergenceBound, "every node serves the same generations", throwOnTimeout: false);
            var convergence = converging.Elapsed;
            if (convergence >= options.ConvergenceBound)
            {
                violations.Enqueue($"the nodes did not converge within {options.ConvergenceBound.TotalSeconds:0} s: {await DescribeGenerationsAsync(nodes)}");
            }

            await stop.CancelAsync();
            await Task.WhenAll(prober, churn, writer, watcher);
            await CheckWritesAsync(state);
            await CheckGenerationsAsync(state);
            await CheckFreezeHoldsEverywhereAsync(nodes, churned[0], violations);
            return new ChaosReport(faultTime, faults, state.Queries, state.Unanswered, state.Acknowledged.Count, state.WritesFailed, state.HealthReports, convergence, [.. violations]);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"chaos run failed: {ex.Message}\n{string.Join("\n", nodes.Select(n => $"--- {n.Id}\n{n.Tail()}"))}", ex);
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }

    private static string Config(ChaosNode node, EtcdCluster etcd, string prefix, IEnumerable<string> endpoints)
    {
        var text = new StringBuilder(NodeConfigHead(node, etcd, prefix, Zone, "1m"));
        text.AppendLine("planner: { fullPassInterval: 1m }");
        text.AppendLine("endpoints:");
        var index = 0;
        foreach (var name in endpoints)
        {
            index++;
            text.AppendLine(CultureInfo.InvariantCulture, $"  - name: {name}");
            text.AppendLine(CultureInfo.InvariantCulture, $"    zone: {Zone}");
            text.AppendLine("    ttl: 5");
            text.AppendLine("    targets:");
            for (var t = 1; t <= 3; t++)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"      - {{ id: t{t}, address: 127.0.{index}.{t}, az: az{t}, capacity: 10, healthCheck: {{ kind: external, sources: [ext] }} }}");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The part of a node's holdfast.yaml that every multi-node run shares: its data directory, DNS and API on loopback
    /// (rate limiting off: the prober asks fast from one address), the etcd store with this node's id, one zone, three
    /// enactors (one per AZ), one external health source reported through the API, thresholds at zero.
    /// </summary>
    public static string NodeConfigHead(ChaosNode node, EtcdCluster etcd, string prefix, string zone, string healthInterval)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(etcd);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            dataDirectory: {{node.DataDirectory}}
            dns: { listen: [127.0.0.1:{{node.DnsPort}}], rateLimit: { enabled: false } }
            api: { listen: 127.0.0.1:{{node.ApiPort}} }
            store: { kind: etcd, endpoints: [{{string.Join(", ", etcd.ClientUrls.Select(u => u.ToString().TrimEnd('/')))}}], prefix: {{prefix}}, nodeId: {{node.Id}} }
            zones:
              - { apex: {{zone}}, soa: { mname: ns1.{{zone}}, rname: hostmaster.{{zone}} }, ns: [ns1.{{zone}}] }
            enactors: [{ id: {{node.Id}}-az1, az: az1 }, { id: {{node.Id}}-az2, az: az2 }, { id: {{node.Id}}-az3, az: az3 }]
            healthSources: [{ name: ext, kind: external, interval: {{healthInterval}}, rise: 1, fall: 1 }]
            health: { downGrace: 0s, newTargetGrace: 0s }

            """);
    }

    private static async Task<string> InjectAsync(EtcdCluster etcd, List<ChaosNode> nodes, Random random, IReadOnlySet<string> kinds)
    {
        var choices = ChaosOptions.AllFaultKinds.Where(kinds.Contains).ToList();
        switch (ChaosOptions.AllFaultKinds.ToList().IndexOf(choices[random.Next(choices.Count)]))
        {
            case 0:
                {
                    var member = random.Next(etcd.Size);
                    etcd.Kill(member);
                    await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1000, 4000)));
                    await etcd.RestartAsync(member);
                    return $"etcd-kill member {member}";
                }

            case 1:
                {
                    var node = nodes[random.Next(nodes.Count)];
                    node.Kill();
                    await Task.Delay(TimeSpan.FromMilliseconds(random.Next(500, 3000)));
                    node.Start();
                    if (!await ExternalTool.WaitUntilAsync(() => AnswersAsync(node), TimeSpan.FromSeconds(60)))
                    {
                        throw new TimeoutException($"not within 60 s: {node.Id} answers DNS after its restart\n{node.Tail(60)}\n--- stacks of {node.Id}\n{node.Stacks()}");
                    }
                    return $"node-kill {node.Id}";
                }

            default:
                {
                    // Up to 14 s: beyond the 10 s lease, so a paused planner loses its election and comes back to a newer store.
                    var node = nodes[random.Next(nodes.Count)];
                    var pause = random.Next(2000, 14_000);
                    node.Pause();
                    await Task.Delay(pause);
                    node.Resume();
                    return $"node-pause {node.Id} {pause / 1000.0:0.0}s";
                }
        }
    }

    private sealed class RunState(IReadOnlyList<ChaosNode> nodes, IReadOnlyList<string> churned, IReadOnlyList<string> written, ConcurrentQueue<string> violations, Action<string> log)
    {
        public Action<string> Log { get; } = log;

        public IReadOnlyList<ChaosNode> Nodes { get; } = nodes;

        public IReadOnlyList<string> Churned { get; } = churned;

        public IReadOnlyList<string> Written { get; } = written;

        public ConcurrentQueue<string> Violations { get; } = violations;

        /// <summary>
        /// Every acknowledged write, and whether it must have left an audit line: a freeze always does; an unfreeze
        /// clears nothing (and the store writes no line) when a write of unknown outcome already unfroze the endpoint,
        /// and such a write can still land late (from a node that was paused with it in hand), so an unfreeze must only
        /// while no write on that endpoint has had an unknown outcome.
        /// </summary>
        public ConcurrentQueue<(string Endpoint, bool Frozen, string Reason, bool MustBeAudited)> Acknowledged { get; } = new();

        /// <summary>Per written endpoint: true when its last write attempt had an unknown or failed outcome.</summary>
        public ConcurrentDictionary<string, bool> Uncertain { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, long> HighestGeneration { get; } = new(StringComparer.Ordinal);

        public long Queries;
        public long Unanswered;
        public int WritesFailed;
        public int HealthReports;
    }

    private static async Task ProbeAsync(RunState state, CancellationToken cancellationToken)
    {
        var serials = new Dictionary<string, uint>(StringComparer.Ordinal);
        var timeout = TimeSpan.FromMilliseconds(500);
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var node in state.Nodes)
            {
                if (!node.Running)
                {
                    continue;
                }

                var soa = await ChaosProbe.QueryAsync(node.DnsPort, Zone, 6, timeout);
                if (soa?.Serial is { } serial)
                {
                    if (serials.TryGetValue(node.Id, out var last) && unchecked((int)(serial - last)) < 0)
                    {
                        state.Violations.Enqueue($"{node.Id}: serial went down from {last} to {serial}");
                    }

                    serials[node.Id] = serial;
                }

                foreach (var name in state.Churned.Concat(state.Written))
                {
                    var answer = await ChaosProbe.QueryAsync(node.DnsPort, name, 1, timeout);
                    Interlocked.Increment(ref state.Queries);
                    if (answer is null)
                    {
                        Interlocked.Increment(ref state.Unanswered);
                    }
                    else if (answer.Rcode != 0 || answer.Addresses.Count == 0)
                    {
                        var now = DateTime.UtcNow;
                        var violation = $"{node.Id}: {name} answered RCODE {answer.Rcode} with {answer.Addresses.Count} addresses at {now:HH:mm:ss.fff}, {(now - node.StartedAt).TotalSeconds:0.000} s after the node's start";
                        state.Violations.Enqueue(violation);
                        state.Log($"VIOLATION {violation}: {answer.Describe()}\n--- {node.Id} log\n{node.Tail(60)}");
                    }
                }
            }
        }
    }

    private static async Task ChurnAsync(RunState state, Random random, CancellationToken cancellationToken)
    {
        var down = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            var endpoint = state.Churned[random.Next(state.Churned.Count)];
            var target = $"t{random.Next(1, 4)}";
            var set = down.TryGetValue(endpoint, out var s) ? s : down[endpoint] = new HashSet<string>(StringComparer.Ordinal);
            // At most two of three down: a healthy target always remains (the fail-open guardrail covers the rest anyway).
            var goesDown = !set.Contains(target) && set.Count < 2;
            _ = goesDown ? set.Add(target) : set.Remove(target);
            foreach (var node in state.Nodes.Where(n => n.Running))
            {
                if (await SendAsync(node, HttpMethod.Post, "/api/v1/health/observations", new { source = "ext", endpoint, target, state = goesDown ? "down" : "up", reason = "chaos" }) is { IsSuccessStatusCode: true })
                {
                    Interlocked.Increment(ref state.HealthReports);
                }
            }

            await Delay(TimeSpan.FromMilliseconds(150), cancellationToken);
        }
    }

    private static async Task WriteAsync(RunState state, Random random, CancellationToken cancellationToken)
    {
        var sequence = 0;
        var frozen = state.Written.ToDictionary(w => w, _ => false, StringComparer.Ordinal);
        var unknownOnce = new HashSet<string>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            var endpoint = state.Written[random.Next(state.Written.Count)];
            var running = state.Nodes.Where(n => n.Running).ToList();
            if (running.Count > 0)
            {
                var node = running[random.Next(running.Count)];
                var freeze = !frozen[endpoint];
                var reason = $"chaos-write-{++sequence}";
                using var response = await SendAsync(node, HttpMethod.Post, freeze ? "/api/v1/freeze" : "/api/v1/unfreeze", new { endpoint, reason, actor = "chaos-writer" });
                if (response is { IsSuccessStatusCode: true })
                {
                    frozen[endpoint] = freeze;
                    state.Acknowledged.Enqueue((endpoint, freeze, reason, freeze || !unknownOnce.Contains(endpoint)));
                    state.Uncertain[endpoint] = false;
                }
                else
                {
                    // Unknown outcome (a timeout may still have landed): the final state of this endpoint is not judged
                    // until a later write is acknowledged.
                    Interlocked.Increment(ref state.WritesFailed);
                    state.Uncertain[endpoint] = true;
                    unknownOnce.Add(endpoint);
                }
            }

            await Delay(TimeSpan.FromMilliseconds(400), cancellationToken);
        }
    }

    private static async Task WatchGenerationsAsync(RunState state, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var node in state.Nodes.Where(n => n.Running))
            {
                if (await GenerationsAsync(node) is { } generations)
                {
                    foreach (var (name, generation) in generations)
                    {
                        state.HighestGeneration.AddOrUpdate(name, generation, (_, old) => Math.Max(old, generation));
                    }
                }
            }

            await Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static async Task CheckWritesAsync(RunState state)
    {
        var node = state.Nodes[0];
        var events = new List<JsonElement>();
        var after = 0L;
        while (await GetJsonAsync(node, $"/api/v1/events?after={after}&limit=1000") is { ValueKind: JsonValueKind.Array } page && page.GetArrayLength() > 0)
        {
            events.AddRange(page.EnumerateArray());
            after = page.EnumerateArray().Last().GetProperty("seq").GetInt64();
        }

        // The audit line of a freeze or unfreeze is its kind, endpoint and reason (the event's message) exactly.
        var audited = events.Select(e => (e.GetProperty("kind").GetString(), e.TryGetProperty("endpoint", out var name) ? name.GetString() : null, e.GetProperty("message").GetString())).ToHashSet();
        foreach (var (endpoint, frozen, reason, _) in state.Acknowledged.Where(a => a.MustBeAudited && !audited.Contains((a.Frozen ? "freeze.set" : "freeze.cleared", a.Endpoint, a.Reason))))
        {
            state.Violations.Enqueue($"acknowledged write {reason} ({(frozen ? "freeze" : "unfreeze")}) on {endpoint} is not in the audit log ({events.Count} events read from {node.Id}, through seq {after})");
        }

        var status = await GetJsonAsync(node, "/api/v1/status");
        var frozenNow = status?.GetProperty("frozenEndpoints").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var group in state.Acknowledged.GroupBy(a => a.Endpoint).Where(g => !state.Uncertain.GetValueOrDefault(g.Key)))
        {
            var last = group.Last();
            if (frozenNow.Contains(last.Endpoint) != last.Frozen)
            {
                state.Violations.Enqueue($"{last.Endpoint}: the last acknowledged write ({last.Reason}) left it {(last.Frozen ? "frozen" : "unfrozen")}, the store says otherwise");
            }
        }
    }

    private static async Task CheckGenerationsAsync(RunState state)
    {
        foreach (var node in state.Nodes)
        {
            var generations = await GenerationsAsync(node) ?? [];
            foreach (var (name, highest) in state.HighestGeneration)
            {
                if (generations.GetValueOrDefault(name) < highest)
                {
                    state.Violations.Enqueue($"{node.Id}: {name} serves generation {generations.GetValueOrDefault(name)}, but {highest} was live during the run");
                }
            }
        }
    }

    private static async Task CheckFreezeHoldsEverywhereAsync(List<ChaosNode> nodes, string endpoint, ConcurrentQueue<string> violations)
    {
        using (var freeze = await SendAsync(nodes[0], HttpMethod.Post, "/api/v1/freeze", new { endpoint, reason = "chaos: freeze one, hold all", actor = "chaos" }))
        {
            if (freeze is not { IsSuccessStatusCode: true })
            {
                violations.Enqueue($"freezing {endpoint} through {nodes[0].Id} failed: {freeze?.StatusCode}");
                return;
            }
        }

        var before = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            before[node.Id] = string.Join(' ', (await ChaosProbe.QueryAsync(node.DnsPort, endpoint, 1, TimeSpan.FromSeconds(2)))?.Addresses ?? []);
        }

        // Every target of the frozen endpoint reported down everywhere: a planner may plan, no enactor may apply.
        foreach (var node in nodes)
        {
            foreach (var target in new[] { "t1", "t2" })
            {
                using var _ = await SendAsync(node, HttpMethod.Post, "/api/v1/health/observations", new { source = "ext", endpoint, target, state = "down", reason = "chaos freeze check" });
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(4));
        foreach (var node in nodes)
        {
            var now = string.Join(' ', (await ChaosProbe.QueryAsync(node.DnsPort, endpoint, 1, TimeSpan.FromSeconds(2)))?.Addresses ?? []);
            if (now != before[node.Id])
            {
                violations.Enqueue($"{node.Id}: {endpoint} changed from {before[node.Id]} to {now} while frozen through {nodes[0].Id}");
            }

            var frozen = (await GetJsonAsync(node, "/api/v1/status"))?.GetProperty("frozenEndpoints").EnumerateArray().Any(e => e.GetString() == endpoint);
            if (frozen != true)
            {
                violations.Enqueue($"{node.Id}: status does not show {endpoint} frozen after freezing it through {nodes[0].Id}");
            }
        }
    }

    private static async Task<bool> ConvergedAsync(IReadOnlyList<ChaosNode> nodes)
    {
        var views = new List<Dictionary<string, long>>();
        foreach (var node in nodes)
        {
            if (await GenerationsAsync(node) is not { } generations || !await ReadyAsync(node))
            {
                return false;
            }

            views.Add(generations);
        }

        return views.Skip(1).All(v => v.Count == views[0].Count && v.All(p => views[0].GetValueOrDefault(p.Key) == p.Value));
    }

    private static async Task<string> DescribeGenerationsAsync(IReadOnlyList<ChaosNode> nodes)
    {
        var parts = new List<string>();
        foreach (var node in nodes)
        {
            var generations = await GenerationsAsync(node);
            parts.Add($"{node.Id}: {(generations is null ? "no answer" : string.Join(",", generations.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Value)))}");
        }

        return string.Join("; ", parts);
    }

    private static async Task<Dictionary<string, long>?> GenerationsAsync(ChaosNode node) =>
        await GetJsonAsync(node, "/api/v1/endpoints?limit=1000") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("liveGeneration").GetInt64(), StringComparer.Ordinal)
            : null;

    private static async Task<bool> ReadyAsync(ChaosNode node)
    {
        try
        {
            using var response = await s_http.GetAsync(new Uri(node.Api, "/readyz"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> AnswersAsync(ChaosNode node) =>
        await ChaosProbe.QueryAsync(node.DnsPort, Zone, 6, TimeSpan.FromMilliseconds(500)) is { Serial: not null };

    private static async Task<JsonElement?> GetJsonAsync(ChaosNode node, string path)
    {
        try
        {
            using var response = await s_http.GetAsync(new Uri(node.Api, path));
            return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<HttpResponseMessage?> SendAsync(ChaosNode node, HttpMethod method, string path, object body)
    {
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(node.Api, path)) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", node.Token);
            return await s_http.SendAsync(request);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, bool throwOnTimeout = true)
    {
        if (!await ExternalTool.WaitUntilAsync(condition, timeout) && throwOnTimeout)
        {
            throw new TimeoutException($"not within {timeout.TotalSeconds:0} s: {what}");
        }
    }

    private static async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }
}
