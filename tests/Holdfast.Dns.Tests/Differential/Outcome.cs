using System.Buffers.Binary;
using System.Globalization;
using Holdfast.Dns.Names;
using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Tests.Differential;

/// <summary>
/// What a server did with one query, reduced to what the differential test compares: the outcome class (drop,
/// or the RCODE with its extended bits), and for NOERROR and NXDOMAIN the AA and TC flags, the answer and
/// authority sections as sorted presentation lines (names lower-cased, compression undone) and whether an OPT
/// came back. The additional section is not compared: Knot adds addresses of MX and NS targets there (RFC 1034
/// §4.3.2 step 6 lets a server choose), Holdfast does not.
/// </summary>
public sealed record Outcome(string Class, string Detail)
{
    public static Outcome Drop { get; } = new("drop", "");

    public bool IsAnswer => Class is "NOERROR" or "NXDOMAIN";

    public override string ToString() => Detail.Length == 0 ? Class : $"{Class} {Detail}";

    public static Outcome Read(ReadOnlySpan<byte> response)
    {
        if (response.Length < DnsConstants.HeaderLength)
        {
            return new Outcome("short", Convert.ToHexString(response));
        }

        var flags = BinaryPrimitives.ReadUInt16BigEndian(response[2..]);
        var counts = new int[4];
        for (var i = 0; i < 4; i++)
        {
            counts[i] = BinaryPrimitives.ReadUInt16BigEndian(response[(4 + (2 * i))..]);
        }

        var sections = new[] { new List<string>(), new List<string>(), new List<string>(), new List<string>() };
        var position = DnsConstants.HeaderLength;
        var extended = 0;
        var hasOpt = false;
        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        for (var s = 0; s < 4; s++)
        {
            for (var i = 0; i < counts[s]; i++)
            {
                if (!WireName.TryRead(response, position, name, out var nameLength, out var read))
                {
                    return new Outcome("unreadable", $"name at {position}");
                }

                var owner = WireName.ToText(name[..nameLength]).ToLowerInvariant();
                position += read;
                if (position + (s == 0 ? 4 : 10) > response.Length)
                {
                    return new Outcome("unreadable", $"record at {position}");
                }

                var type = BinaryPrimitives.ReadUInt16BigEndian(response[position..]);
                if (s == 0)
                {
                    position += 4;
                    continue;
                }

                var ttl = BinaryPrimitives.ReadUInt32BigEndian(response[(position + 4)..]);
                var length = BinaryPrimitives.ReadUInt16BigEndian(response[(position + 8)..]);
                var rdata = position + 10;
                position = rdata + length;
                if (position > response.Length)
                {
                    return new Outcome("unreadable", $"rdata at {rdata}");
                }

                if (type == DnsType.Opt)
                {
                    hasOpt = true;
                    extended = (int)(ttl >> 24);
                    continue;
                }

                sections[s].Add(string.Create(CultureInfo.InvariantCulture, $"{owner} {ttl} {RecordTypes.Name(type)} {Rdata(response, type, rdata, length)}"));
            }
        }

        var rcode = (extended << 4) | (flags & 0xF);
        var rcodeName = rcode switch
        {
            0 => "NOERROR", 1 => "FORMERR", 2 => "SERVFAIL", 3 => "NXDOMAIN", 4 => "NOTIMP", 5 => "REFUSED", 9 => "NOTAUTH", 16 => "BADVERS",
            _ => "RCODE" + rcode.ToString(CultureInfo.InvariantCulture),
        };
        if (rcode is not (0 or 3))
        {
            return new Outcome(rcodeName, "");
        }

        sections[1].Sort(StringComparer.Ordinal);
        sections[2].Sort(StringComparer.Ordinal);
        var aa = (flags & 0x0400) != 0 ? " aa" : "";
        var tc = (flags & 0x0200) != 0 ? " tc" : "";
        var opt = hasOpt ? " opt" : "";
        return new Outcome(rcodeName, $"[{aa}{tc}{opt} ] answer: {string.Join(" | ", sections[1])}; authority: {string.Join(" | ", sections[2])}");
    }

    private static string Rdata(ReadOnlySpan<byte> message, ushort type, int start, int length)
    {
        return type switch
        {
            DnsType.Ns or DnsType.Cname or DnsType.Ptr => Name(message, start, out _),
            DnsType.Mx => $"{BinaryPrimitives.ReadUInt16BigEndian(message[start..])} {Name(message, start + 2, out _)}",
            DnsType.Soa => Soa(message, start),
            _ => Convert.ToHexString(message.Slice(start, length)),
        };
    }

    private static string Soa(ReadOnlySpan<byte> message, int start)
    {
        var mname = Name(message, start, out var mRead);
        var rname = Name(message, start + mRead, out var rRead);
        return $"{mname} {rname} {Convert.ToHexString(message.Slice(start + mRead + rRead, 20))}";
    }

    private static string Name(ReadOnlySpan<byte> message, int offset, out int read)
    {
        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        return WireName.TryRead(message, offset, name, out var length, out read) ? WireName.ToText(name[..length]).ToLowerInvariant() : "?";
    }
}
