using System.Net;

namespace Holdfast.Dns.Zones;

/// <summary>One address of an endpoint and its weight (≥ 1) in weighted answers.</summary>
public readonly record struct EndpointAddress(IPAddress Address, int Weight = 1);
