using System.Buffers.Binary;
using Holdfast.Dns.Names;

namespace Holdfast.Dns.Wire;

/// <summary>Builds query messages (RFC 1035 §4.1), optionally with an OPT record (RFC 6891).</summary>
public static class DnsQueryBuilder
{
    /// <param name="name">Presentation form; its case is kept (servers echo it).</param>
    /// <param name="ednsPayload">Advertised UDP payload size, or null for no OPT record.</param>
    public static byte[] Build(ushort id, string name, ushort type, ushort? ednsPayload = null, bool recursionDesired = false, bool dnssecOk = false, byte ednsVersion = 0)
    {
        if (!WireName.TryFromText(name, out _, out var error))
        {
            throw new FormatException($"'{name}': {error}");
        }

        var wire = CaseKeepingWire(name);
        var length = DnsConstants.HeaderLength + wire.Length + 4 + (ednsPayload is null ? 0 : 11);
        var message = new byte[length];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, id);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)(recursionDesired ? 0x0100 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)(ednsPayload is null ? 0 : 1));
        wire.CopyTo(span[DnsConstants.HeaderLength..]);
        var position = DnsConstants.HeaderLength + wire.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[position..], type);
        BinaryPrimitives.WriteUInt16BigEndian(span[(position + 2)..], DnsConstants.ClassIn);
        if (ednsPayload is { } payload)
        {
            position += 4;
            span[position] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(span[(position + 1)..], DnsType.Opt);
            BinaryPrimitives.WriteUInt16BigEndian(span[(position + 3)..], payload);
            BinaryPrimitives.WriteUInt32BigEndian(span[(position + 5)..], ((uint)ednsVersion << 16) | (dnssecOk ? 0x8000u : 0u));
        }

        return message;
    }

    private static byte[] CaseKeepingWire(string name)
    {
        var lower = WireName.FromText(name);
        var trimmed = name.TrimEnd('.');
        if (lower.Length == 1 || trimmed.Contains('\\', StringComparison.Ordinal))
        {
            return lower;
        }

        var output = new List<byte>(lower.Length);
        foreach (var label in trimmed.Split('.'))
        {
            output.Add((byte)label.Length);
            output.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        output.Add(0);
        return [.. output];
    }
}
