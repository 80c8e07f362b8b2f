using System.Reflection;
using Holdfast.ControlPlane.Store;
using Holdfast.ControlPlane.Store.Changes;

namespace Holdfast.ControlPlane.Tests.Enactment;

/// <summary>A store decorator whose change feed loses every change (the revision moves, nothing is delivered): every wake-up is lost.</summary>
public class BlindFeedStore : DispatchProxy
{
    private IControlStore _inner = null!;

    public static IControlStore Create(IControlStore inner)
    {
        var proxy = Create<IControlStore, BlindFeedStore>();
        ((BlindFeedStore)(object)proxy)._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return targetMethod.Name == nameof(IControlStore.ReadChangesAsync) ? BlindAsync(args!) : targetMethod.Invoke(_inner, args);
    }

    private async Task<ChangePage> BlindAsync(object?[] args)
    {
        var page = await _inner.ReadChangesAsync((long)args[0]!, (int)args[1]!, (CancellationToken)args[2]!);
        return page with { Changes = [] };
    }
}
