using System.Globalization;
using Holdfast.Testing.Chaos;

// The long chaos run (issue 10): bench/chaos.sh --minutes 10. Exit 0 when no violation was found.
var cli = ArgText("--cli") ?? throw new ArgumentException("--cli PATH/holdfast.dll is required");
var minutes = double.Parse(ArgText("--minutes") ?? "10", CultureInfo.InvariantCulture);
var seed = int.Parse(ArgText("--seed") ?? "1", CultureInfo.InvariantCulture);
var endpoints = int.Parse(ArgText("--endpoints") ?? "12", CultureInfo.InvariantCulture);
var started = DateTime.UtcNow;
var report = await ChaosRun.RunAsync(new ChaosOptions
{
    CliDll = Path.GetFullPath(cli),
    Duration = TimeSpan.FromMinutes(minutes),
    Seed = seed,
    Endpoints = endpoints,
    FaultKinds = ArgText("--faults") is { } kinds ? new HashSet<string>(kinds.Split(','), StringComparer.Ordinal) : new HashSet<string>(ChaosOptions.AllFaultKinds, StringComparer.Ordinal),
    Log = line => Console.Error.WriteLine(line),
});
var text = $"chaos run {started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, 3 etcd members, 3 Holdfast nodes, {endpoints + 3} endpoints, seed {seed}\n{report}";
Console.Write(text);
if (ArgText("--out") is { } path)
{
    await File.WriteAllTextAsync(path, text);
}

return report.Violations.Count == 0 ? 0 : 1;

string? ArgText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
