using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Holdfast.Dns.Names;

namespace Holdfast.Dns.Records;

/// <summary>
/// Encoders of record data in wire form (RFC 1035 §3.3, RFC 3596, RFC 2782). Names inside RDATA are written
/// uncompressed: always legal, and what RFC 3597 §4 requires for types a receiver may not know.
/// </summary>
public static class Rdata
{
    /// <summary>A (RFC 1035 §3.4.1) for an IPv4 address, AAAA (RFC 3596 §2.2) for IPv6.</summary>
    public static byte[] Address(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? address.GetAddressBytes()
            : throw new ArgumentException($"{address} is not IPv4 or IPv6", nameof(address));
    }

    /// <summary>NS, CNAME, PTR: a single domain name.</summary>
    public static byte[] Name(string name) => WireName.FromText(name);

    /// <summary>SOA (RFC 1035 §3.3.13).</summary>
    public static byte[] Soa(string primary, string mailbox, uint serial, int refresh, int retry, int expire, int minimum)
    {
        var m = WireName.FromText(primary);
        var r = WireName.FromText(mailbox);
        var data = new byte[m.Length + r.Length + 20];
        m.CopyTo(data, 0);
        r.CopyTo(data, m.Length);
        var tail = data.AsSpan(m.Length + r.Length);
        BinaryPrimitives.WriteUInt32BigEndian(tail, serial);
        BinaryPrimitives.WriteInt32BigEndian(tail[4..], refresh);
        BinaryPrimitives.WriteInt32BigEndian(tail[8..], retry);
        BinaryPrimitives.WriteInt32BigEndian(tail[12..], expire);
        BinaryPrimitives.WriteInt32BigEndian(tail[16..], minimum);
        return data;
    }

    /// <summary>MX (RFC 1035 §3.3.9).</summary>
    public static byte[] Mx(ushort preference, string exchange)
    {
        var name = WireName.FromText(exchange);
        var data = new byte[2 + name.Length];
        BinaryPrimitives.WriteUInt16BigEndian(data, preference);
        name.CopyTo(data, 2);
        return data;
    }

    /// <summary>TXT (RFC 1035 §3.3.14): each string at most 255 octets.</summary>
    public static byte[] Txt(params string[] strings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        var output = new List<byte>();
        foreach (var s in strings)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            if (bytes.Length > 255)
            {
                throw new ArgumentException("a TXT string is at most 255 octets", nameof(strings));
            }

            output.Add((byte)bytes.Length);
            output.AddRange(bytes);
        }

        return [.. output];
    }

    /// <summary>SRV (RFC 2782).</summary>
    public static byte[] Srv(ushort priority, ushort weight, ushort port, string target)
    {
        var name = WireName.FromText(target);
        var data = new byte[6 + name.Length];
        BinaryPrimitives.WriteUInt16BigEndian(data, priority);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2), weight);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(4), port);
        name.CopyTo(data, 6);
        return data;
    }
}
