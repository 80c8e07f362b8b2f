using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Holdfast.ControlPlane.Store;

namespace Holdfast.Storage.Etcd;

/// <summary>The etcd watch that wakes <see cref="WaitForChangeAsync"/>: on the head key, from a revision, resumed after a disconnect.</summary>
public sealed partial class EtcdControlStore
{
    public async Task WaitForChangeAsync(long afterRevision, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var until = Time.GetUtcNow() + maxWait;
        var version = _changed.Version;
        if (Volatile.Read(ref _watchedRevision) > afterRevision || await GetRevisionAsync(cancellationToken) > afterRevision)
        {
            return;
        }

        // The head also moves for writes that take no revision (audit, cleanup): wait again until the revision moved.
        while (Volatile.Read(ref _watchedRevision) <= afterRevision)
        {
            var left = until - Time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await _changed.WaitAsync(version, left, Time, cancellationToken);
            version = _changed.Version;
        }
    }

    /// <summary>
    /// Follows the head key with an etcd watch from the revision of a linearizable read of it, and raises the known store
    /// revision with every put. After a disconnect it resumes from the etcd revision after the last event; if etcd has
    /// compacted that history (the watch answers with a compact revision), it reads the head afresh and watches from there.
    /// </summary>
    private async Task WatchHeadAsync(CancellationToken stopping)
    {
        long from = 0;
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (from == 0)
                {
                    var (head, revision) = await ReadHeadAsync(stopping);
                    Observe(head.Revision);
                    from = revision + 1;
                }

                using var call = _client.GetConnection().WatchClient.Watch(cancellationToken: stopping);
                await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8(Keys.Head), StartRevision = from } }, stopping);
                while (await call.ResponseStream.MoveNext(stopping))
                {
                    var response = call.ResponseStream.Current;
                    failures = 0;
                    if (response.CompactRevision > 0 || response.Canceled)
                    {
                        from = 0;
                        break;
                    }

                    foreach (var change in response.Events)
                    {
                        if (change.Type == Mvccpb.Event.Types.EventType.Put)
                        {
                            Observe(StoreJson.Deserialize<HeadDocument>(change.Kv.Value.ToStringUtf8()).Revision);
                        }

                        from = change.Kv.ModRevision + 1;
                    }
                }
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested && ex is RpcException or OperationCanceledException or IOException or HttpRequestException or ControlStoreException)
            {
                failures++;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * Math.Max(1, failures))), stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Observe(long revision)
    {
        long known;
        do
        {
            known = Volatile.Read(ref _watchedRevision);
            if (revision <= known)
            {
                // Still wake waiters: a write without a revision moved the head; they check and wait again.
                _changed.Set();
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _watchedRevision, revision, known) != known);

        _changed.Set();
    }
}
