using System.Collections.Immutable;
using System.Net;
using Holdfast.ControlPlane.Enactment;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Observability;
using Holdfast.ControlPlane.Planning;
using Holdfast.ControlPlane.Store;
using Holdfast.Storage.Sqlite;

namespace Holdfast.Cli;

/// <summary>
/// <c>holdfast up</c> before the host lands: the planner loop and one enactor per availability zone on the
/// embedded SQLite store, seeded on first start with a quickstart zone whose targets are loopback
/// addresses, printing every plan, apply and guardrail decision until Ctrl-C. This is a composition root:
/// the system clock and a fresh seed are created here.
/// </summary>
internal static class EmbeddedControlPlane
{
    private static readonly string[] s_zones = ["az1", "az2", "az3"];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var data = Path.Combine(".holdfast", "data");
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--data" && i + 1 < args.Length)
            {
                data = args[++i];
            }
            else
            {
                await stderr.WriteLineAsync($"holdfast up: unknown option '{args[i]}' (expected --data DIR)");
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
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };

            var observer = new ConsoleObserver(stdout);
            var seed = Environment.ProcessId ^ (int)time.GetTimestamp();
            using var planner = new PlannerLoop(store, new FixedHealthViewSource(), new PlannerOptions(), time, new Random(seed), observer);
            await stdout.WriteLineAsync($"holdfast: control plane up on {store.DatabasePath}: planner and enactors {string.Join(", ", s_zones)}. Ctrl-C stops.");
            var workers = new List<Task> { planner.RunAsync(stop.Token) };
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
