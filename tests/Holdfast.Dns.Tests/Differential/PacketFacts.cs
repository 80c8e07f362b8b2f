using System.Buffers.Binary;
using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Tests.Differential;

/// <summary>
/// A lenient walk over a generated packet, reading as far as it can, so that <see cref="KnownDifferences"/> can
/// say which documented rule a disagreement comes from. Not a validator: it never decides an outcome.
/// </summary>
public sealed class PacketFacts
{
    private PacketFacts()
    {
    }

    public int QuestionCount { get; private init; }

    public int Opcode { get; private init; }

    /// <summary>The single question was read whole (name, type, class).</summary>
    public bool QuestionReadable { get; private set; }

    public ushort QuestionType { get; private set; }

    public ushort QuestionClass { get; private set; }

    public bool OptOwnerNotRoot { get; private set; }

    public bool EdnsVersionAboveZero { get; private set; }

    public bool MalformedCookie { get; private set; }

    public bool HasCookie => CookieCount > 0;

    public int CookieCount { get; private set; }

    public bool QuestionIsRoot { get; private set; }

    public bool HasRecords { get; private set; }

    public bool TsigLast { get; private set; }

    public bool TsigClassNotAny { get; private set; }

    public bool TxtMalformed { get; private set; }

    /// <summary>A record of a type whose RDATA Holdfast's reader does not interpret (RFC 3597 opaque) outside private use.</summary>
    public bool OpaqueTypeRecord { get; private set; }

    private static readonly ushort[] s_checkedTypes = [1, 2, 5, 6, 12, 15, 16, 28, 33, 41, 250];

    public static PacketFacts Of(byte[] packet)
    {
        if (packet.Length < DnsConstants.HeaderLength)
        {
            return new PacketFacts();
        }

        var facts = new PacketFacts { QuestionCount = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(4)), Opcode = (packet[2] >> 3) & 0xF };
        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        if (facts.QuestionCount == 0 || !WireName.TryRead(packet, DnsConstants.HeaderLength, name, out var length, out var read) || length != read
            || DnsConstants.HeaderLength + read + 4 > packet.Length)
        {
            return facts;
        }

        var position = DnsConstants.HeaderLength + read;
        facts.QuestionReadable = true;
        facts.QuestionIsRoot = length == 1;
        facts.QuestionType = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(position));
        facts.QuestionClass = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(position + 2));
        position += 4;
        var records = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(6)) + BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(8)) + BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(10));
        facts.HasRecords = records > 0;
        for (var i = 0; i < records; i++)
        {
            if (!WireName.TryRead(packet, position, name, out var ownerLength, out var ownerRead) || position + ownerRead + 10 > packet.Length)
            {
                return facts;
            }

            var header = packet.AsSpan(position + ownerRead);
            var type = BinaryPrimitives.ReadUInt16BigEndian(header);
            var @class = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
            var rdLength = BinaryPrimitives.ReadUInt16BigEndian(header[8..]);
            var rdata = position + ownerRead + 10;
            if (rdata + rdLength > packet.Length)
            {
                return facts;
            }

            facts.OpaqueTypeRecord |= Array.IndexOf(s_checkedTypes, type) < 0 && type < 65280;
            switch (type)
            {
                case DnsType.Opt:
                    facts.OptOwnerNotRoot |= ownerLength != 1;
                    facts.EdnsVersionAboveZero |= header[5] != 0;
                    facts.ReadOptions(packet.AsSpan(rdata, rdLength));
                    break;
                case 250:
                    facts.TsigLast = i == records - 1;
                    facts.TsigClassNotAny |= @class != 255;
                    break;
                case DnsType.Txt:
                    var p = 0;
                    while (p < rdLength)
                    {
                        p += 1 + packet[rdata + p];
                    }

                    facts.TxtMalformed |= p != rdLength || rdLength == 0;
                    break;
            }

            position = rdata + rdLength;
        }

        return facts;
    }

    private void ReadOptions(ReadOnlySpan<byte> rdata)
    {
        var p = 0;
        while (p + 4 <= rdata.Length)
        {
            var code = BinaryPrimitives.ReadUInt16BigEndian(rdata[p..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(rdata[(p + 2)..]);
            if (code == 10)
            {
                CookieCount++;
                MalformedCookie |= length != 8 && length is < 16 or > 40;
            }

            p += 4 + length;
        }
    }
}
