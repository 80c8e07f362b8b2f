using Holdfast.ControlPlane.Enactment;

namespace Holdfast.Server.Hosting;

/// <summary>
/// One configured enactor as the host sees it: its availability zone, its pass interval and its running loop
/// (<see cref="Enactor.RunAsync"/>, which reports each finished pass to the host's observer), so that
/// <c>/readyz</c>, <c>/api/v1/status</c> and the enactor lag metric can see it working.
/// </summary>
internal sealed class EnactorRunner(string az, Enactor enactor, TimeSpan interval)
{
    public string Id => enactor.Id;

    public string Az { get; } = az;

    public TimeSpan Interval { get; } = interval;

    public Task? Running { get; private set; }

    public Task Start(CancellationToken cancellationToken) => Running = enactor.RunAsync(cancellationToken);
}
