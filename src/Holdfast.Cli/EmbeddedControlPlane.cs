using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Holdfast.ControlPlane.Enactment;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Observability;
using Holdfast.ControlPlane.Planning;
using Holdfast.ControlPlane.Store;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transport;
using Holdfast.Dns.Zones;
using Holdfast.Server.Serving;
using Holdfast.Storage.Sqlite;

namespace Holdfast.Cli;

/// <summary>
/// <c>holdfast up</c> before the full host lands: the planner loop, one enactor per availability zone and the
/// DNS server (fed from the applied plans) on the embedded SQLite store, seeded on first start with a quickstart zone whose targets are loopback
/// addresses, printing every plan, apply and guardrail decision until Ctrl-C. This is a composition root:
/// the system clock and a fresh seed are created here.
/// </summary>
internal static class EmbeddedControlPlane
{
    private static readonly string[] s_zones = ["az1", "az2", "az3"];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var data = Path.Combine(".holdfast", "data");
        var dns = new IPEndPoint(IPAddress.Loopback, 5353);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--data" && i + 1 < args.Length)
            {
                data = args[++i];
            }
            else if (args[i] == "--dns" && i + 1 < args.Length && IPEndPoint.TryParse(args[i + 1], out var parsed) && IPAddress.IsLoopback(parsed.Address))
            {
                dns = parsed;
                i++;
            }
            else
            {
                await stderr.WriteLineAsync($"holdfast up: invalid option '{args[i]}' (expected --data DIR or --dns LOOPBACK_ADDRESS:PORT)");
                return 2;
            }
        }

        var time = TimeProvider.System;
        SqliteControlStore store;
        try
        {
            store = SqliteControlStore.Open(data, time);
        }
        catch (ControlStoreException ex)
        {
            await stderr.WriteLineAsync("holdfast up: " + ex.Message);
            return 1;
        }

        using (store)
        {
            await SeedAsync(store, stdout);
            using var stop = new CancellationTokenSource();
            // SIGINT (Ctrl-C) and SIGTERM (service managers) both stop gracefully: workers finish their
            // current store operation, so every acknowledged apply is already committed.
            using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }

            var observer = new ConsoleObserver(stdout);
            var seed = Environment.ProcessId ^ (int)time.GetTimestamp();
            using var planner = new PlannerLoop(store, new FixedHealthViewSource(), new PlannerOptions(), time, new Random(seed), observer);
            var engine = new QueryEngine();
            var lastGood = new EndpointTable();
            lastGood.LastGoodAnswerKept += name => stdout.WriteLine($"ALARM last-good-answer: {name} was given no records; still serving its previous ones");
            var feed = new ZoneFeed(store, engine, lastGood, TimeSpan.FromSeconds(2));
            feed.RebuildFailed += ex => stdout.WriteLine("error rebuilding zones (previous data keeps serving): " + ex.Message);
            await using var server = new DnsServer(engine, new DnsServerOptions { Listen = dns }, time);
            try
            {
                await server.StartAsync();
            }
            catch (SocketException ex)
            {
                await stderr.WriteLineAsync($"holdfast up: cannot listen for DNS on {dns}: {ex.Message} (choose another with --dns 127.0.0.1:PORT)");
                return 1;
            }

            await stdout.WriteLineAsync($"holdfast: control plane up on {store.DatabasePath}: planner and enactors {string.Join(", ", s_zones)}. Ctrl-C stops.");
            await stdout.WriteLineAsync($"holdfast: DNS on {server.UdpEndPoint} (UDP and TCP). Try: dig @{server.UdpEndPoint.Address} -p {server.UdpEndPoint.Port} api.svc.example. A");
            var workers = new List<Task> { planner.RunAsync(stop.Token), feed.RunAsync(stop.Token) };
            workers.AddRange(s_zones.Select((az, i) => new Enactor(az, store, new EnactorOptions(), time, new Random(seed + i + 1), observer).RunAsync(stop.Token)));
            try
            {
                await Task.WhenAll(workers);
            }
            catch (OperationCanceledException)
            {
                await stdout.WriteLineAsync("holdfast: stopped; every acknowledged apply is on disk.");
            }
        }

        return 0;
    }

    private static async Task SeedAsync(SqliteControlStore store, TextWriter stdout)
    {
        if ((await store.ListEndpointsAsync()).Count > 0)
        {
            return;
        }

        const string zone = "svc.example.";
        await store.PutZoneAsync(new ZoneSpec(zone, new SoaValues("ns1." + zone, "hostmaster." + zone), ["ns1." + zone]), "quickstart");
        var octet = 10;
        foreach (var name in new[] { "api", "web", "auth" })
        {
            var targets = s_zones.Select(az => new Target($"{name}-{az}", IPAddress.Parse($"127.0.0.{octet++}"), az, 1, 10)).ToImmutableArray();
            await store.PutEndpointAsync(new EndpointSpec($"{name}.{zone}", zone, EndpointPolicy.Default, targets), "quickstart");
        }

        await stdout.WriteLineAsync($"holdfast: seeded zone {zone} with endpoints api, web, auth (three targets each on 127.0.0.x)");
    }

    private sealed class ConsoleObserver(TextWriter stdout) : IControlPlaneObserver
    {
        public void GuardrailFired(string actor, string endpoint, GuardrailDecision decision) =>
            stdout.WriteLine($"guardrail {decision.Guardrail} {decision.Verdict} on {endpoint} by {actor}: {decision.Reason}");

        public void PlanWritten(Plan plan) =>
            stdout.WriteLine($"plan {plan.Endpoint} {plan.Generation}: {plan.Reason} [{string.Join(' ', plan.Records.Select(r => r.Address))}]");

        public void ApplyAttempted(string enactorId, string endpoint, Generation generation, ApplyOutcome outcome) =>
            stdout.WriteLine($"apply {endpoint} {generation} by {enactorId}: {outcome.Status}{(outcome.Reason is null ? "" : " (" + outcome.Reason + ")")}");

        public void CleanedUp(string enactorId, string endpoint, CleanupOutcome outcome) =>
            stdout.WriteLine($"cleanup {endpoint} by {enactorId}: deleted {string.Join(' ', outcome.Deleted)} (live {outcome.Applied})");

        public void PassFailed(string actor, string? endpoint, Exception exception) =>
            stdout.WriteLine($"error in {actor} pass{(endpoint is null ? "" : " for " + endpoint)}: {exception.Message}");
    }
}
