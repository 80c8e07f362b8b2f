using System.Globalization;
using System.Net;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.Storage.Sqlite;

// Usage: CrashWriter DATA_DIR
// Writes a plan and conditional-applies it, over and over, and prints "ACK <generation> <revision> <targets>"
// after each apply the store acknowledged. The crash test kills this process with SIGKILL at a random point
// and then checks that every printed acknowledgement survived and nothing is half-applied.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: CrashWriter DATA_DIR");
    return 2;
}

const string Endpoint = "api.svc.example.";
using var store = SqliteControlStore.Open(args[0], TimeProvider.System);
await store.PutEndpointAsync(new EndpointSpec(Endpoint, "svc.example.", EndpointPolicy.Default, [.. Enumerable.Range(1, 5).Select(t => new Target("t" + t, IPAddress.Parse("127.0.0." + t), "az1", 1, 10))]), "crash-writer");
var stdout = Console.Out;
for (var i = 1; ; i++)
{
    // 1 to 5 records, so that a torn write would show up as a count that does not match the plan.
    var count = (i % 5) + 1;
    var records = Enumerable.Range(1, count)
        .Select(t => new PlanRecord("t" + t, IPAddress.Parse("127.0.0." + t), 1, 10))
        .ToArray();
    var generation = await store.AllocateGenerationAsync();
    var plan = new Plan(Endpoint, generation, [.. records], "h", "crash test", [], TimeProvider.System.GetUtcNow());
    await store.WritePlanAsync(plan);
    var outcome = await store.ConditionalApplyAsync(Endpoint, generation, "crash-writer");
    if (outcome.Status == ApplyStatus.Applied)
    {
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ACK {generation.Value} {outcome.Revision} {count}"));
        stdout.Flush();
    }

    if (i % 7 == 0)
    {
        await store.CleanupAsync(Endpoint, 3, TimeSpan.Zero);
    }
}
