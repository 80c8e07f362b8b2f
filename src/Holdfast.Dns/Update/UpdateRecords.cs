using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Update;

/// <summary>
/// The records of RFC 2136 §2.4 (prerequisites) and §2.5 (updates), each named for what it means. The class, TTL and
/// RDATA encode the meaning:
/// <code>
/// meaning                          CLASS   TYPE    TTL  RDATA   RFC 2136
/// RRset exists (any value)         ANY     type    0    empty   §2.4.1
/// RRset exists, exactly these      zone    type    0    values  §2.4.2 (one record per value; the set must match)
/// RRset does not exist             NONE    type    0    empty   §2.4.3
/// name is in use                   ANY     ANY     0    empty   §2.4.4
/// name is not in use               NONE    ANY     0    empty   §2.4.5
/// add to an RRset                  zone    type    ttl  value   §2.5.1
/// delete an RRset                  ANY     type    0    empty   §2.5.2
/// delete all RRsets of a name      ANY     ANY     0    empty   §2.5.3
/// delete one record                NONE    type    0    value   §2.5.4
/// </code>
/// Owners are presentation names (lower-cased into wire form); the zone class is IN.
/// </summary>
public static class UpdateRecords
{
    public static ResourceRecord RrsetExists(string owner, ushort type) => new(WireName.FromText(owner), type, DnsConstants.ClassAny, 0, []);

    public static ResourceRecord RrsetExistsWithValue(string owner, ushort type, byte[] data) => new(WireName.FromText(owner), type, DnsConstants.ClassIn, 0, data);

    public static ResourceRecord RrsetDoesNotExist(string owner, ushort type) => new(WireName.FromText(owner), type, DnsConstants.ClassNone, 0, []);

    public static ResourceRecord NameInUse(string owner) => new(WireName.FromText(owner), DnsType.Any, DnsConstants.ClassAny, 0, []);

    public static ResourceRecord NameNotInUse(string owner) => new(WireName.FromText(owner), DnsType.Any, DnsConstants.ClassNone, 0, []);

    public static ResourceRecord Add(string owner, ushort type, uint ttl, byte[] data) => new(WireName.FromText(owner), type, DnsConstants.ClassIn, ttl, data);

    public static ResourceRecord DeleteRrset(string owner, ushort type) => new(WireName.FromText(owner), type, DnsConstants.ClassAny, 0, []);

    public static ResourceRecord DeleteName(string owner) => new(WireName.FromText(owner), DnsType.Any, DnsConstants.ClassAny, 0, []);

    public static ResourceRecord DeleteRecord(string owner, ushort type, byte[] data) => new(WireName.FromText(owner), type, DnsConstants.ClassNone, 0, data);
}
