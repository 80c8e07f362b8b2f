using System.Net;
using Holdfast.Dns.Update;

namespace Holdfast.Push.Tests;

/// <summary>
/// The real exchange, except that the first UPDATE waits at a gate until the test opens it: an enactor paused between
/// deciding and sending, as enactor A was in October 2025. Queries pass straight through.
/// </summary>
internal sealed class GatedExchange : IDnsExchange
{
    private readonly TaskCompletionSource _reachedGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _updates;

    /// <summary>Completes when the first UPDATE is held at the gate.</summary>
    public Task ReachedGate => _reachedGate.Task;

    /// <summary>The UPDATE held at the gate, as the paused pusher built it.</summary>
    public UpdateMessage? Held { get; private set; }

    public void Open() => _open.TrySetResult();

    public async Task<byte[]> ExchangeAsync(IPEndPoint server, byte[] message, bool overTcp, CancellationToken cancellationToken)
    {
        if (UpdateMessageReader.TryRead(message, out var update) && Interlocked.Increment(ref _updates) == 1)
        {
            Held = update;
            _reachedGate.TrySetResult();
            await _open.Task.WaitAsync(cancellationToken);
        }

        return await DnsExchange.Instance.ExchangeAsync(server, message, overTcp, cancellationToken);
    }
}
