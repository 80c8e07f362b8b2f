using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Records;

/// <summary>
/// Record data from presentation form (RFC 1035 §5.1 and the type's RFC) into uncompressed wire form.
/// Any type, known or not, may be written in the generic form <c>\# length hex…</c> of RFC 3597 §5; for a
/// known type the octets must then decode as that type (RFC 3597 §5: "the RDATA must be valid").
/// Never throws on bad input: returns false with an error naming the bad token.
/// </summary>
public static class RdataParser
{
    /// <param name="origin">Absolute origin (presentation form) for relative names inside the data.</param>
    /// <param name="badToken">On failure, the index of the token at fault (or the count when one is missing).</param>
    public static bool TryParse(ushort type, IReadOnlyList<PresentationToken> tokens, string origin, out byte[] rdata, out string error, out int badToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(origin);
        var cursor = new Cursor(tokens, origin);
        var ok = tokens.Count > 0 && tokens[0] is { Quoted: false, Text: "\\#" }
            ? cursor.Generic(type)
            : type switch
            {
                DnsType.A => cursor.Address(AddressFamily.InterNetwork),
                DnsType.Aaaa => cursor.Address(AddressFamily.InterNetworkV6),
                DnsType.Ns or DnsType.Cname or DnsType.Ptr => cursor.Name(),
                DnsType.Soa => cursor.Name() && cursor.Name() && cursor.UInt32("serial") && cursor.Ttl("refresh") && cursor.Ttl("retry") && cursor.Ttl("expire") && cursor.Ttl("minimum"),
                DnsType.Mx => cursor.UInt16("preference") && cursor.Name(),
                DnsType.Srv => cursor.UInt16("priority") && cursor.UInt16("weight") && cursor.UInt16("port") && cursor.Name(),
                DnsType.Txt => cursor.Strings(),
                DnsType.Caa => cursor.Caa(),
                _ => cursor.Fail($"no presentation form is known for {RecordTypes.Name(type)}: write its data as \\# LENGTH HEX (RFC 3597 §5)"),
            };
        if (ok && !cursor.AtEnd)
        {
            ok = cursor.Fail($"unexpected '{cursor.Current.Text}' after the {RecordTypes.Name(type)} data");
        }

        rdata = ok ? [.. cursor.Output] : [];
        error = cursor.Error;
        badToken = cursor.ErrorIndex;
        return ok;
    }

    /// <summary>
    /// A TTL or SOA timer: decimal seconds, or the unit form <c>1w2d3h4m5s</c> that BIND, Knot and NSD accept;
    /// at most 2^31 − 1 (RFC 2181 §8).
    /// </summary>
    public static bool TryParseTtl(string text, out uint seconds)
    {
        ArgumentNullException.ThrowIfNull(text);
        seconds = 0;
        if (text.Length == 0 || !char.IsAsciiDigit(text[0]))
        {
            return false;
        }

        ulong total = 0;
        ulong number = 0;
        var digits = 0;
        var lastWasUnit = false;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                number = (number * 10) + (ulong)(c - '0');
                if (++digits > 10)
                {
                    return false;
                }

                lastWasUnit = false;
                continue;
            }

            ulong unit = char.ToLowerInvariant(c) switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, 'w' => 604800, _ => 0 };
            if (unit == 0 || digits == 0)
            {
                return false;
            }

            total += number * unit;
            number = 0;
            digits = 0;
            lastWasUnit = true;
        }

        total += lastWasUnit ? 0 : number;
        if (total > int.MaxValue)
        {
            return false;
        }

        seconds = (uint)total;
        return true;
    }

    private sealed class Cursor(IReadOnlyList<PresentationToken> tokens, string origin)
    {
        private int _index;

        public List<byte> Output { get; } = [];

        public string Error { get; private set; } = "";

        public int ErrorIndex { get; private set; }

        public bool AtEnd => _index >= tokens.Count;

        public PresentationToken Current => tokens[_index];

        public bool Fail(string message)
        {
            Error = message;
            ErrorIndex = Math.Min(_index, tokens.Count);
            return false;
        }

        public bool Address(AddressFamily family)
        {
            if (!Take("an address", out var token))
            {
                return false;
            }

            // IPAddress.TryParse reads "1" as 0.0.0.1 and accepts scope ids: the master file form is stricter.
            var valid = IPAddress.TryParse(token.Text, out var address) && address.AddressFamily == family
                && (family == AddressFamily.InterNetwork
                    ? token.Text.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit))
                    : !token.Text.Contains('%', StringComparison.Ordinal));
            if (!valid)
            {
                return Back($"'{token.Text}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address");
            }

            Output.AddRange(address!.GetAddressBytes());
            return true;
        }

        public bool Name()
        {
            if (!Take("a domain name", out var token))
            {
                return false;
            }

            if (!RelativeName.TryResolve(token.Text, origin, out var wire, out var error))
            {
                return Back(error);
            }

            Output.AddRange(wire);
            return true;
        }

        public bool UInt16(string field)
        {
            if (!Take(field, out var token))
            {
                return false;
            }

            if (!ushort.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return Back($"{field} '{token.Text}' is not a number from 0 to 65535");
            }

            Span<byte> bytes = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
            Output.AddRange(bytes);
            return true;
        }

        public bool UInt32(string field)
        {
            if (!Take(field, out var token))
            {
                return false;
            }

            return uint.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? Append32(value)
                : Back($"{field} '{token.Text}' is not a number from 0 to 4294967295");
        }

        public bool Ttl(string field)
        {
            if (!Take(field, out var token))
            {
                return false;
            }

            // Plain decimal may use the whole 32 bits of the field (RFC 1035 §3.3.13); the unit form is a TTL.
            return uint.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || TryParseTtl(token.Text, out value)
                ? Append32(value)
                : Back($"{field} '{token.Text}' is not a number of seconds (units s m h d w allowed)");
        }

        public bool Strings()
        {
            if (AtEnd)
            {
                return Fail("TXT needs at least one string");
            }

            while (!AtEnd)
            {
                var token = tokens[_index++];
                if (!CharacterString.TryDecode(token.Text, out var octets, out var error))
                {
                    return Back(error);
                }

                if (octets.Length > 255)
                {
                    return Back($"a TXT string is at most 255 octets, this one is {octets.Length} (split it into several strings)");
                }

                Output.Add((byte)octets.Length);
                Output.AddRange(octets);
            }

            return true;
        }

        public bool Caa()
        {
            // RFC 8659 §4.1.1: flags tag value.
            if (!Take("flags", out var flagsToken))
            {
                return false;
            }

            if (!byte.TryParse(flagsToken.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var flags))
            {
                return Back($"CAA flags '{flagsToken.Text}' is not a number from 0 to 255");
            }

            if (!Take("a tag", out var tagToken))
            {
                return false;
            }

            var tag = System.Text.Encoding.ASCII.GetBytes(tagToken.Text);
            if (tagToken.Text.Length > 255 || !tagToken.Text.All(char.IsAscii) || !RdataFormatter.IsCaaTag(tag))
            {
                return Back($"CAA tag '{tagToken.Text}' must be 1 to 255 ASCII letters and digits (RFC 8659 §4.1)");
            }

            if (!Take("a value", out var valueToken))
            {
                return false;
            }

            if (!CharacterString.TryDecode(valueToken.Text, out var value, out var error))
            {
                return Back(error);
            }

            Output.Add(flags);
            Output.Add((byte)tag.Length);
            Output.AddRange(tag);
            Output.AddRange(value);
            return true;
        }

        /// <summary>RFC 3597 §5: <c>\#</c>, the length in decimal, then the data in hex, split into tokens at will.</summary>
        public bool Generic(ushort type)
        {
            _index++;
            if (!Take("the data length", out var lengthToken))
            {
                return false;
            }

            if (!ushort.TryParse(lengthToken.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                return Back($"data length '{lengthToken.Text}' is not a number from 0 to 65535");
            }

            var hex = new System.Text.StringBuilder();
            var first = _index;
            while (!AtEnd)
            {
                hex.Append(tokens[_index++].Text);
            }

            if (hex.Length % 2 != 0 || !hex.ToString().All(char.IsAsciiHexDigit))
            {
                _index = first;
                return Fail("the data after \\# LENGTH must be hexadecimal digits, two per octet");
            }

            if (hex.Length / 2 != length)
            {
                _index = first;
                return Fail($"\\# says {length} octets but {hex.Length / 2} follow");
            }

            var octets = Convert.FromHexString(hex.ToString());
            if (RecordTypes.IsKnown(type) && !RdataFormatter.TryFormatKnown(type, octets, out _))
            {
                _index = first;
                return Fail($"the {length} octets are not valid {RecordTypes.Name(type)} data");
            }

            Output.AddRange(octets);
            return true;
        }

        private bool Append32(uint value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            Output.AddRange(bytes);
            return true;
        }

        private bool Take(string what, out PresentationToken token)
        {
            if (AtEnd)
            {
                token = default;
                return Fail($"missing {what}");
            }

            token = tokens[_index++];
            return true;
        }

        /// <summary>Fails on the token just taken.</summary>
        private bool Back(string message)
        {
            _index--;
            return Fail(message);
        }
    }
}
