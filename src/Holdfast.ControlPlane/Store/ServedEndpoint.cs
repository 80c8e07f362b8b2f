using System.Collections.Immutable;
using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>What the DNS server needs of one endpoint: where and how it answers, and the records now live (empty before the first apply).</summary>
public sealed record ServedEndpoint(string Name, string Zone, int Ttl, int MaxAnswers, Generation Generation, ImmutableArray<PlanRecord> Records);
