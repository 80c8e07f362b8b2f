using System.Collections.Concurrent;
using System.Diagnostics;

namespace Holdfast.Cli.Tests.EndToEnd;

/// <summary>
/// <c>holdfast up --config FILE</c> as a real child process. Its output is drained continuously (a full pipe
/// would block it) and kept for failure messages. Disposal kills it by PID if it still runs.
/// </summary>
internal sealed class HoldfastProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private HoldfastProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static HoldfastProcess Start(string configPath) =>
        new(Process.Start(BuiltCli.StartInfo(["up", "--config", configPath]))!);

    /// <summary>The last lines it printed, for assertion messages.</summary>
    public string Tail(int lines = 40) => string.Join('\n', _output.TakeLast(lines));

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed — what a crash or an OOM kill does.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 500 && _output.TryDequeue(out _))
        {
            // Keep the tail only.
        }
    }
}
