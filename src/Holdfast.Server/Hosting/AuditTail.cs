using Holdfast.ControlPlane.Model;
using Holdfast.ControlPlane.Store;

namespace Holdfast.Server.Hosting;

/// <summary>
/// Follows the store's audit log and keeps the last <see cref="PerEndpoint"/> entries of every endpoint in
/// memory, for <c>GET /api/v1/endpoints/{name}</c> ("recent events") without scanning the whole log per
/// request. Reads the log once from the start when the host starts. Thread-safe.
/// </summary>
internal sealed class AuditTail
{
    public const int PerEndpoint = 20;
    private readonly IControlStore _store;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Queue<AuditEntry>> _recent = new(StringComparer.Ordinal);
    private long _last;

    /// <summary>The sequence of the newest entry read so far.</summary>
    public long LastSequence => Interlocked.Read(ref _last);

    public AuditTail(IControlStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public IReadOnlyList<AuditEntry> Recent(string endpoint)
    {
        lock (_recent)
        {
            return _recent.TryGetValue(endpoint, out var queue) ? [.. queue] : [];
        }
    }

    /// <summary>Reads what is new in the log; returns how many entries were read.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            var batch = await _store.ReadAuditAsync(_last, 1000, cancellationToken);
            if (batch.Count == 0)
            {
                return total;
            }

            lock (_recent)
            {
                foreach (var entry in batch.Where(e => e.Endpoint is not null))
                {
                    if (!_recent.TryGetValue(entry.Endpoint!, out var queue))
                    {
                        _recent[entry.Endpoint!] = queue = new Queue<AuditEntry>(PerEndpoint + 1);
                    }

                    queue.Enqueue(entry);
                    if (queue.Count > PerEndpoint)
                    {
                        queue.Dequeue();
                    }
                }
            }

            Interlocked.Exchange(ref _last, batch[^1].Sequence);
            total += batch.Count;
        }
    }

    public async Task RunAsync(TimeSpan poll, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await CatchUpAsync(cancellationToken);
                await Task.Delay(poll, _time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The store failed a read: the next poll tries again; the API reports store trouble via /readyz.
                await Task.Delay(poll, _time, CancellationToken.None);
            }
        }
    }
}
