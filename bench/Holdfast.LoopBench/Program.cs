using System.Diagnostics;
using System.Globalization;
using System.Text;
using Holdfast.LoopBench;

// The control loop at scale, measured from outside a real `holdfast up` process (issue 9's goal figures):
// cold start, restart, health change -> answer (split into health->plan, plan->apply, apply->answer), CPU when idle,
// peak RSS, CLI response times, and a storm of 10 % of all targets down then up. See bench/control-loop.sh.
var options = Options.Parse(args);
var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"control-loop benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, seed {options.Seed}");
var results = new List<SizeResult>();
foreach (var size in options.Sizes)
{
    Console.WriteLine($"== {size} endpoints");
    var result = await RunSizeAsync(size, options);
    results.Add(result);
    report.Append(result.Markdown());
    File.WriteAllText(options.Output, report.ToString());
}

for (var i = 1; i < results.Count; i++)
{
    var (a, b) = (results[i - 1], results[i]);
    var perEndpoint = (b.SteadyRss - a.SteadyRss) / (double)(b.Endpoints - a.Endpoints);
    report.AppendLine(CultureInfo.InvariantCulture, $"- memory per endpoint (steady RSS difference {a.Endpoints:N0} → {b.Endpoints:N0}): {perEndpoint:N0} bytes");
}

File.WriteAllText(options.Output, report.ToString());
Console.WriteLine(report);
return 0;

static async Task<SizeResult> RunSizeAsync(int size, Options options)
{
    var random = new Random(options.Seed);
    var work = Path.Combine(options.Work, size.ToString(CultureInfo.InvariantCulture));
    if (Directory.Exists(work))
    {
        Directory.Delete(work, recursive: true);
    }

    var result = new SizeResult(size);
    await using var holdfast = new HoldfastUnderTest(options.Cli, work, size);
    holdfast.WriteConfig();
    var names = Enumerable.Range(0, size).Select(HoldfastUnderTest.Name).ToList();

    // Cold start: an empty data directory until every endpoint answers (targets unknown: unknown serves).
    var started = DateTimeOffset.UtcNow;
    holdfast.Start();
    var answered = await Sweep.UntilAllAsync(holdfast.Dns, names, (_, a) => a is { Count: > 0 }, options.StartLimit)
        ?? throw new InvalidOperationException($"cold start: not every endpoint answered within {options.StartLimit} (see {work}/holdfast-1.log)");
    result.ColdStart = answered - started;
    var clock = Stopwatch.StartNew();
    Console.WriteLine($"cold start {result.ColdStart.TotalSeconds:0.0} s");

    // Both sources report every target up, in batches, as a health system would after it starts.
    clock.Restart();
    foreach (var batch in Enumerable.Range(0, size).SelectMany(e => Enumerable.Range(0, 3).Select(t => (e, t, true))).Chunk(5000))
    {
        await holdfast.ObserveAsync(batch);
    }

    await QuietAsync(holdfast);
    result.AllUp = clock.Elapsed;
    Console.WriteLine($"all reported up and settled {result.AllUp.TotalSeconds:0.0} s");

    // Nothing changing: CPU over the idle window.
    await Task.Delay(TimeSpan.FromSeconds(5));
    var before = ProcessSample.Read(holdfast.Pid);
    await Task.Delay(options.Idle);
    var after = ProcessSample.Read(holdfast.Pid);
    result.IdleCores = ProcessSample.Cores(before, after);
    result.SteadyRss = after.RssBytes;
    Console.WriteLine($"idle {result.IdleCores * 100:0.00} % of one core, RSS {after.RssBytes / 1048576.0:0} MiB");

    // The CLI an operator runs.
    var middle = HoldfastUnderTest.Name(size / 2);
    result.Cli["holdfast status"] = await CliAsync(options, holdfast, ["status"]);
    result.Cli[$"holdfast describe endpoint NAME"] = await CliAsync(options, holdfast, ["describe", "endpoint", middle]);
    result.Cli[$"holdfast get endpoints NAME"] = await CliAsync(options, holdfast, ["get", "endpoints", middle]);
    result.Cli[$"holdfast get endpoints -o json (all {size:N0})"] = await CliAsync(options, holdfast, ["get", "endpoints", "-o", "json"]);

    // The same reads over HTTP without the CLI's process start, to tell the server's time from the runtime's.
    result.Api["GET /api/v1/status"] = await ApiAsync(holdfast, "api/v1/status");
    result.Api["GET /api/v1/endpoints/NAME"] = await ApiAsync(holdfast, "api/v1/endpoints/" + middle);
    result.Api[$"GET /api/v1/endpoints (all {size:N0}, streamed)"] = await ApiAsync(holdfast, "api/v1/endpoints");

    // Health changes one at a time: a target reported down by both sources, then up again.
    var picked = new HashSet<int>();
    for (var s = 0; s < options.Samples; s++)
    {
        int endpoint;
        do
        {
            endpoint = random.Next(size);
        }
        while (!picked.Add(endpoint));
        var target = random.Next(3);
        result.Down.Add(await ChangeAsync(holdfast, endpoint, target, up: false));
        result.Up.Add(await ChangeAsync(holdfast, endpoint, target, up: true));
    }

    Console.WriteLine($"down p50 {Stats.Percentile(result.Down.Select(d => d.Total), 50):0.0} ms, up p50 {Stats.Percentile(result.Up.Select(d => d.Total), 50):0.0} ms");

    // A storm: 10 % of all targets reported down within one second, then back up; answers watched throughout.
    await StormAsync(holdfast, size, random, result);

    var peak = ProcessSample.Read(holdfast.Pid);
    result.PeakRss = peak.PeakRssBytes;

    // Restart with the data directory: SIGKILL, start, until every endpoint answers its last applied records.
    var last = await Sweep.AskAsync(holdfast.Dns, names);
    var unanswered = last.Where(a => a.Value is null).Select(a => a.Key).ToList();
    foreach (var (name, answer) in await Sweep.AskAsync(holdfast.Dns, unanswered))
    {
        last[name] = answer;
    }

    if (last.Count(a => a.Value is null) is var lost and > 0)
    {
        throw new InvalidOperationException($"before the restart, {lost} names did not answer twice in a row");
    }

    await holdfast.KillAsync();
    var restarted = DateTimeOffset.UtcNow;
    holdfast.Start();
    if (await Sweep.UntilSampleThenVerifyAsync(holdfast.Dns, names, (n, a) => a is not null && a.SetEquals(last[n]!), options.StartLimit, random) is { } servedAt)
    {
        result.Restart = servedAt - restarted;
    }
    else
    {
        var now = await Sweep.AskAsync(holdfast.Dns, names);
        var differ = names.Where(n => now[n] is not { } a || !a.SetEquals(last[n]!)).Take(5).Select(n => $"{n} was [{string.Join(' ', last[n]!)}] now [{string.Join(' ', now[n] ?? [])}]");
        throw new InvalidOperationException($"restart: not every endpoint answered its last records within {options.StartLimit}: {string.Join("; ", differ)}");
    }

    result.DataBytes = Directory.EnumerateFiles(holdfast.DataDirectory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    Console.WriteLine($"restart {result.Restart.TotalSeconds:0.0} s; peak RSS {result.PeakRss / 1048576.0:0} MiB; data {result.DataBytes / 1048576.0:0.0} MiB");
    return result;
}

// Waits until the pipeline is idle: nothing waits for the planner or an enactor, no planner pass runs, and the zone
// serial has not moved for a second.
static async Task QuietAsync(HoldfastUnderTest holdfast)
{
    var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(10);
    long serial = -1;
    var stableSince = DateTimeOffset.UtcNow;
    while (DateTimeOffset.UtcNow < deadline)
    {
        var status = await holdfast.GetJsonAsync("api/v1/status");
        var planner = status.GetProperty("planner");
        var waiting = status.GetProperty("enactors").EnumerateArray().Sum(e => e.GetProperty("waiting").GetInt32())
            + planner.GetProperty("waiting").GetInt32() + (planner.GetProperty("passing").GetBoolean() ? 1 : 0);
        var zone = await holdfast.GetJsonAsync("api/v1/zones/" + HoldfastUnderTest.Zone);
        var now = zone.GetProperty("serial").GetInt64();
        if (now != serial || waiting > 0)
        {
            serial = now;
            stableSince = DateTimeOffset.UtcNow;
        }
        else if (DateTimeOffset.UtcNow - stableSince >= TimeSpan.FromSeconds(1))
        {
            return;
        }

        await Task.Delay(100);
    }

    throw new InvalidOperationException("the pipeline did not settle within 10 minutes");
}

static async Task<Change> ChangeAsync(HoldfastUnderTest holdfast, int endpoint, int target, bool up)
{
    var name = HoldfastUnderTest.Name(endpoint);
    var address = HoldfastUnderTest.Address(endpoint, target);
    using var probe = new DnsProbe(holdfast.Dns);
    var reported = DateTimeOffset.UtcNow;
    var clock = Stopwatch.StartNew();
    await holdfast.ObserveAsync([(endpoint, target, up)]);
    while (clock.Elapsed < TimeSpan.FromSeconds(30))
    {
        var answer = await probe.QueryAsync(name, TimeSpan.FromMilliseconds(200));
        if (answer is not null && answer.Contains(address) == up)
        {
            var total = clock.Elapsed;
            var answeredAt = reported + total;
            var detail = await holdfast.GetJsonAsync("api/v1/endpoints/" + name);
            var plan = detail.GetProperty("livePlan");
            var planned = plan.GetProperty("createdAt").GetDateTimeOffset();
            var generation = plan.GetProperty("generation").GetInt64();
            var applied = detail.GetProperty("events").EnumerateArray()
                .Where(e => e.GetProperty("kind").GetString() == "apply.applied" && e.GetProperty("message").GetString()!.Contains($"g{generation}", StringComparison.Ordinal))
                .Select(e => e.GetProperty("at").GetDateTimeOffset())
                .DefaultIfEmpty(answeredAt).Min();
            return new Change(total.TotalMilliseconds, (planned - reported).TotalMilliseconds, (applied - planned).TotalMilliseconds, (answeredAt - applied).TotalMilliseconds);
        }

        await Task.Delay(1);
    }

    throw new InvalidOperationException($"{name}: {address} still {(up ? "absent" : "present")} 30 s after the report");
}

static async Task StormAsync(HoldfastUnderTest holdfast, int size, Random random, SizeResult result)
{
    var count = size * 3 / 10;
    var targets = new HashSet<(int, int)>();
    while (targets.Count < count)
    {
        targets.Add((random.Next(size), random.Next(3)));
    }

    var list = targets.ToList();
    using var watch = new CancellationTokenSource();
    var empties = 0;
    var queries = 0;
    var watcher = Task.Run(async () =>
    {
        using var probe = new DnsProbe(holdfast.Dns);
        var watchRandom = new Random(1);
        while (!watch.IsCancellationRequested)
        {
            var (e, _) = list[watchRandom.Next(list.Count)];
            var answer = await probe.QueryAsync(HoldfastUnderTest.Name(e), TimeSpan.FromMilliseconds(500));
            Interlocked.Increment(ref queries);
            if (answer is { Count: 0 })
            {
                Interlocked.Increment(ref empties);
            }
        }
    });

    var clock = Stopwatch.StartNew();
    foreach (var batch in list.Select(t => (t.Item1, t.Item2, false)).Chunk(Math.Max(1000, count / 4)))
    {
        await holdfast.ObserveAsync(batch);
    }

    result.StormReport = clock.Elapsed;
    clock.Restart();
    await QuietAsync(holdfast);
    result.StormDrain = clock.Elapsed - TimeSpan.FromSeconds(1); // QuietAsync waits one quiet second
    var during = await Sweep.AskAsync(holdfast.Dns, [.. Enumerable.Range(0, size).Select(HoldfastUnderTest.Name)]);
    result.StormEmptyEndpoints = during.Count(a => a.Value is not { Count: > 0 });
    var down = list.Where(t => !(during[HoldfastUnderTest.Name(t.Item1)]?.Contains(HoldfastUnderTest.Address(t.Item1, t.Item2)) ?? true)).Count();
    result.StormRemoved = down;
    var alarms = await holdfast.GetJsonAsync("api/v1/status");
    result.StormAlarms = string.Join("; ", alarms.GetProperty("alarms").EnumerateArray().Select(a => a.GetProperty("guardrail").GetString()).GroupBy(k => k).Select(g => $"{g.Key} ×{g.Count()}"));

    clock.Restart();
    foreach (var batch in list.Select(t => (t.Item1, t.Item2, true)).Chunk(Math.Max(1000, count / 4)))
    {
        await holdfast.ObserveAsync(batch);
    }

    await QuietAsync(holdfast);
    result.StormRecover = clock.Elapsed - TimeSpan.FromSeconds(1);
    await watch.CancelAsync();
    await watcher;
    result.StormWatchQueries = queries;
    result.StormWatchEmpty = empties;
    Console.WriteLine($"storm: {count:N0} targets down reported in {result.StormReport.TotalSeconds:0.00} s, drained {result.StormDrain.TotalSeconds:0.0} s, {down:N0} removed, {result.StormEmptyEndpoints} empty, watch {empties}/{queries} empty");
}

static async Task<CliTiming> ApiAsync(HoldfastUnderTest holdfast, string path)
{
    var timings = new List<double>();
    long bytes = 0;
    for (var i = 0; i < 3; i++)
    {
        var clock = Stopwatch.StartNew();
        bytes = await holdfast.ReadAllAsync(path);
        timings.Add(clock.Elapsed.TotalSeconds);
    }

    return new CliTiming(timings.Min(), timings.Order().ElementAt(1), bytes);
}

static async Task<CliTiming> CliAsync(Options options, HoldfastUnderTest holdfast, string[] arguments)
{
    var timings = new List<double>();
    long bytes = 0;
    for (var i = 0; i < 3; i++)
    {
        var start = new ProcessStartInfo("dotnet", [options.Cli, .. arguments, "--server", holdfast.ApiUrl]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var counted = new CountingStream();
        await process.StandardOutput.BaseStream.CopyToAsync(counted);
        await process.WaitForExitAsync();
        await errors;
        timings.Add(clock.Elapsed.TotalSeconds);
        bytes = counted.Length;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"holdfast {string.Join(' ', arguments)} exited {process.ExitCode}: {await errors}");
        }
    }

    return new CliTiming(timings.Min(), timings.Order().ElementAt(1), bytes);
}

internal sealed record Change(double Total, double HealthToPlan, double PlanToApply, double ApplyToAnswer);

internal sealed record CliTiming(double Best, double Median, long Bytes);

internal sealed class CountingStream : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Position;

    public override long Position { get; set; }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Position += count;
}

internal static class Stats
{
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}

internal sealed class Options
{
    public string Cli { get; private set; } = "artifacts/cli/holdfast.dll";

    public IReadOnlyList<int> Sizes { get; private set; } = [1000, 10000, 100000];

    public int Samples { get; private set; } = 50;

    public TimeSpan Idle { get; private set; } = TimeSpan.FromSeconds(60);

    public TimeSpan StartLimit { get; private set; } = TimeSpan.FromMinutes(15);

    public string Work { get; private set; } = Path.Combine(Path.GetTempPath(), "holdfast-loopbench");

    public string Output { get; private set; } = "artifacts/control-loop.md";

    public int Seed { get; private set; } = 20251020;

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            i++;
            switch (args[i - 1])
            {
                case "--cli": options.Cli = Path.GetFullPath(value); break;
                case "--sizes": options.Sizes = [.. value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))]; break;
                case "--samples": options.Samples = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--idle": options.Idle = TimeSpan.FromSeconds(int.Parse(value, CultureInfo.InvariantCulture)); break;
                case "--work": options.Work = Path.GetFullPath(value); break;
                case "--out": options.Output = Path.GetFullPath(value); break;
                case "--seed": options.Seed = int.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i - 1]} (expected --cli, --sizes, --samples, --idle, --work, --out, --seed)");
            }
        }

        options.Cli = Path.GetFullPath(options.Cli);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
        return options;
    }
}
