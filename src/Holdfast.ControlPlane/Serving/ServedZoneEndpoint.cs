using Holdfast.Dns.Zones;

namespace Holdfast.ControlPlane.Serving;

/// <summary>One endpoint as a zone serves it: its name, TTL, answer limit and the addresses to answer (after the last-good rule).</summary>
public sealed record ServedZoneEndpoint(string Name, int Ttl, int MaxAnswers, IReadOnlyList<EndpointAddress> Addresses);
