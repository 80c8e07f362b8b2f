using System.Text;

namespace Holdfast.Dns.Records;

/// <summary>
/// RFC 1035 §5.1 character strings: <c>\X</c> is the character X, <c>\DDD</c> the octet with decimal value DDD;
/// every other character stands for itself, non-ASCII text as its UTF-8 octets.
/// </summary>
public static class CharacterString
{
    /// <summary>Resolves the escapes of <paramref name="text"/> into octets.</summary>
    public static bool TryDecode(string text, out byte[] octets, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        octets = [];
        error = "";
        var output = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                if (c < 0x80)
                {
                    output.Add((byte)c);
                    continue;
                }

                var rune = Rune.GetRuneAt(text, i);
                var written = rune.EncodeToUtf8(utf8);
                for (var k = 0; k < written; k++)
                {
                    output.Add(utf8[k]);
                }

                i += rune.Utf16SequenceLength - 1;
                continue;
            }

            if (i + 1 >= text.Length)
            {
                error = "a backslash ends the string";
                return false;
            }

            if (char.IsAsciiDigit(text[i + 1]))
            {
                if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
                {
                    error = "\\DDD needs exactly three decimal digits";
                    return false;
                }

                var value = ((text[i + 1] - '0') * 100) + ((text[i + 2] - '0') * 10) + (text[i + 3] - '0');
                if (value > 255)
                {
                    error = $"\\{text.Substring(i + 1, 3)} is above \\255";
                    return false;
                }

                output.Add((byte)value);
                i += 3;
                continue;
            }

            if (text[i + 1] >= 0x80)
            {
                error = "only ASCII characters may follow a backslash";
                return false;
            }

            output.Add((byte)text[++i]);
        }

        octets = [.. output];
        return true;
    }

    /// <summary>
    /// The quoted presentation form of <paramref name="octets"/>: <c>"</c> and <c>\</c> escaped with a backslash,
    /// octets outside printable ASCII as <c>\DDD</c>, so that the text reads back to the same octets.
    /// </summary>
    public static string Quote(ReadOnlySpan<byte> octets)
    {
        var text = new StringBuilder(octets.Length + 2).Append('"');
        foreach (var b in octets)
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                text.Append('\\').Append((char)b);
            }
            else if (b is < 0x20 or > 0x7E)
            {
                text.Append('\\').Append(((int)b).ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append((char)b);
            }
        }

        return text.Append('"').ToString();
    }
}
