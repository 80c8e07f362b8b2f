namespace Holdfast.Server.Hosting;

/// <summary>
/// Lets one desired-state change run at a time: a configuration sync, or one read-modify-write call of the API (a
/// target added to an endpoint must not be lost to a concurrent put of that endpoint).
/// </summary>
public sealed class DesiredStateGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Runs <paramref name="change"/> as the only desired-state change at a time.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await change();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
