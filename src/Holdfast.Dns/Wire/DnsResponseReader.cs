using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using Holdfast.Dns.Names;
using Holdfast.Dns.Update;

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
        if (!TrySkipQuestions(response, questions, out var position))
        {
            return false;
        }

        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];

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
    /// <summary>
    /// Reads <paramref name="response"/>'s RCODE, TC bit and every record of its answer section (owners lower-cased, RDATA
    /// as carried). False, with no records, when the message is not a well-formed response.
    /// </summary>
    public static bool TryReadAnswerRecords(ReadOnlySpan<byte> response, out int rcode, out bool truncated, out ImmutableArray<ResourceRecord> answers)
    {
        rcode = 0;
        truncated = false;
        answers = [];
        if (response.Length < DnsConstants.HeaderLength || (response[2] & 0x80) == 0)
        {
            return false;
        }

        if (!TrySkipQuestions(response, BinaryPrimitives.ReadUInt16BigEndian(response[4..]), out var position))
        {
            return false;
        }

        var records = ImmutableArray.CreateBuilder<ResourceRecord>();
        if (!UpdateMessageReader.TryReadRecords(response, ref position, BinaryPrimitives.ReadUInt16BigEndian(response[6..]), records))
        {
            return false;
        }

        rcode = response[3] & 0x0F;
        truncated = (response[2] & 0x02) != 0;
        answers = records.ToImmutable();
        return true;
    }

    /// <summary>The offset just past <paramref name="questions"/> questions (RFC 1035 §4.1.2: QNAME, QTYPE, QCLASS).</summary>
    private static bool TrySkipQuestions(ReadOnlySpan<byte> response, int questions, out int position)
    {
        position = DnsConstants.HeaderLength;
        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        for (var i = 0; i < questions; i++)
        {
            if (!WireName.TryRead(response, position, name, out _, out var read) || position + read + 4 > response.Length)
            {
                return false;
            }

            position += read + 4;
        }

        return true;
    }
}
