using System.Text;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Names;

/// <summary>
/// Domain names in wire form (RFC 1035 §3.1: length-prefixed labels ending with the zero-length root).
/// Holdfast keys its zone data by lower-cased, uncompressed wire names; comparisons are ASCII
/// case-insensitive (RFC 4343) because the stored form is lower case and lookups lower-case first.
/// </summary>
public static class WireName
{
    /// <summary>RFC 1035 §4.1.4 allows pointers; with only backward pointers no loop is possible, and this bounds the work anyway.</summary>
    private const int MaxPointerHops = 64;

    /// <summary>
    /// Reads the (possibly compressed) name at <paramref name="offset"/> of <paramref name="message"/> into
    /// <paramref name="destination"/>, uncompressed and with its case kept.
    /// </summary>
    /// <param name="nameLength">Octets written to <paramref name="destination"/>, root included.</param>
    /// <param name="bytesRead">Octets the name occupies at <paramref name="offset"/> (up to and including its first pointer).</param>
    /// <returns>False for truncated input, forward or self pointers, too many hops, labels over 63 octets,
    /// names over 255 octets, or the reserved label types 0b01 and 0b10 (RFC 6891 §5 retired 0b01).</returns>
    public static bool TryRead(ReadOnlySpan<byte> message, int offset, Span<byte> destination, out int nameLength, out int bytesRead)
    {
        nameLength = 0;
        bytesRead = 0;
        var position = offset;
        var hops = 0;
        var consumed = -1;

        // Every pointer must point strictly before the label that holds it, so each hop moves backwards.
        var limit = offset;
        while (true)
        {
            if ((uint)position >= (uint)message.Length)
            {
                return false;
            }

            var length = message[position];
            switch (length & 0xC0)
            {
                case 0x00:
                    if (length == 0)
                    {
                        if (nameLength + 1 > DnsConstants.MaxNameLength || destination.Length < nameLength + 1)
                        {
                            return false;
                        }

                        destination[nameLength++] = 0;
                        bytesRead = consumed >= 0 ? consumed : position + 1 - offset;
                        return true;
                    }

                    if (position + 1 + length > message.Length || nameLength + 1 + length + 1 > DnsConstants.MaxNameLength || destination.Length < nameLength + 1 + length)
                    {
                        return false;
                    }

                    message.Slice(position, 1 + length).CopyTo(destination[nameLength..]);
                    nameLength += 1 + length;
                    position += 1 + length;
                    break;
                case 0xC0:
                    if (position + 1 >= message.Length || ++hops > MaxPointerHops)
                    {
                        return false;
                    }

                    var target = ((length & 0x3F) << 8) | message[position + 1];
                    if (consumed < 0)
                    {
                        consumed = position + 2 - offset;
                    }

                    // RFC 1035 §4.1.4: a pointer refers to a prior occurrence; forward and self pointers are hostile.
                    if (target >= limit || target >= position)
                    {
                        return false;
                    }

                    limit = target;
                    position = target;
                    break;
                default:
                    return false;
            }
        }
    }

    /// <summary>Lower-cases ASCII letters in place. Length octets are at most 63, below 'A', so they are never touched.</summary>
    public static void ToLower(Span<byte> name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            var b = name[i];
            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                name[i] = (byte)(b | 0x20);
            }
        }
    }

    /// <summary>
    /// The lower-cased wire form of a presentation name (<c>api.svc.example.</c>; a missing final dot is
    /// implied). Supports <c>\.</c> and <c>\DDD</c> escapes (RFC 1035 §5.1).
    /// </summary>
    public static byte[] FromText(string text)
    {
        if (!TryFromText(text, out var wire, out var error))
        {
            throw new FormatException($"'{text}' is not a domain name: {error}");
        }

        return wire;
    }

    public static bool TryFromText(string text, out byte[] wire, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        wire = [];
        error = "";
        if (text is "." or "")
        {
            wire = [0];
            return true;
        }

        var output = new List<byte>(text.Length + 2);
        var label = new List<byte>(DnsConstants.MaxLabelLength);
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                if (label.Count == 0)
                {
                    if (i == text.Length && i > 0 && text[i - 1] == '.')
                    {
                        break;
                    }

                    error = "empty label";
                    return false;
                }

                if (label.Count > DnsConstants.MaxLabelLength)
                {
                    error = $"label longer than {DnsConstants.MaxLabelLength} octets";
                    return false;
                }

                output.Add((byte)label.Count);
                output.AddRange(label);
                label.Clear();
                continue;
            }

            if (text[i] == '\\' && i + 1 < text.Length)
            {
                if (i + 3 < text.Length && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && char.IsAsciiDigit(text[i + 3]))
                {
                    var value = ((text[i + 1] - '0') * 100) + ((text[i + 2] - '0') * 10) + (text[i + 3] - '0');
                    if (value > 255)
                    {
                        error = "escape above \\255";
                        return false;
                    }

                    label.Add((byte)value);
                    i += 3;
                }
                else
                {
                    label.Add((byte)text[++i]);
                }

                continue;
            }

            if (text[i] > 0x7E || text[i] < 0x21)
            {
                error = $"character '{text[i]}' must be escaped";
                return false;
            }

            label.Add((byte)text[i]);
        }

        output.Add(0);
        if (output.Count > DnsConstants.MaxNameLength)
        {
            error = $"longer than {DnsConstants.MaxNameLength} octets";
            return false;
        }

        var bytes = output.ToArray();
        ToLower(bytes);
        wire = bytes;
        return true;
    }

    /// <summary>Presentation form with a final dot, escaping what RFC 1035 §5.1 requires.</summary>
    public static string ToText(ReadOnlySpan<byte> wire)
    {
        if (wire.Length <= 1)
        {
            return ".";
        }

        var text = new StringBuilder(wire.Length + 1);
        var i = 0;
        while (i < wire.Length && wire[i] != 0)
        {
            var length = wire[i++];
            for (var j = 0; j < length && i < wire.Length; j++, i++)
            {
                var b = wire[i];
                if (b is (byte)'.' or (byte)'\\' or (byte)'"' or (byte)';' or (byte)'(' or (byte)')' or (byte)'@' or (byte)'$')
                {
                    text.Append('\\').Append((char)b);
                }
                else if (b is < 0x21 or > 0x7E)
                {
                    text.Append('\\').Append(((int)b).ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append((char)b);
                }
            }

            text.Append('.');
        }

        return text.ToString();
    }

    /// <summary>Offset of the first label of each suffix, longest first: for <c>a.b.</c> that is 0 (a.b.), 2 (b.), 4 (.).</summary>
    public static int NextLabel(ReadOnlySpan<byte> wire, int offset) => offset + 1 + wire[offset];

    /// <summary>True when <paramref name="name"/> equals <paramref name="apex"/> or lies below it (both lower-case wire).</summary>
    public static bool IsAtOrBelow(ReadOnlySpan<byte> name, ReadOnlySpan<byte> apex)
    {
        for (var offset = 0; offset < name.Length; offset = NextLabel(name, offset))
        {
            if (name[offset..].SequenceEqual(apex))
            {
                return true;
            }

            if (name[offset] == 0)
            {
                break;
            }
        }

        return false;
    }
}
