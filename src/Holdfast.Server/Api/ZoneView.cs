namespace Holdfast.Server.Api;

/// <summary>A zone as served: the SOA serial is the one in DNS answers now.</summary>
public sealed record ZoneView(string Apex, uint Serial, SoaView Soa, IReadOnlyList<string> Ns, int DefaultTtl, int Endpoints);
