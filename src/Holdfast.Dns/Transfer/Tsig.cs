using System.Buffers.Binary;
using System.Security.Cryptography;
using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// TSIG with HMAC-SHA256 (RFC 8945): verifying a signed request and signing the messages that answer it.
/// </summary>
/// <remarks>
/// What each MAC covers (RFC 8945 §4.3):
/// <code>
/// request                  message without its TSIG (ARCOUNT - 1, ID = Original ID) + TSIG variables
/// first response           request MAC (2-octet size + MAC) + response without TSIG + TSIG variables
/// later messages of one    previous MAC (size + MAC) + this message without TSIG + timers only
///   transfer (§5.3.1)      (Time Signed, Fudge). Holdfast signs every message, so "since the last
///                          signed one" is always just this message.
/// TSIG variables           key name, CLASS ANY, TTL 0, algorithm name (both canonical wire), Time Signed
///                          (48 bits), Fudge, Error, Other Len, Other Data
/// </code>
/// Checks in the order of RFC 8945 §5.2: key (BADKEY), MAC (BADSIG), time (BADTIME), truncation (BADTRUNC).
/// Holdfast accepts only full 32-octet MACs: a shorter one of at least 16 octets (the RFC's minimum for SHA-256)
/// is BADTRUNC by local policy, anything else malformed is FORMERR.
/// </remarks>
public static class Tsig
{
    public const ushort Type = 250;
    public const ushort ClassAny = 255;
    public const int MacLength = 32;

    /// <summary>RFC 8945 §5.2: TSIG errors, carried in the TSIG record with RCODE NOTAUTH in the header.</summary>
    public const ushort BadSig = 16;

    public const ushort BadKey = 17;
    public const ushort BadTime = 18;
    public const ushort BadTrunc = 22;
    public const int NotAuth = 9;

    /// <summary>RFC 8945 §6: the algorithm name of HMAC-SHA256.</summary>
    public static readonly byte[] HmacSha256 = WireName.FromText("hmac-sha256.");

    /// <summary>Octets a signed TSIG record with <paramref name="key"/> adds to a message (Other Data of 6 for BADTIME included).</summary>
    public static int RecordLength(TsigKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return RecordLength(key.Name.Length);
    }

    /// <summary>Octets a signed TSIG record adds for a key name of <paramref name="keyNameLength"/> wire octets.</summary>
    public static int RecordLength(int keyNameLength) => keyNameLength + 10 + HmacSha256.Length + 6 + 2 + 2 + MacLength + 2 + 2 + 2 + 6;

    /// <summary>Verifies a request's TSIG. Returns 0 when it is good, else the TSIG error; <paramref name="key"/> is set when the key is known.</summary>
    public static ushort Verify(ReadOnlySpan<byte> message, TsigRecord tsig, IReadOnlyList<TsigKey> keys, DateTimeOffset now, out TsigKey? key)
    {
        ArgumentNullException.ThrowIfNull(tsig);
        ArgumentNullException.ThrowIfNull(keys);
        key = null;
        foreach (var candidate in keys)
        {
            if (candidate.Name.AsSpan().SequenceEqual(tsig.KeyName))
            {
                key = candidate;
                break;
            }
        }

        // RFC 8945 §5.2.1: an unknown key or an algorithm we do not do is BADKEY.
        if (key is null || !tsig.Algorithm.AsSpan().SequenceEqual(HmacSha256))
        {
            key = null;
            return BadKey;
        }

        var expected = RequestMac(message, tsig, key);
        if (tsig.Mac.Length == 0 || tsig.Mac.Length > MacLength || !CryptographicOperations.FixedTimeEquals(expected.AsSpan(0, tsig.Mac.Length), tsig.Mac))
        {
            return BadSig;
        }

        // RFC 8945 §5.2.3: the signature is good but made outside now ± fudge.
        var seconds = now.ToUnixTimeSeconds();
        if (Math.Abs(seconds - (long)tsig.TimeSigned) > tsig.Fudge)
        {
            return BadTime;
        }

        return tsig.Mac.Length < MacLength ? BadTrunc : (ushort)0;
    }

    /// <summary>The MAC a request with this TSIG must carry (RFC 8945 §4.3.3): used by verification and by tests.</summary>
    public static byte[] RequestMac(ReadOnlySpan<byte> message, TsigRecord tsig, TsigKey key)
    {
        ArgumentNullException.ThrowIfNull(tsig);
        ArgumentNullException.ThrowIfNull(key);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.Secret);
        AppendUnsigned(hmac, message[..tsig.Start], tsig.OriginalId);
        AppendVariables(hmac, key, tsig.TimeSigned, tsig.Fudge, tsig.Error, tsig.OtherData);
        return hmac.GetHashAndReset();
    }

    /// <summary>
    /// Verifies the TSIG of a response to a request this side signed with <paramref name="key"/> and
    /// <paramref name="requestMac"/> (RFC 8945 §5.3: the client checks the answer too). Returns 0 when good, else the
    /// TSIG error the client sees: BADKEY for another key or algorithm, BADSIG for a wrong or missing MAC, BADTIME outside
    /// now ± fudge. An unsigned error answer (MAC size 0, RFC 8945 §5.2.1) is BADSIG here: the caller reads its Error field.
    /// </summary>
    public static ushort VerifyResponse(ReadOnlySpan<byte> message, TsigRecord tsig, TsigKey key, ReadOnlySpan<byte> requestMac, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tsig);
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Name.AsSpan().SequenceEqual(tsig.KeyName) || !tsig.Algorithm.AsSpan().SequenceEqual(HmacSha256))
        {
            return BadKey;
        }

        if (tsig.Mac.Length != MacLength)
        {
            return BadSig;
        }

        // RFC 8945 §4.3.2: request MAC (size + MAC), the response as it was before signing, the TSIG variables.
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.Secret);
        Span<byte> size = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(size, (ushort)requestMac.Length);
        hmac.AppendData(size);
        hmac.AppendData(requestMac);
        AppendUnsigned(hmac, message[..tsig.Start], tsig.OriginalId);
        AppendVariables(hmac, key, tsig.TimeSigned, tsig.Fudge, tsig.Error, tsig.OtherData);
        if (!CryptographicOperations.FixedTimeEquals(hmac.GetHashAndReset(), tsig.Mac))
        {
            return BadSig;
        }

        return Math.Abs(now.ToUnixTimeSeconds() - (long)tsig.TimeSigned) > tsig.Fudge ? BadTime : (ushort)0;
    }

    /// <summary>
    /// Appends a TSIG record to the message in <paramref name="buffer"/>[..<paramref name="length"/>] and
    /// raises ARCOUNT. <paramref name="priorMac"/> is the request's MAC for the first answer, the previous
    /// message's MAC after that (<paramref name="timersOnly"/> true). Returns the new length and this message's MAC.
    /// </summary>
    public static int Sign(Span<byte> buffer, int length, TsigKey key, ReadOnlySpan<byte> priorMac, bool timersOnly, ulong timeSigned, ushort fudge, ushort error, ReadOnlySpan<byte> otherData, out byte[] mac)
    {
        ArgumentNullException.ThrowIfNull(key);
        using (var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.Secret))
        {
            if (!priorMac.IsEmpty)
            {
                Span<byte> size = stackalloc byte[2];
                BinaryPrimitives.WriteUInt16BigEndian(size, (ushort)priorMac.Length);
                hmac.AppendData(size);
                hmac.AppendData(priorMac);
            }

            hmac.AppendData(buffer[..length]);
            if (timersOnly)
            {
                Span<byte> timers = stackalloc byte[8];
                WriteUInt48(timers, timeSigned);
                BinaryPrimitives.WriteUInt16BigEndian(timers[6..], fudge);
                hmac.AppendData(timers);
            }
            else
            {
                AppendVariables(hmac, key, timeSigned, fudge, error, otherData);
            }

            mac = hmac.GetHashAndReset();
        }

        return WriteRecord(buffer, length, key.Name, timeSigned, fudge, mac, BinaryPrimitives.ReadUInt16BigEndian(buffer), error, otherData);
    }

    /// <summary>An unsigned TSIG record (MAC size 0), for BADKEY and BADSIG answers (RFC 8945 §5.2.1, §5.2.2).</summary>
    public static int AppendUnsigned(Span<byte> buffer, int length, TsigRecord request, ushort error) =>
        WriteRecord(buffer, length, request.KeyName, request.TimeSigned, request.Fudge, [], BinaryPrimitives.ReadUInt16BigEndian(buffer), error, []);

    private static int WriteRecord(Span<byte> buffer, int length, ReadOnlySpan<byte> keyName, ulong timeSigned, ushort fudge, ReadOnlySpan<byte> mac, ushort originalId, ushort error, ReadOnlySpan<byte> otherData)
    {
        var rdLength = HmacSha256.Length + 6 + 2 + 2 + mac.Length + 2 + 2 + 2 + otherData.Length;
        var span = buffer[length..];
        keyName.CopyTo(span);
        var p = keyName.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[p..], Type);
        BinaryPrimitives.WriteUInt16BigEndian(span[(p + 2)..], ClassAny);
        BinaryPrimitives.WriteUInt32BigEndian(span[(p + 4)..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(span[(p + 8)..], (ushort)rdLength);
        p += 10;
        HmacSha256.CopyTo(span[p..]);
        p += HmacSha256.Length;
        WriteUInt48(span[p..], timeSigned);
        BinaryPrimitives.WriteUInt16BigEndian(span[(p + 6)..], fudge);
        BinaryPrimitives.WriteUInt16BigEndian(span[(p + 8)..], (ushort)mac.Length);
        p += 10;
        mac.CopyTo(span[p..]);
        p += mac.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[p..], originalId);
        BinaryPrimitives.WriteUInt16BigEndian(span[(p + 2)..], error);
        BinaryPrimitives.WriteUInt16BigEndian(span[(p + 4)..], (ushort)otherData.Length);
        p += 6;
        otherData.CopyTo(span[p..]);
        p += otherData.Length;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(buffer[10..]) + 1));
        return length + p;
    }

    /// <summary>The message as it was before signing: ID back to Original ID, ARCOUNT without the TSIG.</summary>
    private static void AppendUnsigned(IncrementalHash hmac, ReadOnlySpan<byte> withoutTsig, ushort originalId)
    {
        Span<byte> header = stackalloc byte[DnsConstants.HeaderLength];
        withoutTsig[..DnsConstants.HeaderLength].CopyTo(header);
        BinaryPrimitives.WriteUInt16BigEndian(header, originalId);
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(header[10..]) - 1));
        hmac.AppendData(header);
        hmac.AppendData(withoutTsig[DnsConstants.HeaderLength..]);
    }

    private static void AppendVariables(IncrementalHash hmac, TsigKey key, ulong timeSigned, ushort fudge, ushort error, ReadOnlySpan<byte> otherData)
    {
        Span<byte> fixedPart = stackalloc byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart, ClassAny);
        BinaryPrimitives.WriteUInt32BigEndian(fixedPart[2..], 0);
        hmac.AppendData(key.Name);
        hmac.AppendData(fixedPart);
        hmac.AppendData(HmacSha256);
        Span<byte> tail = stackalloc byte[12];
        WriteUInt48(tail, timeSigned);
        BinaryPrimitives.WriteUInt16BigEndian(tail[6..], fudge);
        BinaryPrimitives.WriteUInt16BigEndian(tail[8..], error);
        BinaryPrimitives.WriteUInt16BigEndian(tail[10..], (ushort)otherData.Length);
        hmac.AppendData(tail);
        hmac.AppendData(otherData);
    }

    internal static void WriteUInt48(Span<byte> destination, ulong value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)value);
    }

    internal static ulong ReadUInt48(ReadOnlySpan<byte> source) =>
        ((ulong)BinaryPrimitives.ReadUInt16BigEndian(source) << 32) | BinaryPrimitives.ReadUInt32BigEndian(source[2..]);
}
