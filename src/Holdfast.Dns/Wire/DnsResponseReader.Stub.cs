using System.Buffers.Binary;
using System.Net;
using Holdfast.Dns.Names;

namespace Holdfast.Dns.Wire;

public static partial class DnsResponseReader
{
    private const int HeaderFlagsTc = 0x02;

    /// <summary>
    /// Reads a response to the one-question query (<paramref name="questionName"/>, <paramref name="questionType"/>, IN)
    /// as a stub resolver needs it: ID, RCODE, TC, the answer section's A and AAAA addresses with their smallest
    /// TTL, and the negative-caching TTL from the authority SOA. Returns false, adding nothing, when the message is
    /// malformed, not a response, or answers another question (RFC 5452 §9.1: the question must match).
    /// </summary>
    /// <param name="questionName">Wire form of the asked name, compared ASCII case-insensitively (RFC 4343).</param>
    public static bool TryReadStubResponse(ReadOnlySpan<byte> response, ReadOnlySpan<byte> questionName, ushort questionType, List<IPAddress> addresses, out StubResponse result)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        result = default;
        if (response.Length < DnsConstants.HeaderLength || (response[2] & 0x80) == 0)
        {
            return false;
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(response);
        var truncated = (response[2] & HeaderFlagsTc) != 0;
        var rcode = response[3] & 0x0F;
        var questions = BinaryPrimitives.ReadUInt16BigEndian(response[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(response[6..]);
        var authorities = BinaryPrimitives.ReadUInt16BigEndian(response[8..]);
        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];

        // RFC 1035 §4.1.2. A server may answer FORMERR or a truncated reply without the question (RFC 6891 §7);
        // such a reply still carries the RCODE and TC, so zero questions are accepted, more than one are not.
        if (questions > 1)
        {
            return false;
        }

        var position = DnsConstants.HeaderLength;
        if (questions == 1)
        {
            if (!WireName.TryRead(response, position, name, out var nameLength, out var read) || position + read + 4 > response.Length)
            {
                return false;
            }

            WireName.ToLower(name[..nameLength]);
            var type = BinaryPrimitives.ReadUInt16BigEndian(response[(position + read)..]);
            var klass = BinaryPrimitives.ReadUInt16BigEndian(response[(position + read + 2)..]);
            if (!SameName(name[..nameLength], questionName) || type != questionType || klass != DnsConstants.ClassIn)
            {
                return false;
            }

            position += read + 4;
        }

        var found = new List<IPAddress>();
        var addressTtl = uint.MaxValue;
        uint? negativeTtl = null;
        for (var i = 0; i < answers + authorities; i++)
        {
            // RFC 1035 §4.1.3: NAME, TYPE, CLASS, TTL, RDLENGTH, RDATA.
            if (!WireName.TryRead(response, position, name, out _, out var read) || position + read + 10 > response.Length)
            {
                return false;
            }

            position += read;
            var type = BinaryPrimitives.ReadUInt16BigEndian(response[position..]);
            var ttl = ClampTtl(BinaryPrimitives.ReadUInt32BigEndian(response[(position + 4)..]));
            var length = BinaryPrimitives.ReadUInt16BigEndian(response[(position + 8)..]);
            position += 10;
            if (position + length > response.Length)
            {
                return false;
            }

            if (i < answers && ((type == DnsType.A && length == 4) || (type == DnsType.Aaaa && length == 16)))
            {
                found.Add(new IPAddress(response.Slice(position, length)));
                addressTtl = Math.Min(addressTtl, ttl);
            }
            else if (i >= answers && type == DnsType.Soa && length >= 20)
            {
                // RFC 1035 §3.3.13: MINIMUM is the last 32-bit field of the SOA RDATA.
                var minimum = ClampTtl(BinaryPrimitives.ReadUInt32BigEndian(response[(position + length - 4)..]));
                negativeTtl = Math.Min(ttl, minimum);
            }

            position += length;
        }

        addresses.AddRange(found);
        result = new StubResponse(id, rcode, truncated, found.Count, found.Count == 0 ? 0 : addressTtl, negativeTtl);
        return true;
    }

    /// <summary>RFC 2181 §8: a TTL with the top bit set is treated as zero.</summary>
    private static uint ClampTtl(uint ttl) => ttl > int.MaxValue ? 0 : ttl;

    private static bool SameName(ReadOnlySpan<byte> lowered, ReadOnlySpan<byte> expected)
    {
        if (lowered.Length != expected.Length)
        {
            return false;
        }

        for (var i = 0; i < lowered.Length; i++)
        {
            var b = expected[i];
            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                b = (byte)(b + 32);
            }

            if (lowered[i] != b)
            {
                return false;
            }
        }

        return true;
    }
}
