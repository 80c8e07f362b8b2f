using System.Threading.Channels;
using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;
using Microsoft.Extensions.Logging;

namespace Holdfast.Server.Hosting;

/// <summary>
/// Puts guardrail decisions, alarms and health changes into the store's audit log, next to the store's own
/// entries, so that <c>/api/v1/events</c> shows one ordered history. Observers call <see cref="Record"/> on
/// the worker's flow, which must stay quick: entries queue here and one background writer appends them.
/// The queue is bounded; on overflow the oldest entries are dropped (the log line remains).
/// </summary>
internal sealed class EventRecorder
{
    private const int MaxBatch = 1000;
    private readonly Channel<AuditEntry> _queue = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly IControlStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public EventRecorder(IControlStore store, TimeProvider time, ILogger logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes when the next batch has reached the store. The event stream waits on it beside the store's change feed:
    /// these entries (health, guardrail decisions, alarms) are audit only and do not move the store's revision. Take it
    /// before reading the audit log, so that a batch appended in between still wakes the reader.
    /// </summary>
    public Task NextAppend => Volatile.Read(ref _appended).Task;

    public void Record(string actor, string action, string? endpoint, string detail) =>
        _queue.Writer.TryWrite(new AuditEntry(0, _time.GetUtcNow(), actor, action, endpoint, detail));

    /// <summary>Writes queued entries, in batches of what has queued up (one store transaction each), until <see cref="Complete"/>, then drains what is left.</summary>
    public async Task RunAsync()
    {
        var batch = new List<AuditEntry>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            try
            {
                await _store.AppendAuditAsync(batch);
                Interlocked.Exchange(ref _appended, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                HostLog.EventWriteFailed(_logger, ex, $"{batch[0].Action} and {batch.Count - 1} more");
            }
        }
    }

    public void Complete() => _queue.Writer.TryComplete();
}
