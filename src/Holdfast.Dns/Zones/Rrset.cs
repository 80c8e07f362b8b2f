namespace Holdfast.Dns.Zones;

/// <summary>An RRset (RFC 2181 §5) as a zone snapshot stores it: one owner, type and TTL, one or more RDATA in wire form. Immutable.</summary>
public sealed class Rrset
{
    public Rrset(ushort type, uint ttl, IReadOnlyList<byte[]> rdata)
    {
        ArgumentNullException.ThrowIfNull(rdata);
        if (rdata.Count == 0)
        {
            throw new ArgumentException("an RRset has at least one record", nameof(rdata));
        }

        Type = type;
        Ttl = ttl;
        Rdata = [.. rdata];
    }

    public ushort Type { get; }

    public uint Ttl { get; }

    public byte[][] Rdata { get; }
}
