using dotnet_etcd;
using Etcdserverpb;
using Grpc.Core;
using Holdfast.ControlPlane.Loops;
using Holdfast.ControlPlane.Store;

namespace Holdfast.Storage.Etcd;

/// <summary>
/// The control store on an etcd v3 cluster (docs/design/etcd-store.md), shared by every Holdfast node that uses the same
/// endpoints and prefix. Every contract operation is one etcd txn (a batch larger than etcd's limits is split into several,
/// each with its own revision); the first read of each operation is linearizable and the rest read at its revision.
/// Thread-safe.
/// </summary>
/// <remarks>
/// <para>Writes are optimistic: an attempt reads at one etcd revision, decides, and commits in a txn that compares the
/// head key (which every write txn of every node puts) and the keys the decision rests on (an endpoint's applied state for
/// the fence and for cleanup, a plan key's absence for a plan write). When another node came first, the attempt starts
/// again from a fresh read. Writes of one process are serialised locally so that they do not conflict with each
/// other.</para>
/// <para>Ambiguity: the client library retries a txn on <c>Unavailable</c> by itself, and a call whose deadline passed may
/// still have committed. Each operation therefore writes its outcome under its own key (<c>op/{id}</c>) in the txn that
/// commits it, and every attempt reads that key first; a txn whose compare failed reads it too. So an outcome is never
/// assumed: it is what committed, read back. Markers are deleted by later txns once acknowledged.</para>
/// <para>Deadlines and back-off run on real timers (the network is real, whatever the store clock says); timestamps
/// written and <see cref="WaitForChangeAsync"/> use the injected <see cref="TimeProvider"/>.</para>
/// </remarks>
public sealed partial class EtcdControlStore : IControlStore, IDisposable
{
    /// <summary>Operations a write txn needs besides its items: head, feed, marker, feed compaction and acknowledged markers.</summary>
    internal const int ReservedOps = 4 + MaxMarkersPerTransaction;

    /// <summary>Bytes a write txn needs besides its items' keys and values (headers, compares, head, marker).</summary>
    internal const int ReservedBytes = 96 * 1024;

    private const int MaxMarkersPerTransaction = 16;
    private const int MaxChunkItems = 100;
    private readonly EtcdClient _client;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly List<string> _acknowledged = [];
    private readonly AsyncSignal _changed = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _watch;
    private long _watchedRevision;
    private int _disposed;

    private EtcdControlStore(EtcdControlStoreOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
        Keys = new EtcdKeys(options.Prefix);
        _client = new EtcdClient(
            string.Join(',', options.Endpoints.Select(e => e.GetLeftPart(UriPartial.Authority))),
            configureChannelOptions: channel =>
            {
                // Pages of plans can exceed gRPC's default 4 MB; keep-alive pings find a member that stopped answering
                // (SIGSTOP, a dead link) so that the watch reconnects instead of hanging.
                channel.MaxReceiveMessageSize = 256 * 1024 * 1024;
                channel.HttpHandler = new SocketsHttpHandler
                {
                    EnableMultipleHttp2Connections = true,
                    KeepAlivePingDelay = TimeSpan.FromSeconds(5),
                    KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
                    KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                    ConnectTimeout = options.CallTimeout,
                };
            },
            interceptors: [.. options.Interceptors]);
        _watch = Task.Run(() => WatchHeadAsync(_stopping.Token));
    }

    internal EtcdControlStoreOptions Options { get; }

    internal TimeProvider Time { get; }

    internal EtcdKeys Keys { get; }

    internal dotnet_etcd.EtcdClient Client => _client;

    /// <summary>How many of the newest revisions the change feed keeps.</summary>
    public long ChangeRetention => Options.ChangeRetention;

    /// <summary>
    /// A store on the cluster at <paramref name="options"/>' endpoints. Does no I/O: the first operation connects (and fails
    /// with <see cref="ControlStoreException"/> if no member answers within its deadline).
    /// </summary>
    public static EtcdControlStore Open(EtcdControlStoreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        return new EtcdControlStore(options, time);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        try
        {
            _watch.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The watch ends by cancellation.
        }

        _client.Dispose();
        _stopping.Dispose();
        _writeLock.Dispose();
    }

    // ---- the write path ----------------------------------------------------------------------------

    /// <summary>
    /// Runs one write operation to its committed outcome: attempts until one commits (or an earlier attempt is found to
    /// have committed), or <see cref="EtcdControlStoreOptions.OperationTimeout"/> passes. <paramref name="body"/> decides
    /// from the attempt's reads and records its writes; it runs again from a fresh read after a conflict.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<EtcdAttempt, CancellationToken, Task<T>> body, IReadOnlyCollection<string> keys, IReadOnlyCollection<string> prefixes, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Options.OperationTimeout);
            var operationKey = Keys.Operation(Guid.NewGuid().ToString("N"));
            var sent = false;
            Exception? lastFailure = null;
            for (var attemptNumber = 0; ; attemptNumber++)
            {
                if (deadline.IsCancellationRequested)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new ControlStoreException(ControlStoreFailure.Io, sent
                        ? $"etcd ({Describe()}): no answer within {Options.OperationTimeout.TotalSeconds:0.#} s after a commit was sent; the outcome is unknown (read back): {lastFailure?.Message}"
                        : $"etcd ({Describe()}) did not answer within {Options.OperationTimeout.TotalSeconds:0.#} s: {lastFailure?.Message}", lastFailure!);
                }

                try
                {
                    var attempt = await EtcdAttempt.BeginAsync(this, operationKey, keys, prefixes, deadline.Token);
                    if (attempt.StoredOutcome is { } stored)
                    {
                        Acknowledge(operationKey);
                        return StoreJson.Deserialize<T>(stored);
                    }

                    var result = await body(attempt, deadline.Token);
                    if (!attempt.HasWrites)
                    {
                        // Nothing to change: the decision rests on a linearizable read.
                        return result;
                    }

                    var markers = TakeAcknowledged();
                    var txn = attempt.BuildTxn(operationKey, StoreJson.Serialize(result), markers, Options.ChangeRetention);
                    sent = true;
                    var response = await CallAsync(t => _client.TransactionAsync(txn, cancellationToken: t), deadline.Token);
                    if (response.Succeeded)
                    {
                        ForgetAcknowledged(markers);
                        Acknowledge(operationKey);
                        return result;
                    }

                    if (response.Responses[0].ResponseRange.Kvs.FirstOrDefault() is { } landed)
                    {
                        // The library's own retry of this txn committed first; this copy found the head moved.
                        ForgetAcknowledged(markers);
                        Acknowledge(operationKey);
                        return StoreJson.Deserialize<T>(landed.Value.ToStringUtf8());
                    }

                    // Another write came between the read and the commit: decide again from a fresh read.
                }
                catch (Exception ex) when (IsTransient(ex, cancellationToken))
                {
                    lastFailure = ex;
                    await BackOffAsync(attemptNumber, deadline.Token);
                }
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Runs a batch as few txns as etcd's limits allow: each chunk is one write operation whose items are decided in order;
    /// a chunk that outgrows the limits is decided again without its last item.
    /// </summary>
    private async Task<IReadOnlyList<TOut>> BatchAsync<TIn, TOut>(
        IReadOnlyList<TIn> items,
        Func<TIn, IEnumerable<string>> keysOf,
        Func<TIn, IEnumerable<string>> prefixesOf,
        Func<EtcdAttempt, TIn, CancellationToken, Task<TOut>> decide,
        IReadOnlyCollection<string> sharedKeys,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var outcomes = new List<TOut>(items.Count);
        var start = 0;
        while (start < items.Count)
        {
            var limit = Math.Min(MaxChunkItems, items.Count - start);
            while (true)
            {
                var chunk = items.Skip(start).Take(limit).ToList();
                var keys = chunk.SelectMany(keysOf).Concat(sharedKeys).ToList();
                var prefixes = chunk.SelectMany(prefixesOf).ToList();
                try
                {
                    var decided = await WriteAsync(async (attempt, token) =>
                    {
                        var list = new List<TOut>(chunk.Count);
                        foreach (var item in chunk)
                        {
                            var outcome = await decide(attempt, item, token);
                            if (attempt.IsOverLimits)
                            {
                                throw list.Count == 0
                                    ? new ArgumentException($"one item of the batch alone exceeds etcd's limits ({Options.MaxOperationsPerTransaction} operations, {Options.MaxRequestBytes} bytes per txn): {item}", nameof(items))
                                    : new ChunkFullException(list.Count);
                            }

                            list.Add(outcome);
                        }

                        return list;
                    }, keys, prefixes, cancellationToken);
                    outcomes.AddRange(decided);
                    start += decided.Count;
                    break;
                }
                catch (ChunkFullException full)
                {
                    limit = full.Fits;
                }
            }
        }

        return outcomes;
    }

    private void Acknowledge(string operationKey)
    {
        lock (_acknowledged)
        {
            _acknowledged.Add(operationKey);
        }
    }

    private List<string> TakeAcknowledged()
    {
        lock (_acknowledged)
        {
            return [.. _acknowledged.Take(MaxMarkersPerTransaction)];
        }
    }

    private void ForgetAcknowledged(List<string> markers)
    {
        lock (_acknowledged)
        {
            _acknowledged.RemoveAll(markers.Contains);
        }
    }

    // ---- the read path -----------------------------------------------------------------------------

    /// <summary>
    /// Ranges in read-only txns: the first linearizable (at the current revision, returned), the rest at that revision so
    /// that together they are one consistent snapshot. <paramref name="atRevision"/> 0 means "now".
    /// </summary>
    internal async Task<(long Revision, List<RangeResponse> Ranges)> ReadTxnAsync(IReadOnlyList<RangeRequest> requests, long atRevision, CancellationToken cancellationToken)
    {
        var ranges = new List<RangeResponse>(requests.Count);
        var revision = atRevision;
        var perTxn = Options.MaxOperationsPerTransaction;
        for (var offset = 0; offset < requests.Count || (offset == 0 && requests.Count == 0); offset += perTxn)
        {
            var txn = new TxnRequest();
            foreach (var request in requests.Skip(offset).Take(perTxn))
            {
                var copy = request.Clone();
                copy.Revision = revision;
                txn.Success.Add(new RequestOp { RequestRange = copy });
            }

            var response = await CallAsync(t => _client.TransactionAsync(txn, cancellationToken: t), cancellationToken);
            revision = revision == 0 ? response.Header.Revision : revision;
            ranges.AddRange(response.Responses.Select(r => r.ResponseRange));
            if (requests.Count == 0)
            {
                break;
            }
        }

        return (revision, ranges);
    }

    /// <summary>A read-only operation, retried through unavailable members until <see cref="EtcdControlStoreOptions.OperationTimeout"/>.</summary>
    private async Task<T> ReadAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.OperationTimeout);
        for (var attemptNumber = 0; ; attemptNumber++)
        {
            try
            {
                return await read(deadline.Token);
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                if (deadline.IsCancellationRequested)
                {
                    throw new ControlStoreException(ControlStoreFailure.Io, $"etcd ({Describe()}) did not answer a read within {Options.OperationTimeout.TotalSeconds:0.#} s: {ex.Message}", ex);
                }

                await BackOffAsync(attemptNumber, deadline.Token);
            }
        }
    }

    /// <summary>Every key and value in [<paramref name="from"/>, <paramref name="to"/>) at <paramref name="revision"/>, page by page.</summary>
    private async Task<List<Mvccpb.KeyValue>> RangeAllAsync(string from, Google.Protobuf.ByteString to, long revision, CancellationToken cancellationToken, long limit = 0)
    {
        var all = new List<Mvccpb.KeyValue>();
        var key = Google.Protobuf.ByteString.CopyFromUtf8(from);
        while (true)
        {
            const long page = 2000;
            var take = limit > 0 ? Math.Min(page, limit - all.Count) : page;
            var request = new RangeRequest { Key = key, RangeEnd = to, Revision = revision, Limit = take };
            var response = await CallAsync(t => _client.GetAsync(request, cancellationToken: t), cancellationToken);
            all.AddRange(response.Kvs);
            if (!response.More || response.Kvs.Count == 0 || (limit > 0 && all.Count >= limit))
            {
                return all;
            }

            key = Google.Protobuf.ByteString.CopyFromUtf8(EtcdKeys.After(response.Kvs[^1].Key.ToStringUtf8()));
        }
    }

    /// <summary>The head, read linearizably, with the etcd revision of the read.</summary>
    private async Task<(HeadDocument Head, long Revision)> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var response = await CallAsync(t => _client.GetAsync(new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8(Keys.Head) }, cancellationToken: t), cancellationToken);
        var head = response.Kvs.Count == 0 ? HeadDocument.Empty : StoreJson.Deserialize<HeadDocument>(response.Kvs[0].Value.ToStringUtf8());
        return (head, response.Header.Revision);
    }

    /// <summary>One gRPC call with its own deadline (<see cref="EtcdControlStoreOptions.CallTimeout"/>) inside the operation's.</summary>
    internal async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.CallTimeout);
        return await call(deadline.Token);
    }

    private static async Task BackOffAsync(int attemptNumber, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 50 << Math.Min(attemptNumber, 5))), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The caller's loop reports the deadline.
        }
    }

    /// <summary>Failures worth another attempt: a member down or slow, a leader election, a read at a compacted revision.</summary>
    private static bool IsTransient(Exception ex, CancellationToken caller) => ex switch
    {
        RpcException rpc => rpc.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Unknown
            or StatusCode.Internal or StatusCode.Aborted or StatusCode.ResourceExhausted or StatusCode.OutOfRange && !caller.IsCancellationRequested,
        OperationCanceledException => !caller.IsCancellationRequested,
        HttpRequestException or IOException => true,
        _ => false,
    };

    /// <summary>The members and the prefix, for the start-up line and status.</summary>
    public string Describe() => string.Join(',', Options.Endpoints.Select(e => e.Authority)) + " " + Options.Prefix;

    private sealed class ChunkFullException(int fits) : Exception($"{fits} items fit in one txn")
    {
        public int Fits { get; } = fits;
    }
}
