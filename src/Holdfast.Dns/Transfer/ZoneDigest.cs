using System.Buffers.Binary;
using System.Security.Cryptography;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// A digest of a zone's transferred content (the records of <see cref="ZoneContent.Records"/>, SOA excluded) that a
/// journal step can carry forward in O(changed): the sum, modulo 2^64, of the first 8 octets of SHA-256 over each
/// record (owner, type, TTL, RDATA). A sum of one value per record is the same in any order and moves by exactly
/// the records a step deletes and adds, so the digest after a step is the digest before, minus its deletions,
/// plus its additions. It detects a zone whose content differs at the same serial (a file edited while the server
/// was stopped, without a new serial); it is not a defence against a crafted collision, and needs none.
/// </summary>
internal static class ZoneDigest
{
    /// <summary>O(records): once per history start, never per publish.</summary>
    public static ulong Of(ZoneSnapshot zone)
    {
        var digest = 0UL;
        foreach (var record in ZoneContent.Records(zone))
        {
            digest += Hash(record);
        }

        return digest;
    }

    /// <summary>The digest of the zone after <paramref name="step"/>, from the digest before it. O(changed records).</summary>
    public static ulong After(ulong before, ZoneDiff step)
    {
        var digest = before;
        foreach (var record in step.Deleted)
        {
            digest -= Hash(record);
        }

        foreach (var record in step.Added)
        {
            digest += Hash(record);
        }

        return digest;
    }

    private static ulong Hash(TransferRecord record)
    {
        var length = record.Owner.Length + 6 + record.Rdata.Length;
        Span<byte> input = length <= 512 ? stackalloc byte[length] : new byte[length];
        record.Owner.CopyTo(input);
        BinaryPrimitives.WriteUInt16BigEndian(input[record.Owner.Length..], record.Type);
        BinaryPrimitives.WriteUInt32BigEndian(input[(record.Owner.Length + 2)..], record.Ttl);
        record.Rdata.CopyTo(input[(record.Owner.Length + 6)..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
