using System.Reflection;
using Holdfast.ControlPlane.Store;

namespace Holdfast.ControlPlane.Tests.Enactment;

/// <summary>A store decorator whose <see cref="IControlStore.ReadEndpointsAsync"/> fails whenever it includes one endpoint, as if its rows were unreadable.</summary>
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
        if (targetMethod.Name == nameof(IControlStore.ReadEndpointsAsync) && args is [IReadOnlyList<string> names, ..] && names.Contains(_failEndpoint))
        {
            return Task.FromException<IReadOnlyList<StoredEndpoint>>(new IOException($"simulated read failure for {_failEndpoint}"));
        }

        return targetMethod.Invoke(_inner, args);
    }
}
