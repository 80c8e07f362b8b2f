namespace Holdfast.ControlPlane.Observability;

/// <summary>
/// The loop shared by the planner and the enactors: run a pass, report a failure without stopping, wait
/// the interval ± jitter on the injected clock, again until cancelled. Jitter keeps independent workers
/// from marching in step against the store.
/// </summary>
internal static class ReconcileLoop
{
    public static async Task RunAsync(
        Func<CancellationToken, Task> pass,
        Action<Exception> onFailure,
        TimeSpan interval,
        double jitter,
        TimeProvider time,
        Random random,
        CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await pass(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                onFailure(ex);
            }

            var factor = 1 + (((random.NextDouble() * 2) - 1) * jitter);
            await Task.Delay(interval * factor, time, cancellationToken);
        }
    }
}
