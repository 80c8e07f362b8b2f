using Etcdserverpb;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Holdfast.Storage.Etcd.Tests;

/// <summary>
/// Faults on the store's commits (txns that put the head), between the store and the client library's channel: an answer
/// lost after etcd committed, and a commit delivered twice (as the library's own retry on Unavailable can do).
/// </summary>
internal sealed class TxnFaults : Interceptor
{
    private int _loseAnswers;
    private int _duplicates;

    public int Committed;

    /// <summary>The next <paramref name="count"/> commits reach etcd, but their answers are replaced by Unavailable.</summary>
    public void LoseAnswers(int count) => Volatile.Write(ref _loseAnswers, count);

    /// <summary>The next <paramref name="count"/> commits are sent twice; the caller gets the second answer.</summary>
    public void Duplicate(int count) => Volatile.Write(ref _duplicates, count);

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (request is not TxnRequest txn || !txn.Success.Any(op => op.RequestPut?.Key.ToStringUtf8().EndsWith("meta/head", StringComparison.Ordinal) == true))
        {
            return continuation(request, context);
        }

        if (Take(ref _loseAnswers))
        {
            var call = continuation(request, context);
            return new AsyncUnaryCall<TResponse>(LoseAsync(call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
        }

        if (Take(ref _duplicates))
        {
            var first = continuation(request, context);
            return new AsyncUnaryCall<TResponse>(TwiceAsync(first.ResponseAsync, () => continuation(request, context).ResponseAsync), first.ResponseHeadersAsync, first.GetStatus, first.GetTrailers, first.Dispose);
        }

        return continuation(request, context);
    }

    private static bool Take(ref int counter)
    {
        while (true)
        {
            var left = Volatile.Read(ref counter);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    private async Task<TResponse> LoseAsync<TResponse>(Task<TResponse> response)
    {
        if (await response is TxnResponse { Succeeded: true })
        {
            Interlocked.Increment(ref Committed);
        }

        throw new RpcException(new Status(StatusCode.Unavailable, "answer lost (test fault)"));
    }

    private async Task<TResponse> TwiceAsync<TResponse>(Task<TResponse> first, Func<Task<TResponse>> again)
    {
        if (await first is TxnResponse { Succeeded: true })
        {
            Interlocked.Increment(ref Committed);
        }

        return await again();
    }
}
