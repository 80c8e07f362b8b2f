using System.Collections.Concurrent;
using System.Diagnostics;

namespace Holdfast.Testing.Chaos;

/// <summary>
/// One <c>holdfast up --config FILE</c> process of a chaos run, on its own data directory and free loopback ports. Kill is
/// SIGKILL by PID (no shutdown code runs), Pause/Resume are SIGSTOP/SIGCONT: the process keeps its sockets and its etcd
/// lease ticks away while it answers nothing, the delayed enactor for real.
/// </summary>
public sealed class ChaosNode : IDisposable
{
    private readonly string _cliDll;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public ChaosNode(string id, string cliDll, string folder, int dnsPort, int apiPort)
    {
        Id = id;
        _cliDll = cliDll;
        Folder = folder;
        DnsPort = dnsPort;
        ApiPort = apiPort;
        Directory.CreateDirectory(DataDirectory);
    }

    public string Id { get; }

    public string Folder { get; }

    public string DataDirectory => Path.Combine(Folder, "data");

    public string ConfigPath => Path.Combine(Folder, "holdfast.yaml");

    public int DnsPort { get; }

    public int ApiPort { get; }

    public Uri Api => new($"http://127.0.0.1:{ApiPort}");

    public bool Running => _process is { HasExited: false } && !Paused;

    public bool Paused { get; private set; }

    /// <summary>When the process was last started (a violation right after it points at the start path).</summary>
    public DateTime StartedAt { get; private set; }

    /// <summary>The API token of this node (created by its first start).</summary>
    public string? Token => File.Exists(Path.Combine(DataDirectory, "api-token")) ? File.ReadAllText(Path.Combine(DataDirectory, "api-token")).Trim() : null;

    public string Tail(int lines = 30) => string.Join('\n', _output.TakeLast(lines));

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(_cliDll);
        start.ArgumentList.Add("up");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(ConfigPath);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("HOLDFAST_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        StartedAt = DateTime.UtcNow;
        Keep($"=== {Id} started at {StartedAt:HH:mm:ss.fff}, pid {process.Id}");
        Paused = false;
    }

    /// <summary>
    /// The managed stacks of the running process, when <c>dotnet-stack</c> is installed (a node that does not come up in
    /// time shows where it waits); otherwise a line saying how to get them.
    /// </summary>
    public string Stacks()
    {
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-stack");
        if (_process is not { HasExited: false } process || !File.Exists(tool))
        {
            return "(no stacks: the process has exited, or dotnet-stack is not installed: dotnet tool install -g dotnet-stack)";
        }

        using var report = Process.Start(new ProcessStartInfo(tool, $"report -p {process.Id}") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var text = report.StandardOutput.ReadToEnd() + report.StandardError.ReadToEnd();
        report.WaitForExit(30_000);
        return text;
    }

    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            if (Paused)
            {
                Signal("CONT");
            }

            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        Paused = false;
    }

    public void Pause()
    {
        Signal("STOP");
        Paused = true;
    }

    public void Resume()
    {
        Signal("CONT");
        Paused = false;
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    private void Signal(string signal)
    {
        if (_process is { HasExited: false } process)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {process.Id}") { UseShellExecute = false })!;
            kill.WaitForExit(5000);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }
}
