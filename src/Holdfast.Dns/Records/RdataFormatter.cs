using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Records;

/// <summary>
/// Record data in presentation form (RFC 1035 §5.1) from its uncompressed wire form: the type's own form for
/// the types in <see cref="RecordTypes"/>, and the generic <c>\# length hex</c> of RFC 3597 §5 for any other
/// type or for data that does not decode as its type, so that every RDATA has a text that reads back to it.
/// </summary>
public static class RdataFormatter
{
    /// <summary>A full record line: <c>owner TTL IN TYPE rdata</c>.</summary>
    public static string FormatRecord(ReadOnlySpan<byte> owner, uint ttl, ushort type, ReadOnlySpan<byte> rdata) =>
        $"{WireName.ToText(owner)} {ttl.ToString(CultureInfo.InvariantCulture)} IN {RecordTypes.Name(type)} {Format(type, rdata)}";

    public static string Format(ushort type, ReadOnlySpan<byte> rdata) =>
        TryFormatKnown(type, rdata, out var text) ? text : Generic(rdata);

    /// <summary>RFC 3597 §5: <c>\# 3 abcdef</c>, or <c>\# 0</c> for empty data.</summary>
    public static string Generic(ReadOnlySpan<byte> rdata) =>
        rdata.IsEmpty ? "\\# 0" : $"\\# {rdata.Length.ToString(CultureInfo.InvariantCulture)} {Convert.ToHexStringLower(rdata)}";

    /// <summary>The type's own presentation form; false for unknown types and for data malformed for its type.</summary>
    public static bool TryFormatKnown(ushort type, ReadOnlySpan<byte> rdata, out string text)
    {
        text = "";
        var reader = new RdataReader(rdata);
        var output = new StringBuilder();
        switch (type)
        {
            case DnsType.A when rdata.Length == 4:
            case DnsType.Aaaa when rdata.Length == 16:
                text = new IPAddress(rdata).ToString();
                return true;
            case DnsType.Ns or DnsType.Cname or DnsType.Ptr:
                if (!reader.Name(output))
                {
                    return false;
                }

                break;
            case DnsType.Soa:
                if (!reader.Name(output) || !reader.Name(output.Append(' ')))
                {
                    return false;
                }

                for (var i = 0; i < 5; i++)
                {
                    if (!reader.UInt32(output.Append(' ')))
                    {
                        return false;
                    }
                }

                break;
            case DnsType.Mx:
                if (!reader.UInt16(output) || !reader.Name(output.Append(' ')))
                {
                    return false;
                }

                break;
            case DnsType.Srv:
                if (!reader.UInt16(output) || !reader.UInt16(output.Append(' ')) || !reader.UInt16(output.Append(' ')) || !reader.Name(output.Append(' ')))
                {
                    return false;
                }

                break;
            case DnsType.Txt:
                // RFC 1035 §3.3.14: one or more character strings.
                if (rdata.IsEmpty)
                {
                    return false;
                }

                while (!reader.AtEnd)
                {
                    if (output.Length > 0)
                    {
                        output.Append(' ');
                    }

                    if (!reader.CharacterString(output))
                    {
                        return false;
                    }
                }

                break;
            case DnsType.Caa:
                // RFC 8659 §4.1: flags, tag length, tag (ASCII letters and digits), value (the rest).
                if (rdata.Length < 2 || rdata[1] == 0 || rdata.Length < 2 + rdata[1] || !IsCaaTag(rdata.Slice(2, rdata[1])))
                {
                    return false;
                }

                output.Append(rdata[0].ToString(CultureInfo.InvariantCulture)).Append(' ')
                    .Append(Encoding.ASCII.GetString(rdata.Slice(2, rdata[1]))).Append(' ')
                    .Append(CharacterString.Quote(rdata[(2 + rdata[1])..]));
                text = output.ToString();
                return true;
            default:
                return false;
        }

        if (!reader.AtEnd)
        {
            return false;
        }

        text = output.ToString();
        return true;
    }

    internal static bool IsCaaTag(ReadOnlySpan<byte> tag)
    {
        foreach (var b in tag)
        {
            if (!char.IsAsciiLetterOrDigit((char)b))
            {
                return false;
            }
        }

        return !tag.IsEmpty;
    }

    /// <summary>Reads fields of uncompressed RDATA front to back, appending their presentation form.</summary>
    private ref struct RdataReader(ReadOnlySpan<byte> rdata)
    {
        private readonly ReadOnlySpan<byte> _rdata = rdata;
        private int _position;

        public readonly bool AtEnd => _position == _rdata.Length;

        public bool Name(StringBuilder output)
        {
            // Names in stored RDATA are uncompressed (RFC 3597 §4): a pointer here is malformed data.
            Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
            var rest = _rdata[_position..];
            if (!WireName.TryRead(rest, 0, name, out var length, out var read) || read != length)
            {
                return false;
            }

            output.Append(WireName.ToText(name[..length]));
            _position += read;
            return true;
        }

        public bool UInt16(StringBuilder output) => Number(output, 2);

        public bool UInt32(StringBuilder output) => Number(output, 4);

        /// <summary>An unsigned big-endian number of 2 or 4 octets.</summary>
        private bool Number(StringBuilder output, int octets)
        {
            if (_position + octets > _rdata.Length)
            {
                return false;
            }

            var field = _rdata.Slice(_position, octets);
            var value = octets == 2 ? BinaryPrimitives.ReadUInt16BigEndian(field) : BinaryPrimitives.ReadUInt32BigEndian(field);
            output.Append(value.ToString(CultureInfo.InvariantCulture));
            _position += octets;
            return true;
        }

        public bool CharacterString(StringBuilder output)
        {
            var length = _rdata[_position];
            if (_position + 1 + length > _rdata.Length)
            {
                return false;
            }

            output.Append(Records.CharacterString.Quote(_rdata.Slice(_position + 1, length)));
            _position += 1 + length;
            return true;
        }
    }
}
