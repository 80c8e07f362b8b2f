using Holdfast.Dns.Names;
using Holdfast.Dns.Records;

namespace Holdfast.Dns.Wire;

/// <summary>
/// One resource record as it stands in a message (RFC 1035 §4.1.3): lower-case uncompressed owner, type, class, TTL and
/// RDATA exactly as carried. Names inside RDATA are not expanded, so compare RDATA only for types without names (A, AAAA,
/// TXT) or for messages written uncompressed. Equality is by value.
/// </summary>
public sealed record ResourceRecord(byte[] Owner, ushort Type, ushort Class, uint Ttl, byte[] Data)
{
    public bool Equals(ResourceRecord? other) =>
        other is not null && Type == other.Type && Class == other.Class && Ttl == other.Ttl &&
        Owner.AsSpan().SequenceEqual(other.Owner) && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => HashCode.Combine(Type, Class, Ttl, Owner.Length, Data.Length);

    /// <summary>Presentation form with the class spelt out (<c>IN</c>, <c>ANY</c>, <c>NONE</c>), for logs and test failures.</summary>
    public override string ToString() =>
        $"{WireName.ToText(Owner)} {Ttl} {ClassName(Class)} {RecordTypes.Name(Type)} {(Data.Length == 0 ? "" : RdataFormatter.Format(Type, Data))}".TrimEnd();

    private static string ClassName(ushort value) => value switch
    {
        DnsConstants.ClassIn => "IN",
        DnsConstants.ClassNone => "NONE",
        DnsConstants.ClassAny => "ANY",
        _ => "CLASS" + value,
    };
}
