using System.Runtime.InteropServices;

namespace Holdfast.Cli;

/// <summary>
/// Turns SIGINT (Ctrl-C) and SIGTERM into cancellation for a command that runs until stopped (<c>events
/// --watch</c>), so it ends cleanly with exit 0 instead of being torn down by the runtime. Dispose to restore
/// the default handling.
/// </summary>
internal sealed class InterruptScope : IDisposable
{
    private readonly CancellationTokenSource _cancel;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public InterruptScope(CancellationToken outer)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    }

    /// <summary>Cancelled by the outer token, SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _cancel.Token;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancel.Dispose();
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        _cancel.Cancel();
    }
}
