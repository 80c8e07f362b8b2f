using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store.Changes;

/// <summary>A plan was written for <paramref name="Endpoint"/> (enactors wake on it).</summary>
public sealed record PlanWrittenChange(long Revision, string Endpoint, Generation Generation, PlanOrigin Origin) : StoreChange(Revision);
