using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Dns.Transfer;
using Holdfast.Push;
using Holdfast.Testing;
using Holdfast.Testing.Builders;
using Holdfast.Testing.Servers;

// Push to BIND and Knot (issue 13's benchmark), everything on 127.0.0.1:
//   1. nsupdate: N one-record UPDATEs, one message each, TSIG-signed, sent one after another by one nsupdate process;
//   2. Holdfast's fenced UPDATEs (prerequisite on the marker, A/AAAA/marker replaced) sent by PushClient, one at a time
//      and 8 at a time;
//   3. a push worker's full pass over N endpoints (three reads, the decision and the UPDATE per endpoint);
//   4. apply → answer: a worker following the store's change feed, an endpoint applied with new targets, the time until
//      the server itself answers the new addresses (polled over UDP every millisecond).
var endpoints = Arg("--endpoints", 2000);
var samples = Arg("--samples", 30);
var kinds = (ArgText("--servers") ?? "bind,knot").Split(',').Select(k => Enum.Parse<ServerKind>(k, ignoreCase: true)).ToList();
const string KeyName = "bench-key.";
var secret = Convert.ToBase64String([.. Enumerable.Range(0, 32).Select(i => (byte)(0x71 ^ i))]);
var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"push-compare {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {endpoints} endpoints, {samples} apply→answer samples");
report.AppendLine();
report.AppendLine("| server | nsupdate (updates/s) | Holdfast fenced, 1 at a time (updates/s) | Holdfast fenced, 8 at a time (updates/s) | worker full pass (endpoints/s) | apply → answer p50 / p90 / max (ms) |");
report.AppendLine("|---|---|---|---|---|---|");
foreach (var kind in kinds)
{
    Console.Error.WriteLine($"push-compare: {kind}");
    await using var server = await AuthoritativeServer.StartAsync(kind, KeyName, secret);
    var target = new PushTarget(kind.ToString(), Specs.Zone, new IPEndPoint(IPAddress.Loopback, server.Port), new TsigKey(KeyName, Convert.FromBase64String(secret)));
    var nsupdate = await NsupdateRateAsync(server, endpoints);
    var one = await FencedRateAsync(target, endpoints, 1, "s");
    var eight = await FencedRateAsync(target, endpoints, 8, "p");
    var pass = await WorkerPassRateAsync(target, endpoints);
    var latency = await ApplyToAnswerAsync(target, samples);
    report.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {nsupdate:0} | {one:0} | {eight:0} | {pass:0} | {latency[latency.Length / 2]:0.0} / {latency[latency.Length * 9 / 10]:0.0} / {latency[^1]:0.0} |");
}

var outPath = ArgText("--out");
if (outPath is not null)
{
    await File.WriteAllTextAsync(outPath, report.ToString());
}

Console.Write(report);
return 0;

static async Task<double> NsupdateRateAsync(AuthoritativeServer server, int count)
{
    var commands = new StringBuilder();
    for (var i = 0; i < count; i++)
    {
        if (i > 0)
        {
            commands.Append("send\n");
        }

        commands.Append(CultureInfo.InvariantCulture, $"update add ns-{i}.svc.example. 60 A 127.0.{(i >> 8) & 255}.{i & 255}\n");
    }

    var script = Path.GetTempFileName();
    await File.WriteAllTextAsync(script, $"server 127.0.0.1 {server.Port}\nzone {Specs.Zone}\n{commands}send\n");
    var clock = Stopwatch.StartNew();
    // -t 30: a server that stalls on its journal gets time rather than failing the run (nsupdate's default is 3 s).
    var (exit, output) = await ExternalTool.RunAsync("nsupdate", $"-t 30 -y hmac-sha256:{server.KeyName}:{server.Secret} {script}", TimeSpan.FromMinutes(10));
    var seconds = clock.Elapsed.TotalSeconds;
    File.Delete(script);
    if (exit != 0)
    {
        throw new InvalidOperationException("nsupdate failed: " + output);
    }

    var last = await server.DigAsync($"ns-{count - 1}.svc.example.", "A");
    if (last.Length != 1)
    {
        throw new InvalidOperationException("nsupdate's last update is not on the server");
    }

    return count / seconds;
}

// The fenced UPDATE a first push sends (marker name not in use), built by the push library's own decider.
static async Task<double> FencedRateAsync(PushTarget target, int count, int parallel, string prefix)
{
    var client = new PushClient(target, DnsExchange.Instance, new PushOptions(), TimeProvider.System, new Random(1));
    var updates = Enumerable.Range(0, count).Select(i =>
    {
        var spec = Specs.Endpoint($"{prefix}-{i}");
        var applied = new ServedEndpoint(spec.Name, spec.Zone, 60, 8, new Generation(1), Specs.Records(spec, "t1", "t2"));
        return PushDecider.Build(applied, PushDecider.Desired(applied), null, client.NextId());
    }).ToList();
    var clock = Stopwatch.StartNew();
    await Parallel.ForEachAsync(updates, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (update, ct) =>
    {
        var rcode = await client.UpdateAsync(update, ct);
        if (rcode != 0)
        {
            throw new InvalidOperationException($"UPDATE answered RCODE {rcode}");
        }
    });
    return count / clock.Elapsed.TotalSeconds;
}

static async Task<InMemoryControlStore> StoreWithAsync(IEnumerable<string> names)
{
    var store = new InMemoryControlStore(TimeProvider.System);
    await store.PutZoneAsync(new ZoneSpec(Specs.Zone, new SoaValues("ns1.svc.example.", "hostmaster.svc.example."), ["ns1.svc.example."]), "bench");
    foreach (var name in names)
    {
        await store.PutEndpointAsync(Specs.Endpoint(name), "bench");
        await ApplyAsync(store, $"{name}.{Specs.Zone}", "t1", "t2");
    }

    return store;
}

static async Task ApplyAsync(InMemoryControlStore store, string endpoint, params string[] targets)
{
    var spec = (await store.GetEndpointAsync(endpoint))!;
    var generation = await store.AllocateGenerationAsync();
    if (!(await store.WritePlanAsync(Specs.Plan(spec, generation.Value, DateTimeOffset.UtcNow, targets))).Written
        || (await store.ConditionalApplyAsync(endpoint, generation, "az1")).Status != ApplyStatus.Applied)
    {
        throw new InvalidOperationException("apply failed for " + endpoint);
    }
}

static async Task<double> WorkerPassRateAsync(PushTarget target, int count)
{
    var store = await StoreWithAsync(Enumerable.Range(0, count).Select(i => $"w-{i}"));
    var worker = new PushTargetWorker(target, store, new PushOptions(), TimeProvider.System, new Random(2));
    var clock = Stopwatch.StartNew();
    var pass = await worker.RunFullPassAsync();
    var seconds = clock.Elapsed.TotalSeconds;
    if (pass.Failure is not null || pass.Steps.Count(s => s.Landed) != count)
    {
        throw new InvalidOperationException($"the pass pushed {pass.Steps.Count(s => s.Landed)} of {count}: {pass.Failure?.Message}");
    }

    return count / seconds;
}

static async Task<double[]> ApplyToAnswerAsync(PushTarget target, int count)
{
    const string Name = "lat.svc.example.";
    var store = await StoreWithAsync(["lat"]);
    var options = new PushOptions { WakeDelay = TimeSpan.FromMilliseconds(1), FullPassInterval = TimeSpan.FromMinutes(10) };
    var worker = new PushTargetWorker(target, store, options, TimeProvider.System, new Random(3));
    using var stop = new CancellationTokenSource();
    var running = worker.RunAsync(stop.Token);
    var probe = new PushClient(target, DnsExchange.Instance, options, TimeProvider.System, new Random(4));
    await WaitForAsync(probe, Name, ["127.0.0.1", "127.0.0.2"], TimeSpan.FromSeconds(20));
    var results = new List<double>();
    for (var i = 0; i < count; i++)
    {
        string[] next = i % 2 == 0 ? ["t3"] : ["t1", "t2"];
        string[] expected = i % 2 == 0 ? ["127.0.0.3"] : ["127.0.0.1", "127.0.0.2"];
        var clock = Stopwatch.StartNew();
        await ApplyAsync(store, Name, next);
        await WaitForAsync(probe, Name, expected, TimeSpan.FromSeconds(20));
        results.Add(clock.Elapsed.TotalMilliseconds);
    }

    await stop.CancelAsync();
    try
    {
        await running;
    }
    catch (OperationCanceledException)
    {
        // How the worker stops.
    }

    return [.. results.Order()];
}

static async Task WaitForAsync(PushClient probe, string name, string[] expected, TimeSpan limit)
{
    var clock = Stopwatch.StartNew();
    while (true)
    {
        var view = await probe.ReadAsync(name, CancellationToken.None);
        if (view.Records.Select(r => r.Address.ToString()).Order(StringComparer.Ordinal).SequenceEqual(expected))
        {
            return;
        }

        if (clock.Elapsed > limit)
        {
            throw new TimeoutException($"{name} did not answer {string.Join(' ', expected)} within {limit}");
        }

        await Task.Delay(1);
    }
}

int Arg(string name, int fallback) => ArgText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? ArgText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
