namespace Holdfast.Simulation.Scheduling;

/// <summary>
/// Keeps async continuations of the real components on the scheduler: <c>await</c> captures this context and
/// posts its continuation here instead of to the thread pool, so continuations run one at a time, in order.
/// </summary>
public sealed class SimulationSynchronizationContext(SimulationScheduler scheduler) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) => scheduler.Post(() => d(state));

    // Send is synchronous by contract; on the scheduler's own thread that is simply a call.
    public override void Send(SendOrPostCallback d, object? state) => d(state);

    public override SynchronizationContext CreateCopy() => this;
}
