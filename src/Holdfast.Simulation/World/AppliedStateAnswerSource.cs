using System.Net;
using Holdfast.ControlPlane.Store;

namespace Holdfast.Simulation.World;

/// <summary>
/// Answers from the store's applied state, which is exactly what the DNS server's snapshot is built from.
/// Stands in until the Holdfast.Dns query engine is available to answer in process (issue 4).
/// </summary>
public sealed class AppliedStateAnswerSource(IControlStore store) : IAnswerSource
{
    public IReadOnlyList<IPAddress>? Resolve(string endpoint)
    {
        var applied = store.GetAppliedAsync(endpoint);
        // The simulated stores complete synchronously; anything else is a harness bug.
        if (!applied.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("the simulated store must complete synchronously");
        }

        return applied.Result is { } state ? [.. state.Records.Select(r => r.Address)] : null;
    }
}
