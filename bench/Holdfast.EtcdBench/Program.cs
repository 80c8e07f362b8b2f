using System.Diagnostics;
using System.Globalization;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Holdfast.ControlPlane.Model;
using Holdfast.EtcdBench;
using Holdfast.ControlPlane.Store;
using Holdfast.Storage.Etcd;
using Holdfast.Testing;
using Holdfast.Testing.Builders;

// Fenced applies through Holdfast's etcd store against raw etcd transactions of the same shape from the same client
// library, on one 3-member cluster in one run (issue 10's benchmark). Both sides send one batch at a time, `--batch`
// items per call: Holdfast's ConditionalApplyAsync (per item: the fence's compare on the applied generation, the applied
// records, the change-feed entry and the audit line; the store splits a batch to fit etcd's 128 operations per txn), and
// raw txns with one compare and one put per item, split the same way. Then (HealthToAnswer) three `holdfast up` nodes on
// the same cluster: a target's health change until every node's answer shows it.
var endpoints = Arg("--endpoints", 5000);
var batch = Arg("--batch", 64);
var rounds = Arg("--rounds", 3);
var answerEndpoints = Arg("--answer-endpoints", 10_000);
var samples = Arg("--samples", 20);
var cli = ArgText("--cli");
if (answerEndpoints > 0 && cli is null)
{
    throw new ArgumentException("--cli PATH/holdfast.dll is required for the health-to-answer figure (or --answer-endpoints 0)");
}

await using var etcd = await EtcdCluster.StartAsync(3);
var urls = etcd.ClientUrls;
var prefix = "/bench-" + Guid.NewGuid().ToString("N")[..8] + "/";
using var store = EtcdControlStore.Open(new EtcdControlStoreOptions { Endpoints = urls, Prefix = prefix }, TimeProvider.System);
await store.PutZoneAsync(new ZoneSpec(Specs.Zone, new SoaValues("ns1.svc.example.", "hostmaster.svc.example."), ["ns1.svc.example."]), "bench");
var specs = Enumerable.Range(0, endpoints).Select(i => Specs.Endpoint($"e{i}")).ToList();
foreach (var chunk in specs.Chunk(256))
{
    await store.PutEndpointsAsync(chunk, "bench");
}

using var raw = new EtcdClient(string.Join(',', urls.Select(u => u.GetLeftPart(UriPartial.Authority))));
var holdfastRates = new List<double>();
var rawRates = new List<double>();
var revisions = new Dictionary<string, long>(StringComparer.Ordinal); // the raw side's fence: each key's last mod revision
for (var round = 0; round < rounds; round++)
{
    // A plan per endpoint (not timed), then every endpoint applied, batch after batch.
    var first = await store.AllocateGenerationsAsync(endpoints);
    var plans = specs.Select((s, i) => new PlanWrite(Specs.Plan(s, first.Value + i, DateTimeOffset.UtcNow, round % 2 == 0 ? ["t1", "t2"] : ["t3"]), "bench")).ToList();
    foreach (var chunk in plans.Chunk(batch))
    {
        await store.WritePlansAsync(chunk);
    }

    var clock = Stopwatch.StartNew();
    foreach (var chunk in plans.Chunk(batch))
    {
        var outcomes = await store.ConditionalApplyAsync([.. chunk.Select(p => new ApplyRequest(p.Plan.Endpoint, p.Plan.Generation))], "bench");
        if (outcomes.Any(o => o.Status != ApplyStatus.Applied))
        {
            throw new InvalidOperationException("an apply was refused");
        }
    }

    holdfastRates.Add(endpoints / clock.Elapsed.TotalSeconds);

    // Raw: the same number of fenced writes (compare the key's mod revision, put), the same batch size, the same
    // 128-operation limit (so at most 64 items per txn, as compare and put count one each against it).
    clock.Restart();
    foreach (var chunk in Enumerable.Range(0, endpoints).Chunk(batch))
    {
        foreach (var part in chunk.Chunk(64))
        {
            var txn = new TxnRequest();
            foreach (var i in part)
            {
                var key = $"/raw-{prefix.Trim('/')}/e{i}";
                txn.Compare.Add(new Compare { Key = ByteString.CopyFromUtf8(key), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = revisions.GetValueOrDefault(key) });
                txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8($"{{\"generation\":{first.Value + i},\"records\":[\"127.0.0.1\",\"127.0.0.2\"]}}") } });
            }

            var response = await raw.TransactionAsync(txn);
            if (!response.Succeeded)
            {
                throw new InvalidOperationException("a raw txn's compare failed");
            }

            foreach (var i in part)
            {
                revisions[$"/raw-{prefix.Trim('/')}/e{i}"] = response.Header.Revision;
            }
        }
    }

    rawRates.Add(endpoints / clock.Elapsed.TotalSeconds);
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: Holdfast {holdfastRates[^1]:0} applies/s, raw {rawRates[^1]:0} writes/s"));
}

var h = holdfastRates.Order().ElementAt(rounds / 2);
var r = rawRates.Order().ElementAt(rounds / 2);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"etcd-compare {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, 3 members, {endpoints} endpoints, batches of {batch}, median of {rounds} rounds"));
Console.WriteLine("| path | per second | ratio |");
Console.WriteLine("|---|---|---|");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| raw etcd txns (compare + put per item) | {r:0} | 1.00 |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Holdfast fenced applies (ConditionalApplyAsync) | {h:0} | {h / r:0.00} |"));
if (answerEndpoints > 0)
{
    Console.WriteLine();
    Console.Write(await HealthToAnswer.RunAsync(Path.GetFullPath(cli!), etcd, answerEndpoints, samples, seed: 1));
}

return 0;

string? ArgText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int Arg(string name, int fallback) => ArgText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
