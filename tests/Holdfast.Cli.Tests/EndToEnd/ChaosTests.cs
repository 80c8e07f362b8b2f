using Holdfast.Testing.Chaos;

namespace Holdfast.Cli.Tests.EndToEnd;

/// <summary>
/// The short chaos run of ./test: three real etcd members and three real <c>holdfast up</c> processes, faults for 45 s
/// (kill -9 of etcd members and nodes, SIGSTOP of nodes) under health churn, writes and a prober (what is checked:
/// <see cref="ChaosRun"/>). The long run is <c>bench/chaos.sh</c>, its output in docs/benchmarks.md.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Chaos_ThreeEtcdMembersThreeNodes_NoViolation()
    {
        var report = await ChaosRun.RunAsync(new ChaosOptions
        {
            CliDll = BuiltCli.DllPath,
            Duration = TimeSpan.FromSeconds(45),
            Seed = 11,
            Log = output.WriteLine,
        });

        output.WriteLine(report.ToString());
        report.Faults.Count.ShouldBeGreaterThanOrEqualTo(5, report.ToString());
        report.QueriesChecked.ShouldBeGreaterThan(1000, report.ToString());
        report.WritesAcknowledged.ShouldBeGreaterThan(10, report.ToString());
        report.Violations.ShouldBeEmpty(report.ToString());
    }
}
