using System.Buffers.Binary;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Update;

/// <summary>
/// Writes UPDATE messages (RFC 2136 §2), optionally TSIG-signed (RFC 8945 §4.3.1, HMAC-SHA256). Names are written
/// uncompressed: always legal (RFC 2136 §2.2 leaves compression to the sender) and what a reader of unknown types needs.
/// </summary>
/// <remarks>
/// Header (RFC 2136 §2.2): ID, QR, OPCODE 5, RCODE; ZOCOUNT 1, PRCOUNT, UPCOUNT, ADCOUNT (0, or 1 with the TSIG).
/// Zone section (§2.3): ZNAME, ZTYPE SOA, ZCLASS IN.
/// </remarks>
public static class UpdateMessageWriter
{
    /// <summary>RFC 8945 §10: 300 seconds of clock difference tolerated.</summary>
    public const ushort DefaultFudge = 300;

    /// <summary>The message unsigned.</summary>
    public static byte[] Write(UpdateMessage message) => Write(message, null, default, out _);

    /// <summary>
    /// The message, signed with <paramref name="key"/> at <paramref name="now"/> when a key is given; <paramref name="mac"/> is
    /// the request MAC the response's TSIG chains to (empty when unsigned). Throws when the message would exceed 65535 octets.
    /// </summary>
    public static byte[] Write(UpdateMessage message, TsigKey? key, DateTimeOffset now, out byte[] mac)
    {
        ArgumentNullException.ThrowIfNull(message);
        var length = DnsConstants.HeaderLength + message.Zone.Length + 4
            + message.Prerequisites.Sum(RecordLength) + message.Updates.Sum(RecordLength);
        var total = length + (key is null ? 0 : Tsig.RecordLength(key));
        if (total > DnsConstants.TcpLimit)
        {
            throw new ArgumentException($"an UPDATE of {total} octets exceeds the {DnsConstants.TcpLimit} a DNS message can hold", nameof(message));
        }

        var buffer = new byte[total];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, message.Id);
        var flags = (message.IsResponse ? 0x8000 : 0) | (UpdateMessage.Opcode << 11) | (message.Rcode & 0x0F);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)flags);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], (ushort)message.Prerequisites.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)message.Updates.Length);
        var position = DnsConstants.HeaderLength;
        message.Zone.CopyTo(span[position..]);
        position += message.Zone.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[position..], DnsType.Soa);
        BinaryPrimitives.WriteUInt16BigEndian(span[(position + 2)..], DnsConstants.ClassIn);
        position += 4;
        foreach (var record in message.Prerequisites.Concat(message.Updates))
        {
            position = WriteRecord(span, position, record);
        }

        mac = [];
        if (key is null)
        {
            return buffer;
        }

        var signed = Tsig.Sign(buffer, length, key, [], timersOnly: false, (ulong)now.ToUnixTimeSeconds(), DefaultFudge, 0, [], out mac);
        return signed == buffer.Length ? buffer : buffer[..signed];
    }

    private static int RecordLength(ResourceRecord record) => record.Owner.Length + 10 + record.Data.Length;

    private static int WriteRecord(Span<byte> span, int position, ResourceRecord record)
    {
        record.Owner.CopyTo(span[position..]);
        position += record.Owner.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[position..], record.Type);
        BinaryPrimitives.WriteUInt16BigEndian(span[(position + 2)..], record.Class);
        BinaryPrimitives.WriteUInt32BigEndian(span[(position + 4)..], record.Ttl);
        BinaryPrimitives.WriteUInt16BigEndian(span[(position + 8)..], (ushort)record.Data.Length);
        position += 10;
        record.Data.CopyTo(span[position..]);
        return position + record.Data.Length;
    }
}
