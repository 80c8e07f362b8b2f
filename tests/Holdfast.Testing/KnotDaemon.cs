using System.Globalization;
using System.Diagnostics;
using System.Text;

namespace Holdfast.Testing;

/// <summary>
/// A <c>knotd</c> process started by a test: its output collected in <see cref="Log"/>, its config, rundir and
/// storage in a temp folder. Disposing kills it by PID and removes the folder.
/// </summary>
public abstract class KnotDaemon : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _folder;

    protected KnotDaemon(string folder, string config, int port)
    {
        _folder = folder;
        Port = port;
        var path = Path.Combine(folder, "knot.conf");
        File.WriteAllText(path, config);
        var start = new ProcessStartInfo("knotd", $"-c {path}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public int Port { get; }

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

    /// <summary>A new empty temp folder for one daemon.</summary>
    /// <summary>The server, database and log sections every test daemon shares: one worker of each kind, loopback only.</summary>
    protected static string ServerSections(string folder, int port) => string.Create(CultureInfo.InvariantCulture, $"""
        server:
            rundir: "{folder}"
            listen: 127.0.0.1@{port}
            udp-workers: 1
            tcp-workers: 1
            background-workers: 1
        database:
            storage: "{folder}"
        log:
          - target: stderr
            any: info
        """);

    protected static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "holdfast-knot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(deadline.Token);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is removed by the system eventually.
        }

        GC.SuppressFinalize(this);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
