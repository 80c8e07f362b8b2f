using System.Buffers.Binary;
using System.Net;
using Holdfast.Dns.Names;
using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Tests;

/// <summary>
/// A test-side reading of a response into presentation lines, one per record
/// (<c>api.svc.example. 60 A 127.0.0.1</c>), so that cases compare section by section as text.
/// </summary>
public sealed record ResponseView(ushort Id, ushort Flags, int Rcode, string[] Question, string[] Answer, string[] Authority, string[] Additional)
{
    public bool Aa => (Flags & 0x0400) != 0;

    public bool Tc => (Flags & 0x0200) != 0;

    public bool Qr => (Flags & 0x8000) != 0;

    public static ResponseView Parse(ReadOnlySpan<byte> message)
    {
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var counts = new int[4];
        for (var i = 0; i < 4; i++)
        {
            counts[i] = BinaryPrimitives.ReadUInt16BigEndian(message[(4 + (2 * i))..]);
        }

        var position = 12;
        var sections = new List<string>[4];
        Span<byte> name = stackalloc byte[255];
        var extendedRcode = 0;
        for (var s = 0; s < 4; s++)
        {
            sections[s] = [];
            for (var i = 0; i < counts[s]; i++)
            {
                WireName.TryRead(message, position, name, out var nameLength, out var read).ShouldBeTrue($"name at {position}");
                var owner = WireName.ToText(name[..nameLength]);
                position += read;
                var type = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
                var @class = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 2)..]);
                if (s == 0)
                {
                    sections[s].Add($"{owner} {TypeName(type)}");
                    position += 4;
                    continue;
                }

                var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(position + 4)..]);
                var rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
                var rdataStart = position + 10;
                position = rdataStart + rdLength;
                if (type == DnsType.Opt)
                {
                    extendedRcode = (int)(ttl >> 24);
                    sections[s].Add($"OPT {@class} do={(ttl & 0x8000) != 0}");
                    continue;
                }

                sections[s].Add($"{owner} {ttl} {TypeName(type)} {RdataText(message, rdataStart, rdLength, type)}");
            }
        }

        position.ShouldBe(message.Length, "no bytes after the last record");
        return new ResponseView(BinaryPrimitives.ReadUInt16BigEndian(message), flags, (extendedRcode << 4) | (flags & 0xF),
            [.. sections[0]], [.. sections[1]], [.. sections[2]], [.. sections[3]]);
    }

    private static string TypeName(ushort type) => RecordTypes.Name(type);

    private static string RdataText(ReadOnlySpan<byte> message, int start, int length, ushort type)
    {
        var rdata = message.Slice(start, length);
        Span<byte> name = stackalloc byte[255];
        switch (type)
        {
            case DnsType.A or DnsType.Aaaa:
                return new IPAddress(rdata).ToString();
            case DnsType.Ns or DnsType.Cname:
                WireName.TryRead(message, start, name, out var n, out _).ShouldBeTrue();
                return WireName.ToText(name[..n]);
            case DnsType.Soa:
                WireName.TryRead(message, start, name, out var m, out var mRead).ShouldBeTrue();
                var mname = WireName.ToText(name[..m]);
                WireName.TryRead(message, start + mRead, name, out var r, out var rRead).ShouldBeTrue();
                var tail = message[(start + mRead + rRead)..];
                return $"{mname} {WireName.ToText(name[..r])} {BinaryPrimitives.ReadUInt32BigEndian(tail)} {BinaryPrimitives.ReadUInt32BigEndian(tail[4..])} {BinaryPrimitives.ReadUInt32BigEndian(tail[8..])} {BinaryPrimitives.ReadUInt32BigEndian(tail[12..])} {BinaryPrimitives.ReadUInt32BigEndian(tail[16..])}";
            default:
                // Holdfast writes names inside other RDATA uncompressed (RFC 3597 §4), so the data reads alone.
                return RdataFormatter.Format(type, rdata);
        }
    }
}
