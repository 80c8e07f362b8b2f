using System.Buffers.Binary;
using System.Numerics;

namespace Holdfast.Dns.Wire;

/// <summary>
/// SipHash-2-4 (Aumasson and Bernstein), the hash RFC 9018 §4.4 names for interoperable DNS server cookies, so
/// that every server of an anycast set (Holdfast, BIND, Knot) computes the same cookie from the same secret.
/// Allocation-free.
/// </summary>
public static class SipHash
{
    /// <param name="key">16 octets.</param>
    /// <returns>The 64-bit hash; written out little-endian it is the reference implementation's 8 output octets.</returns>
    public static ulong Hash24(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message)
    {
        var k0 = BinaryPrimitives.ReadUInt64LittleEndian(key);
        var k1 = BinaryPrimitives.ReadUInt64LittleEndian(key[8..]);
        var v0 = k0 ^ 0x736f6d6570736575UL;
        var v1 = k1 ^ 0x646f72616e646f6dUL;
        var v2 = k0 ^ 0x6c7967656e657261UL;
        var v3 = k1 ^ 0x7465646279746573UL;
        var whole = message.Length & ~7;
        for (var i = 0; i < whole; i += 8)
        {
            var m = BinaryPrimitives.ReadUInt64LittleEndian(message[i..]);
            v3 ^= m;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }

        // The last block: the remaining octets, little-endian, with the message length (mod 256) in the top octet.
        var last = (ulong)message.Length << 56;
        for (var i = whole; i < message.Length; i++)
        {
            last |= (ulong)message[i] << (8 * (i - whole));
        }

        v3 ^= last;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;
        v2 ^= 0xFF;
        for (var i = 0; i < 4; i++)
        {
            Round(ref v0, ref v1, ref v2, ref v3);
        }

        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1;
        v1 = BitOperations.RotateLeft(v1, 13);
        v1 ^= v0;
        v0 = BitOperations.RotateLeft(v0, 32);
        v2 += v3;
        v3 = BitOperations.RotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = BitOperations.RotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = BitOperations.RotateLeft(v1, 17);
        v1 ^= v2;
        v2 = BitOperations.RotateLeft(v2, 32);
    }
}
