using Holdfast.ControlPlane.Enactment;

namespace Holdfast.Server.Hosting;

/// <summary>
/// One configured enactor as the host sees it: its availability zone and its running loop (<see cref="Enactor.RunAsync"/>,
/// which reports each finished pass to the host's observer), so that <c>/readyz</c>, <c>/api/v1/status</c> and the lag
/// metric can see it working.
/// </summary>
internal sealed class EnactorRunner(string az, Enactor enactor)
{
    public string Id => enactor.Id;

    public string Az { get; } = az;

    /// <summary>Endpoints waiting for this enactor, and since when the oldest waits.</summary>
    public (int Waiting, DateTimeOffset? Since) Backlog => enactor.Backlog;

    public Task? Running { get; private set; }

    public Task Start(CancellationToken cancellationToken) => Running = enactor.RunAsync(cancellationToken);
}
