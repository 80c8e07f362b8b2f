using System.Net;

namespace Holdfast.Simulation.World;

/// <summary>
/// What a client resolving an endpoint would get, observed at every step: the addresses answered, or null
/// when the name has no data yet. The invariant checker and the report read answers only through this seam.
/// </summary>
public interface IAnswerSource
{
    IReadOnlyList<IPAddress>? Resolve(string endpoint);
}
