using Holdfast.ControlPlane.Enactment;

namespace Holdfast.Server.Hosting;

/// <summary>
/// Runs one enactor's passes on its interval (± jitter) and tells the observer when each pass finished, so
/// that <c>/readyz</c>, <c>/api/v1/status</c> and the enactor lag metric can see it working.
/// </summary>
internal sealed class EnactorRunner
{
    private readonly Enactor _enactor;
    private readonly HostObserver _observer;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Random _random;

    public EnactorRunner(string az, Enactor enactor, HostObserver observer, TimeSpan interval, TimeProvider time, Random random)
    {
        Az = az;
        _enactor = enactor;
        _observer = observer;
        _interval = interval;
        _time = time;
        _random = random;
    }

    public string Id => _enactor.Id;

    public string Az { get; }

    public TimeSpan Interval => _interval;

    public Task? Running { get; private set; }

    public Task Start(CancellationToken cancellationToken) => Running = RunAsync(cancellationToken);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var pass = await _enactor.ReconcileOnceAsync(cancellationToken);
                var failed = pass.Steps.FirstOrDefault(s => s.Error is not null);
                _observer.PassCompleted(Id, failed is null ? null : $"{failed.Endpoint}: {failed.Error!.Message}");
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                _observer.PassFailed(Id, null, ex);
            }

            // ± 20 %: independent enactors must not march in step against the store.
            var factor = 1 + (((_random.NextDouble() * 2) - 1) * 0.2);
            try
            {
                await Task.Delay(_interval * factor, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
