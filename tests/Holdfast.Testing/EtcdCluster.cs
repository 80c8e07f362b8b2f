using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Holdfast.Testing;

/// <summary>
/// Real etcd members (Debian's <c>etcd-server</c>, 3.4) on 127.0.0.1 with free client and peer ports and a temporary
/// data directory each (mode 700). Members are killed (SIGKILL), paused (SIGSTOP/SIGCONT) and restarted by PID; disposing
/// kills every member this instance started and removes the directories.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Member[] _members;
    private readonly string _root;
    private readonly string _token = "holdfast-test-" + Guid.NewGuid().ToString("N")[..8];

    private EtcdCluster(int size)
    {
        _root = Path.Combine(Path.GetTempPath(), "holdfast-etcd-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        _members = [.. Enumerable.Range(0, size).Select(i => new Member("m" + (i + 1).ToString(CultureInfo.InvariantCulture), ExternalTool.FreePort(), ExternalTool.FreePort(), Path.Combine(_root, "m" + (i + 1).ToString(CultureInfo.InvariantCulture))))];
    }

    public int Size => _members.Length;

    /// <summary>The client URL of every member.</summary>
    public IReadOnlyList<Uri> ClientUrls => [.. _members.Select(m => m.ClientUrl)];

    /// <summary>What each member printed (for a failing test's message).</summary>
    public string Log => string.Join("\n", _members.Select(m => $"--- {m.Name}\n{m.Log}"));

    /// <summary>Starts <paramref name="size"/> members as one new cluster and waits until every one is healthy.</summary>
    public static async Task<EtcdCluster> StartAsync(int size)
    {
        if (!File.Exists("/usr/bin/etcd"))
        {
            throw new InvalidOperationException("etcd is not installed: apt-get install etcd-server (./test does it)");
        }

        var cluster = new EtcdCluster(size);
        try
        {
            for (var i = 0; i < size; i++)
            {
                cluster.Launch(i);
            }

            for (var i = 0; i < size; i++)
            {
                await cluster.WaitHealthyAsync(i, TimeSpan.FromSeconds(60));
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>kill -9: the member stops at once, mid-write if it was writing.</summary>
    public void Kill(int member)
    {
        var process = _members[member].Process;
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit(10_000);
        }
    }

    /// <summary>Starts a killed member again on its data directory and waits until it is healthy.</summary>
    public async Task RestartAsync(int member)
    {
        Kill(member);
        Launch(member);
        await WaitHealthyAsync(member, TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGSTOP: the member keeps its sockets but answers nothing until <see cref="Resume"/>.</summary>
    public void Pause(int member) => Signal(member, "STOP");

    public void Resume(int member) => Signal(member, "CONT");

    public bool IsRunning(int member) => _members[member].Process is { HasExited: false };

    /// <summary>The index of the member that is the raft leader now (as it says itself), or -1.</summary>
    public async Task<int> LeaderAsync()
    {
        for (var i = 0; i < _members.Length; i++)
        {
            if (IsRunning(i) && await StatusAsync(i) is { } status && status.MemberId == status.Leader)
            {
                return i;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members)
        {
            if (member.Process is { } process)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }

                process.Dispose();
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private async Task<(string MemberId, string Leader)?> StatusAsync(int member)
    {
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            using var response = await s_http.PostAsync(new Uri(_members[member].ClientUrl, "/v3/maintenance/status"), content, cancel.Token);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel.Token));
            return (json.RootElement.GetProperty("header").GetProperty("member_id").GetString()!, json.RootElement.GetProperty("leader").GetString()!);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException or KeyNotFoundException)
        {
            return null;
        }
    }

    private void Launch(int index)
    {
        var member = _members[index];
        var created = !Directory.Exists(member.DataDirectory);
        Directory.CreateDirectory(member.DataDirectory);
        if (!OperatingSystem.IsWindows())
        {
            // etcd wants its data directory private (700).
            File.SetUnixFileMode(member.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var initial = string.Join(',', _members.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Name}=http://127.0.0.1:{m.PeerPort}")));
        var state = created ? "new" : "existing";
        var client = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{member.ClientPort}");
        var peer = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{member.PeerPort}");
        var arguments = $"--name {member.Name} --data-dir {member.DataDirectory} --listen-client-urls {client} --advertise-client-urls {client} " +
            $"--listen-peer-urls {peer} --initial-advertise-peer-urls {peer} --initial-cluster {initial} --initial-cluster-token {_token} " +
            $"--initial-cluster-state {state} --logger zap --log-level error --enable-pprof=false";
        var start = new ProcessStartInfo("/usr/bin/etcd", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => member.Append(e.Data);
        process.ErrorDataReceived += (_, e) => member.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        member.Process?.Dispose();
        member.Process = process;
    }

    private async Task WaitHealthyAsync(int index, TimeSpan timeout)
    {
        var member = _members[index];
        var healthy = await ExternalTool.WaitUntilAsync(async () =>
        {
            if (member.Process is not { HasExited: false })
            {
                return false;
            }

            try
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                var body = await s_http.GetStringAsync(new Uri(member.ClientUrl, "/health"), cancel.Token);
                return body.Contains("\"true\"", StringComparison.Ordinal);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                return false;
            }
        }, timeout);
        if (!healthy)
        {
            throw new InvalidOperationException($"etcd member {member.Name} did not become healthy within {timeout}:\n{member.Log}");
        }
    }

    private void Signal(int member, string signal)
    {
        var pid = _members[member].Process?.Id ?? throw new InvalidOperationException("member not running");
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { UseShellExecute = false })!;
        kill.WaitForExit(5000);
    }

    private sealed class Member(string name, int clientPort, int peerPort, string dataDirectory)
    {
        private readonly StringBuilder _log = new();

        public string Name { get; } = name;

        public int ClientPort { get; } = clientPort;

        public int PeerPort { get; } = peerPort;

        public string DataDirectory { get; } = dataDirectory;

        public Uri ClientUrl => new($"http://127.0.0.1:{ClientPort}");

        public Process? Process { get; set; }

        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        public void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_log)
            {
                if (_log.Length < 200_000)
                {
                    _log.AppendLine(line);
                }
            }
        }
    }
}
