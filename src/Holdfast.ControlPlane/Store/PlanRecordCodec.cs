using System.Buffers;
using System.Collections.Immutable;
using System.Net;
using System.Text;
using Holdfast.ControlPlane.Model;

namespace Holdfast.ControlPlane.Store;

/// <summary>
/// A compact binary form of a record list, for durable stores (the applied copy of a plan's records): per record the
/// target id (a length byte and UTF-8), the address (a length byte, 4 or 16, and the octets), weight and capacity
/// (unsigned LEB128). About 14 bytes for an IPv4 record, against about 80 in JSON.
/// </summary>
/// <remarks>
/// <code>
/// version 1 | count (LEB128) | { id length | id | address length | address | weight | capacity } * count
/// </code>
/// </remarks>
public static class PlanRecordCodec
{
    private const byte Version = 1;

    public static byte[] Encode(IReadOnlyList<PlanRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var buffer = new ArrayBufferWriter<byte>(8 + (records.Count * 24));
        buffer.GetSpan(1)[0] = Version;
        buffer.Advance(1);
        WriteVarint(buffer, (uint)records.Count);
        Span<byte> address = stackalloc byte[16];
        foreach (var record in records)
        {
            var id = Encoding.UTF8.GetBytes(record.TargetId);
            if (id.Length > 255)
            {
                throw new ArgumentException($"target id '{record.TargetId}' is longer than 255 octets", nameof(records));
            }

            var span = buffer.GetSpan(1 + id.Length);
            span[0] = (byte)id.Length;
            id.CopyTo(span[1..]);
            buffer.Advance(1 + id.Length);
            record.Address.TryWriteBytes(address, out var length);
            span = buffer.GetSpan(1 + length);
            span[0] = (byte)length;
            address[..length].CopyTo(span[1..]);
            buffer.Advance(1 + length);
            WriteVarint(buffer, checked((uint)record.Weight));
            WriteVarint(buffer, checked((uint)record.Capacity));
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">The bytes are not a record list of this codec.</exception>
    public static ImmutableArray<PlanRecord> Decode(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || data[0] != Version)
        {
            throw new FormatException("not a version 1 record list");
        }

        var position = 1;
        var count = ReadVarint(data, ref position);
        var records = ImmutableArray.CreateBuilder<PlanRecord>((int)Math.Min(count, 4096));
        for (var i = 0u; i < count; i++)
        {
            var id = Encoding.UTF8.GetString(Take(data, ref position, Take(data, ref position, 1)[0]));
            var address = new IPAddress(Take(data, ref position, Take(data, ref position, 1)[0]));
            var weight = (int)ReadVarint(data, ref position);
            var capacity = (int)ReadVarint(data, ref position);
            records.Add(new PlanRecord(id, address, weight, capacity));
        }

        return records.DrainToImmutable();
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int position, int length)
    {
        if (length < 0 || position + length > data.Length)
        {
            throw new FormatException("record list truncated");
        }

        var slice = data.Slice(position, length);
        position += length;
        return slice;
    }

    private static void WriteVarint(ArrayBufferWriter<byte> buffer, uint value)
    {
        var span = buffer.GetSpan(5);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        buffer.Advance(i);
    }

    private static uint ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Take(data, ref position, 1)[0];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value <= int.MaxValue ? value : throw new FormatException("value out of range");
            }
        }

        throw new FormatException("varint too long");
    }
}
