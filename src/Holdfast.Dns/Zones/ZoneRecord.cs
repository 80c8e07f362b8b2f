using Holdfast.Dns.Records;

namespace Holdfast.Dns.Zones;

/// <summary>One resource record read from a master file: lower-case wire owner, class IN, uncompressed RDATA.</summary>
public sealed record ZoneRecord(byte[] Owner, uint Ttl, ushort Type, byte[] Rdata, int Line)
{
    /// <summary>The record in presentation form, <c>owner TTL IN TYPE rdata</c>.</summary>
    public override string ToString() => RdataFormatter.FormatRecord(Owner, Ttl, Type, Rdata);
}
