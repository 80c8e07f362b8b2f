using System.Reflection;
using Holdfast.ControlPlane.Store;

namespace Holdfast.ControlPlane.Tests.Scenarios;

/// <summary>
/// A store decorator that holds one enactor's conditional applies at a gate until the test opens it:
/// the "badly delayed enactor" of October 2025, with its plan already read and its apply in flight.
/// </summary>
public class GatedStore : DispatchProxy
{
    private IControlStore _inner = null!;
    private string _heldEnactor = "";
    private TaskCompletionSource _gate = null!;
    private TaskCompletionSource _arrived = null!;

    /// <summary>Completes when the held enactor has reached the gate.</summary>
    public Task Arrived => _arrived.Task;

    public static (IControlStore Store, GatedStore Gate) Create(IControlStore inner, string heldEnactor)
    {
        var proxy = Create<IControlStore, GatedStore>();
        var self = (GatedStore)(object)proxy;
        self._inner = inner;
        self._heldEnactor = heldEnactor;
        self._gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        self._arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return (proxy, self);
    }

    public void Open() => _gate.TrySetResult();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IControlStore.ConditionalApplyAsync) && args is [_, string enactor, ..] && enactor == _heldEnactor)
        {
            return HeldApplyAsync(targetMethod, args);
        }

        return targetMethod.Invoke(_inner, args);
    }

    private async Task<IReadOnlyList<ApplyOutcome>> HeldApplyAsync(MethodInfo method, object?[] args)
    {
        _arrived.TrySetResult();
        await _gate.Task;
        return await (Task<IReadOnlyList<ApplyOutcome>>)method.Invoke(_inner, args)!;
    }
}
