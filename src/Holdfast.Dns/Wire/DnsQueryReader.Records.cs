using System.Buffers.Binary;
using Holdfast.Dns.Names;

namespace Holdfast.Dns.Wire;

/// <summary>The checks of one record's RDATA: EDNS options, TSIG fields and the form of the types Holdfast knows.</summary>
public static partial class DnsQueryReader
{
    private const ushort OptionNsid = 3;
    private const ushort OptionCookie = 10;
    private const ushort OptionKeepalive = 11;

    /// <summary>
    /// RFC 6891 §6.1.2: RDATA is a sequence of {OPTION-CODE, OPTION-LENGTH, OPTION-DATA} filling it exactly. The
    /// options Holdfast knows are read only when <paramref name="interpret"/> (EDNS version 0): the meaning of an
    /// option under a version we do not implement is unknown, and the answer is BADVERS.
    /// </summary>
    private static bool TryReadOptions(ReadOnlySpan<byte> packet, int offset, int length, bool interpret, ref ParsedQuery query)
    {
        var end = offset + length;
        var position = offset;
        while (position < end)
        {
            if (position + 4 > end)
            {
                return false;
            }

            var code = BinaryPrimitives.ReadUInt16BigEndian(packet[position..]);
            var optionLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 2)..]);
            var data = position + 4;
            if (data + optionLength > end)
            {
                return false;
            }

            switch (interpret ? code : 0)
            {
                // RFC 7873 §5.2.2: a client cookie alone is 8 octets; with a server cookie of 8 to 32 octets, 16 to 40.
                // Any other length is malformed, and so is a second COOKIE option (a query carries one cookie).
                case OptionCookie:
                    var malformed = query.CookieOffset != 0 || query.CookieMalformed || (optionLength != 8 && optionLength is < 16 or > 40);
                    query = malformed ? query with { CookieMalformed = true } : query with { CookieOffset = data, CookieLength = optionLength };
                    break;
                case OptionNsid:
                    query = query with { NsidRequested = true };
                    break;
                case OptionKeepalive:
                    query = query with { KeepaliveRequested = true };
                    break;
            }

            position = data + optionLength;
        }

        return true;
    }

    /// <summary>RFC 8945 §4.2: Algorithm Name, Time Signed (48 bits), Fudge, MAC Size, MAC, Original ID, Error, Other Len, Other Data.</summary>
    private static bool TryReadTsig(ReadOnlySpan<byte> packet, int offset, int length, out int algorithmLength)
    {
        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        var end = offset + length;
        if (!WireName.TryRead(packet[..end], offset, name, out algorithmLength, out var read) || read != algorithmLength)
        {
            return false;
        }

        var position = offset + read + 6 + 2;
        if (position + 2 > end)
        {
            return false;
        }

        position += 2 + BinaryPrimitives.ReadUInt16BigEndian(packet[position..]) + 2 + 2;
        if (position + 2 > end)
        {
            return false;
        }

        return position + 2 + BinaryPrimitives.ReadUInt16BigEndian(packet[position..]) == end;
    }

    /// <summary>
    /// True when RDATA has the form of its type. Names inside may be compressed for the RFC 1035 types (RFC 3597 §4)
    /// and must end exactly where their fields do; unknown types are opaque and always pass.
    /// </summary>
    private static bool IsWellFormedRdata(ReadOnlySpan<byte> packet, ushort type, int offset, int length)
    {
        var bounded = packet[..(offset + length)];
        switch (type)
        {
            case DnsType.A:
                return length == 4;
            case DnsType.Aaaa:
                return length == 16;
            case DnsType.Ns or DnsType.Cname or DnsType.Ptr:
                return NameEndsAt(bounded, offset) == offset + length;
            case DnsType.Mx:
                return length > 2 && NameEndsAt(bounded, offset + 2) == offset + length;
            case DnsType.Srv:
                return length > 6 && NameEndsAt(bounded, offset + 6) == offset + length;
            case DnsType.Soa:
                var rname = NameEndsAt(bounded, offset);
                var serials = rname < 0 ? -1 : NameEndsAt(bounded, rname);
                return serials >= 0 && serials + 20 == offset + length;
            case DnsType.Txt:
                // RFC 1035 §3.3.14: one or more <character-string>s, each a length octet and that many octets.
                if (length == 0)
                {
                    return false;
                }

                var position = offset;
                while (position < offset + length)
                {
                    position += 1 + packet[position];
                }

                return position == offset + length;
            default:
                return true;
        }
    }

    /// <summary>The offset just past the (possibly compressed) name at <paramref name="offset"/>, or -1.</summary>
    private static int NameEndsAt(ReadOnlySpan<byte> bounded, int offset)
    {
        Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
        return WireName.TryRead(bounded, offset, name, out _, out var read) ? offset + read : -1;
    }
}
