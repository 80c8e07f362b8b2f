using System.Diagnostics;
using System.Text;

namespace Holdfast.Testing;

/// <summary>
/// A long-running program a test starts (knotd, prometheus): its stdout and stderr collected in <see cref="Log"/>,
/// its files in one temp folder. Disposing kills it by PID, waits for it, and removes the folder.
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public DaemonProcess(string program, string arguments, string folder)
    {
        Folder = folder;
        var start = new ProcessStartInfo(program, arguments)
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

    /// <summary>The temp folder the program's files live in; removed on dispose.</summary>
    public string Folder { get; }

    public bool HasExited => _process.HasExited;

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

    /// <summary>A new empty temp folder named after <paramref name="kind"/>.</summary>
    public static string NewFolder(string kind)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"holdfast-{kind}-" + Guid.NewGuid().ToString("N"));
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
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is removed by the system eventually.
        }
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
