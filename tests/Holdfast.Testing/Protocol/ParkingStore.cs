using System.Reflection;
using Holdfast.ControlPlane.Store;

namespace Holdfast.Testing.Protocol;

/// <summary>
/// A store decorator for one enactor: every conditional apply parks until the test decides its fate
/// (<see cref="ParkDecision"/>), so that a test can put any amount of other work between an enactor's
/// read of a plan and its write — the delay of October 2025.
/// </summary>
public class ParkingStore : DispatchProxy
{
    private readonly Lock _lock = new();
    private IControlStore _inner = null!;
    private TaskCompletionSource<ParkDecision>? _ticket;
    private TaskCompletionSource _parked = NewSignal();

    public static (IControlStore Store, ParkingStore Parking) Create(IControlStore inner)
    {
        var proxy = Create<IControlStore, ParkingStore>();
        var self = (ParkingStore)(object)proxy;
        self._inner = inner;
        return (proxy, self);
    }

    public bool IsParked
    {
        get
        {
            lock (_lock)
            {
                return _ticket is not null;
            }
        }
    }

    /// <summary>Completes the next time an apply parks (or at once if one is parked now).</summary>
    public Task WhenParked()
    {
        lock (_lock)
        {
            return _ticket is not null ? Task.CompletedTask : _parked.Task;
        }
    }

    public void Release(ParkDecision decision)
    {
        TaskCompletionSource<ParkDecision> ticket;
        lock (_lock)
        {
            ticket = _ticket ?? throw new InvalidOperationException("nothing parked");
            _ticket = null;
        }

        ticket.SetResult(decision);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return targetMethod.Name == nameof(IControlStore.ConditionalApplyAsync)
            ? ParkAsync(targetMethod, args!)
            : targetMethod.Invoke(_inner, args);
    }

    private async Task<IReadOnlyList<ApplyOutcome>> ParkAsync(MethodInfo method, object?[] args)
    {
        var ticket = new TaskCompletionSource<ParkDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource parked;
        lock (_lock)
        {
            _ticket = ticket;
            parked = _parked;
            _parked = NewSignal();
        }

        parked.SetResult();
        var decision = await ticket.Task;
        if (decision == ParkDecision.CrashBeforeCommit)
        {
            throw new IOException("enactor crashed before its apply reached the store");
        }

        var outcome = await (Task<IReadOnlyList<ApplyOutcome>>)method.Invoke(_inner, args)!;
        return decision == ParkDecision.CrashAfterCommit
            ? throw new IOException("enactor crashed after its apply committed")
            : outcome;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
