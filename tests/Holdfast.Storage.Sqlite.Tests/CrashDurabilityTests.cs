using System.Diagnostics;
using System.Globalization;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;
using Holdfast.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Storage.Sqlite.Tests;

/// <summary>
/// Invariant I6 against a real crash: a child process writes and applies plans in a loop, printing each
/// acknowledged apply; the test kills it with SIGKILL mid-stream, reopens the store and checks that every
/// acknowledged apply is there and nothing is half-applied. Three rounds on the same data directory.
/// </summary>
public sealed class CrashDurabilityTests : IDisposable
{
    private const string Endpoint = "api.svc.example.";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task KillDashNine_MidStream_EveryAcknowledgedApplySurvivesAndNothingIsHalfApplied()
    {
        var random = new Random(20251020);
        var acknowledged = new List<(long Generation, long Revision, int Count)>();
        for (var round = 0; round < 3; round++)
        {
            var killAfter = random.Next(20, 120);
            acknowledged.AddRange(await RunAndKillAsync(killAfter));

            using var store = SqliteControlStore.Open(_directory.Path, new FakeTimeProvider(TestTime.IncidentStart));
            await VerifyAsync(store, acknowledged);
        }

        acknowledged.Count.ShouldBeGreaterThanOrEqualTo(60);
    }

    private async Task<List<(long Generation, long Revision, int Count)>> RunAndKillAsync(int killAfter)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CrashWriterPath());
        start.ArgumentList.Add(_directory.Path);
        using var process = Process.Start(start)!;
        var acks = new List<(long, long, int)>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (acks.Count < killAfter)
            {
                var line = await process.StandardOutput.ReadLineAsync(deadline.Token)
                    ?? throw new InvalidOperationException("crash writer exited early: " + await process.StandardError.ReadToEndAsync(deadline.Token));
                var parts = line.Split(' ');
                parts[0].ShouldBe("ACK");
                acks.Add((long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture)));
            }
        }
        finally
        {
            // Process.Kill sends SIGKILL on Unix: no finalizers, no disposal, no chance to flush anything.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        return acks;
    }

    private static async Task VerifyAsync(SqliteControlStore store, List<(long Generation, long Revision, int Count)> acknowledged)
    {
        var applied = (await store.GetAppliedAsync(Endpoint))!;
        applied.ShouldNotBeNull();
        applied.Generation.Value.ShouldBeGreaterThanOrEqualTo(acknowledged[^1].Generation, "the last acknowledged apply (or a later one) is live");

        var feed = (await store.ReadChangesAsync(0, int.MaxValue)).Changes.OfType<AppliedChange>().ToList();
        for (var i = 1; i < feed.Count; i++)
        {
            feed[i].Revision.ShouldBeGreaterThan(feed[i - 1].Revision, "revisions only grow");
            feed[i].Generation.ShouldBeGreaterThan(feed[i - 1].Generation);
        }

        var byRevision = feed.ToDictionary(c => c.Revision);
        foreach (var (generation, revision, count) in acknowledged)
        {
            byRevision.ShouldContainKey(revision, $"acknowledged revision {revision} is missing");
            byRevision[revision].Generation.Value.ShouldBe(generation);
            byRevision[revision].Records.Length.ShouldBe(count, "a torn write would change the record count");
        }

        // Nothing half-applied: the live state is exactly the newest change and exactly its plan.
        applied.Revision.ShouldBe(feed[^1].Revision);
        applied.Generation.ShouldBe(feed[^1].Generation);
        var plan = (await store.GetPlanAsync(Endpoint, applied.Generation))!;
        plan.ShouldNotBeNull("the live plan survives");
        PlanRecordSets.SameRecords(plan.Plan.Records, applied.Records).ShouldBeTrue();
        plan.WasApplied.ShouldBeTrue();
    }

    private static string CrashWriterPath()
    {
        // The writer is built beside this project (see the csproj); find its output for the same configuration.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, "Holdfast.Storage.Sqlite.CrashWriter", "bin", configuration, framework, "Holdfast.Storage.Sqlite.CrashWriter.dll");
        File.Exists(path).ShouldBeTrue($"crash writer not built at {path}");
        return path;
    }
}
