using System.Globalization;

namespace Holdfast.Testing;

/// <summary>
/// A <c>knotd</c> process started by a test: its output collected in <see cref="Log"/>, its config, rundir and
/// storage in a temp folder. Disposing kills it by PID and removes the folder.
/// </summary>
public abstract class KnotDaemon : IAsyncDisposable
{
    private readonly DaemonProcess _process;

    protected KnotDaemon(string folder, string config, int port)
    {
        Port = port;
        var path = Path.Combine(folder, "knot.conf");
        File.WriteAllText(path, config);
        _process = new DaemonProcess("knotd", $"-c {path}", folder);
    }

    public int Port { get; }

    public string Log => _process.Log;

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

    /// <summary>A new empty temp folder for one daemon.</summary>
    protected static string NewFolder() => DaemonProcess.NewFolder("knot");

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
