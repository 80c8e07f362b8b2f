using System.Reflection;
using Holdfast.ControlPlane.Store;

namespace Holdfast.ControlPlane.Tests.Enactment;

/// <summary>A store decorator whose <see cref="IControlStore.GetAppliedAsync"/> fails for one endpoint, as if its rows were unreadable.</summary>
public class ThrowingStore : DispatchProxy
{
    private IControlStore _inner = null!;
    private string _failEndpoint = "";

    public static IControlStore Create(IControlStore inner, string failEndpoint)
    {
        var proxy = Create<IControlStore, ThrowingStore>();
        var self = (ThrowingStore)(object)proxy;
        self._inner = inner;
        self._failEndpoint = failEndpoint;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IControlStore.GetAppliedAsync) && args is [string endpoint, ..] && endpoint == _failEndpoint)
        {
            return Task.FromException<Holdfast.ControlPlane.Model.AppliedState?>(new IOException($"simulated read failure for {endpoint}"));
        }

        return targetMethod.Invoke(_inner, args);
    }
}
