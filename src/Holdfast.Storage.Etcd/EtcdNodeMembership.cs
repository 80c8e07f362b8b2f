using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Holdfast.ControlPlane.Store;

namespace Holdfast.Storage.Etcd;

/// <summary>A node registered in the store ({p}node/{id}), and when it last said so.</summary>
public sealed record NodeDocument(string NodeId, string Description, DateTimeOffset Since);

/// <summary>
/// One Holdfast node's membership of a cluster: an etcd lease kept alive, the node's key on it, and a campaign for the
/// planner key (create-only, on the same lease). The node that holds the key runs the planner; the others wait and
/// campaign again when the key goes (its holder's lease expired or was revoked). For efficiency only: a second planner
/// during a hand-over stays harmless, as generations and fences make every plan and apply safe.
/// </summary>
public sealed class EtcdNodeMembership
{
    private readonly EtcdControlStore _store;
    private readonly TimeProvider _time;
    private int _isPlanner;

    /// <param name="ttl">The lease's time to live (default 10 s): how long the planner key outlives a node that died.</param>
    public EtcdNodeMembership(EtcdControlStore store, string nodeId, string description, TimeProvider time, TimeSpan? ttl = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        _store = store;
        _time = time;
        NodeId = nodeId;
        Description = description;
        Ttl = ttl ?? TimeSpan.FromSeconds(10);
        ArgumentOutOfRangeException.ThrowIfLessThan(Ttl, TimeSpan.FromSeconds(2));
    }

    public string NodeId { get; }

    public string Description { get; }

    public TimeSpan Ttl { get; }

    /// <summary>Whether this node holds the planner key now.</summary>
    public bool IsPlanner => Volatile.Read(ref _isPlanner) == 1;

    /// <summary>
    /// Until cancelled: keeps the lease and the node key, campaigns, and runs <paramref name="whilePlanner"/> while this node
    /// holds the planner key (its token is cancelled when the key is lost). Never throws but on cancellation.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> whilePlanner, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(whilePlanner);
        while (!stopping.IsCancellationRequested)
        {
            long lease = 0;
            try
            {
                // A grant the library retried may leave an unused lease: it expires after its TTL.
                lease = (await _store.CallAsync(t => _store.Client.LeaseGrantAsync(new LeaseGrantRequest { TTL = (long)Ttl.TotalSeconds }, cancellationToken: t), stopping)).ID;
                using var held = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                var keepAlive = KeepAliveAsync(lease, held);
                await PutWithLeaseAsync(_store.Keys.Node(NodeId), StoreJson.Serialize(new NodeDocument(NodeId, Description, _time.GetUtcNow())), lease, held.Token);
                while (!held.IsCancellationRequested)
                {
                    if (await CampaignAsync(lease, held.Token))
                    {
                        await LeadAsync(lease, whilePlanner, held);
                    }
                    else
                    {
                        await Task.Delay(Ttl / 4, held.Token);
                    }
                }

                await keepAlive;
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested && ex is RpcException or OperationCanceledException or IOException or HttpRequestException)
            {
                await DelayAsync(TimeSpan.FromSeconds(1), stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping.
            }
            finally
            {
                Volatile.Write(ref _isPlanner, 0);
                if (stopping.IsCancellationRequested && lease != 0)
                {
                    await RevokeAsync(lease);
                }
            }
        }
    }

    /// <summary>The node that holds the planner key, or null when none does.</summary>
    public async Task<string?> GetPlannerAsync(CancellationToken cancellationToken = default)
    {
        var response = await _store.CallAsync(t => _store.Client.GetAsync(new RangeRequest { Key = ByteString.CopyFromUtf8(_store.Keys.Planner) }, cancellationToken: t), cancellationToken);
        return response.Kvs.FirstOrDefault()?.Value.ToStringUtf8();
    }

    /// <summary>Every node whose lease is alive, ordinal order of id.</summary>
    public async Task<IReadOnlyList<NodeDocument>> ListNodesAsync(CancellationToken cancellationToken = default)
    {
        var prefix = _store.Keys.NodePrefix;
        var response = await _store.CallAsync(t => _store.Client.GetAsync(new RangeRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = EtcdKeys.RangeEnd(prefix) }, cancellationToken: t), cancellationToken);
        return [.. response.Kvs.Select(kv => StoreJson.Deserialize<NodeDocument>(kv.Value.ToStringUtf8()))];
    }

    /// <summary>Create-only put of the planner key on this node's lease; true when this node holds it (now or already).</summary>
    private async Task<bool> CampaignAsync(long lease, CancellationToken token)
    {
        var key = ByteString.CopyFromUtf8(_store.Keys.Planner);
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Value = ByteString.CopyFromUtf8(NodeId), Lease = lease } });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key } });
        var response = await _store.CallAsync(t => _store.Client.TransactionAsync(txn, cancellationToken: t), token);
        // A campaign the library retried finds its own first copy: the key is on our lease.
        return response.Succeeded || response.Responses[0].ResponseRange.Kvs.FirstOrDefault() is { } kv && kv.Lease == lease;
    }

    /// <summary>Runs the planner while the planner key is still on this node's lease (checked every quarter TTL).</summary>
    private async Task LeadAsync(long lease, Func<CancellationToken, Task> whilePlanner, CancellationTokenSource held)
    {
        using var term = CancellationTokenSource.CreateLinkedTokenSource(held.Token);
        Volatile.Write(ref _isPlanner, 1);
        var planner = Task.Run(() => whilePlanner(term.Token));
        try
        {
            while (!held.IsCancellationRequested && !planner.IsCompleted)
            {
                await Task.WhenAny(planner, Task.Delay(Ttl / 4, held.Token));
                var response = await _store.CallAsync(t => _store.Client.GetAsync(new RangeRequest { Key = ByteString.CopyFromUtf8(_store.Keys.Planner) }, cancellationToken: t), held.Token);
                if (response.Kvs.FirstOrDefault() is not { } kv || kv.Lease != lease)
                {
                    break;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _isPlanner, 0);
            await term.CancelAsync();
            try
            {
                await planner;
            }
            catch (OperationCanceledException)
            {
                // The term ended.
            }
        }
    }

    /// <summary>
    /// Renews the lease every third of its TTL over a keep-alive stream, reopened after a failure; gives the lease up
    /// (cancels <paramref name="held"/>) when etcd says it expired or no renewal succeeded for a whole TTL.
    /// </summary>
    private async Task KeepAliveAsync(long lease, CancellationTokenSource held)
    {
        var renewed = _time.GetTimestamp();
        while (!held.IsCancellationRequested)
        {
            try
            {
                using var call = _store.Client.GetConnection().LeaseClient.LeaseKeepAlive(cancellationToken: held.Token);
                while (!held.IsCancellationRequested)
                {
                    await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease }, held.Token);
                    using var answer = CancellationTokenSource.CreateLinkedTokenSource(held.Token);
                    answer.CancelAfter(_store.Options.CallTimeout);
                    if (!await call.ResponseStream.MoveNext(answer.Token) || call.ResponseStream.Current.TTL <= 0)
                    {
                        await held.CancelAsync();
                        return;
                    }

                    renewed = _time.GetTimestamp();
                    await Task.Delay(Ttl / 3, held.Token);
                }
            }
            catch (Exception ex) when (ex is RpcException or OperationCanceledException or IOException)
            {
                if (held.IsCancellationRequested)
                {
                    return;
                }

                if (_time.GetElapsedTime(renewed) >= Ttl)
                {
                    await held.CancelAsync();
                    return;
                }

                await DelayAsync(TimeSpan.FromMilliseconds(250), held.Token);
            }
        }
    }

    private async Task PutWithLeaseAsync(string key, string value, long lease, CancellationToken token) =>
        await _store.CallAsync(t => _store.Client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value), Lease = lease }, cancellationToken: t), token);

    /// <summary>Best effort on the way out: the planner key and node key go at once instead of after the TTL.</summary>
    private async Task RevokeAsync(long lease)
    {
        try
        {
            await _store.CallAsync(t => _store.Client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease }, cancellationToken: t), CancellationToken.None);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException or IOException)
        {
            // The lease expires by itself.
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, token);
        }
        catch (OperationCanceledException)
        {
            // The caller's loop checks.
        }
    }
}
