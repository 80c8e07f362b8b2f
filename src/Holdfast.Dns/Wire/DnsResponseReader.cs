using System.Buffers.Binary;
using System.Net;
using Holdfast.Dns.Names;

namespace Holdfast.Dns.Wire;

/// <summary>
/// Reads what a stub resolver needs from a response: the RCODE and the A/AAAA addresses in the answer section.
/// For in-process observers (the simulator's clients) and tests; never throws on malformed input.
/// </summary>
public static partial class DnsResponseReader
{
    /// <summary>
    /// Reads <paramref name="response"/>'s RCODE and adds every A and AAAA address of its answer section to
    /// <paramref name="addresses"/>. Returns false, adding nothing, when the message is not a well-formed response.
    /// </summary>
    public static bool TryReadAnswerAddresses(ReadOnlySpan<byte> response, List<IPAddress> addresses, out int rcode)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        rcode = 0;
        if (response.Length < DnsConstants.HeaderLength || (response[2] & 0x80) == 0)
        {
            return false;
        }

        rcode = response[3] & 0x0F;
        var questions = BinaryPrimitives.ReadUInt16BigEndian(response[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(response[6..]);
        var position = DnsConstants.HeaderLength;
        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        for (var i = 0; i < questions; i++)
        {
            // RFC 1035 §4.1.2: QNAME, QTYPE, QCLASS.
            if (!WireName.TryRead(response, position, name, out _, out var read) || position + read + 4 > response.Length)
            {
                return false;
            }

            position += read + 4;
        }

        var found = new List<IPAddress>();
        for (var i = 0; i < answers; i++)
        {
            // RFC 1035 §4.1.3: NAME, TYPE, CLASS, TTL, RDLENGTH, RDATA.
            if (!WireName.TryRead(response, position, name, out _, out var read) || position + read + 10 > response.Length)
            {
                return false;
            }

            position += read;
            var type = BinaryPrimitives.ReadUInt16BigEndian(response[position..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(response[(position + 8)..]);
            position += 10;
            if (position + length > response.Length)
            {
                return false;
            }

            if ((type == DnsType.A && length == 4) || (type == DnsType.Aaaa && length == 16))
            {
                found.Add(new IPAddress(response.Slice(position, length)));
            }

            position += length;
        }

        addresses.AddRange(found);
        return true;
    }
}
