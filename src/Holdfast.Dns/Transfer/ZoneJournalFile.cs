using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// The on-disk form of one zone's journal: <c>DIR/&lt;apex&gt;.journal</c>, an 8-octet magic and then frames, each
/// protected by its own length and CRC-32C, so that a write cut short (SIGKILL, power loss) leaves a torn tail that
/// the reader recognises and cuts off, while damage anywhere else makes the file corrupt.
/// </summary>
/// <remarks>
/// <code>
/// file     "HFJRNL01"  then frames
/// frame    length u32 | crc32c u32 (of the payload) | payload (length octets); integers big-endian
/// payload  first frame: 0x01 | apex (u8 length, wire octets)                       the zone this file belongs to
///          later:       0x02 | digest u64 | from SOA | to SOA                       one serial step (RFC 1995 §4),
///                       | u32 n | n deleted records | u32 m | m added records        oldest first; digest: the
///                                                                                   ZoneDigest of the zone after it
/// record   owner (u8 length, wire octets) | type u16 | ttl u32 | rdlength u16 | rdata   (class is always IN)
/// </code>
/// A frame that stops short of its length, a last frame whose checksum fails, or a tail of zero octets (a file
/// extended but not written before a power loss) is a torn tail. A bad magic or header, a checksum failure followed
/// by more data, a payload that does not decode, or steps that do not follow each other (RFC 1982) is corruption.
/// </remarks>
internal static class ZoneJournalFile
{
    public const string Extension = ".journal";
    public const int FrameHeaderLength = 8;
    private const byte HeaderKind = 1;
    private const byte StepKind = 2;
    private static ReadOnlySpan<byte> Magic => "HFJRNL01"u8;

    /// <summary>
    /// The file name for a zone: its apex in presentation form, lower case, without the final dot, every octet other
    /// than a-z, 0-9, '-' and '.' written %xx (so '_' too); the root zone is <c>_root.journal</c>.
    /// </summary>
    public static string FileNameFor(ReadOnlySpan<byte> apex)
    {
        var text = WireName.ToText(apex).ToLowerInvariant();
        if (text == ".")
        {
            return "_root" + Extension;
        }

        var name = new StringBuilder(text.Length + Extension.Length);
        foreach (var octet in Encoding.UTF8.GetBytes(text[..^1]))
        {
            if (octet is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.')
            {
                name.Append((char)octet);
            }
            else
            {
                name.Append(CultureInfo.InvariantCulture, $"%{octet:x2}");
            }
        }

        return name.Append(Extension).ToString();
    }

    /// <summary>The magic and the header frame: an empty journal of <paramref name="apex"/>.</summary>
    public static byte[] Header(ReadOnlySpan<byte> apex)
    {
        var frame = new byte[Magic.Length + FrameHeaderLength + 2 + apex.Length];
        Magic.CopyTo(frame);
        var payload = frame.AsSpan(Magic.Length + FrameHeaderLength);
        payload[0] = HeaderKind;
        payload[1] = (byte)apex.Length;
        apex.CopyTo(payload[2..]);
        Seal(frame.AsSpan(Magic.Length));
        return frame;
    }

    /// <summary>Octets of the frame <see cref="WriteStep"/> writes for <paramref name="step"/>; O(records of the step), no allocation.</summary>
    public static int FrameLength(ZoneDiff step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var length = FrameHeaderLength + 1 + 8 + RecordLength(step.From) + RecordLength(step.To) + 4 + 4;
        foreach (var record in step.Deleted)
        {
            length += RecordLength(record);
        }

        foreach (var record in step.Added)
        {
            length += RecordLength(record);
        }

        return length;
    }

    /// <summary>Writes the frame of <paramref name="step"/> (exactly <see cref="JournalStep.FrameLength"/> octets) into <paramref name="destination"/>.</summary>
    public static void WriteStep(Span<byte> destination, JournalStep step)
    {
        var frame = destination[..step.FrameLength];
        var payload = frame[FrameHeaderLength..];
        payload[0] = StepKind;
        BinaryPrimitives.WriteUInt64BigEndian(payload[1..], step.DigestAfter);
        var at = 9;
        at += WriteRecord(payload[at..], step.Diff.From);
        at += WriteRecord(payload[at..], step.Diff.To);
        at += WriteRecords(payload[at..], step.Diff.Deleted);
        at += WriteRecords(payload[at..], step.Diff.Added);
        if (at != payload.Length)
        {
            throw new InvalidOperationException($"journal frame of {at} octets, {payload.Length} expected");
        }

        Seal(frame);
    }

    /// <summary>
    /// Reads the journal file at <paramref name="path"/> for the zone <paramref name="apex"/>. Never throws for what the
    /// file holds (I/O errors other than a missing file do throw): the outcome says whether it was missing, read whole,
    /// read up to a torn tail, or corrupt.
    /// </summary>
    public static JournalFileContents Read(string path, ReadOnlySpan<byte> apex)
    {
        if (!File.Exists(path))
        {
            return new JournalFileContents(JournalFileStatus.Missing, [], 0, 0, null);
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(file, apex);
    }

    /// <summary>Reads a journal from <paramref name="stream"/> (seekable, positioned at the start); see <see cref="Read(string, ReadOnlySpan{byte})"/>.</summary>
    public static JournalFileContents Read(Stream stream, ReadOnlySpan<byte> apex)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var fileLength = stream.Length;
        Span<byte> magic = stackalloc byte[8];
        if (fileLength < magic.Length || stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) != magic.Length || !magic.SequenceEqual(Magic))
        {
            return Corrupt("not a Holdfast journal (bad magic)");
        }

        var steps = new List<JournalStep>();
        var position = (long)magic.Length;
        Span<byte> head = stackalloc byte[FrameHeaderLength];
        var first = true;
        while (position < fileLength)
        {
            if (stream.ReadAtLeast(head, FrameHeaderLength, throwOnEndOfStream: false) != FrameHeaderLength)
            {
                return first ? Corrupt("the header frame is cut short") : Torn(steps, position, fileLength);
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(head);
            var end = position + FrameHeaderLength + length;
            if (end > fileLength)
            {
                return first ? Corrupt("the header frame is cut short") : Torn(steps, position, fileLength);
            }

            var payload = new byte[length];
            stream.ReadExactly(payload);
            // An empty frame never is one: its CRC would match (CRC-32C of nothing is 0), so a zero-filled tail is caught here.
            if (length == 0 || Crc32C(payload) != BinaryPrimitives.ReadUInt32BigEndian(head[4..]))
            {
                if (!first && ((length > 0 && end == fileLength) || RestIsZero(stream, head, payload, position, fileLength)))
                {
                    return Torn(steps, position, fileLength);
                }

                return Corrupt($"checksum mismatch in the frame at offset {position}");
            }

            if (first)
            {
                if (payload.Length < 2 || payload[0] != HeaderKind || payload[1] != payload.Length - 2)
                {
                    return Corrupt("the first frame is not a journal header");
                }

                if (!payload.AsSpan(2).SequenceEqual(apex))
                {
                    return Corrupt($"the file belongs to zone {SafeName(payload.AsSpan(2))}, not {WireName.ToText(apex)}");
                }

                first = false;
            }
            else
            {
                if (!TryReadStep(payload, apex, out var step))
                {
                    return Corrupt($"the frame at offset {position} does not decode as a journal step");
                }

                if (steps.Count > 0 && (step.Diff.FromSerial != steps[^1].Diff.ToSerial))
                {
                    return Corrupt($"the step at offset {position} starts at serial {step.Diff.FromSerial}, the previous one ended at {steps[^1].Diff.ToSerial}");
                }

                steps.Add(step with { FrameLength = FrameHeaderLength + payload.Length });
            }

            position = end;
        }

        return first ? Corrupt("no header frame") : new JournalFileContents(JournalFileStatus.Read, steps, position, 0, null);

        static JournalFileContents Corrupt(string problem) => new(JournalFileStatus.Corrupt, [], 0, 0, problem);
        static JournalFileContents Torn(List<JournalStep> steps, long validLength, long fileLength) =>
            new(JournalFileStatus.TornTail, steps, validLength, fileLength - validLength, null);
    }

    /// <summary>CRC-32C (Castagnoli, as iSCSI and ext4 use it): reflected, initial and final value all ones.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var octet in data)
        {
            crc = BitOperations.Crc32C(crc, octet);
        }

        return ~crc;
    }

    private static void Seal(Span<byte> frame)
    {
        var payload = frame[FrameHeaderLength..];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame[4..], Crc32C(payload));
    }

    private static int RecordLength(TransferRecord record) => 1 + record.Owner.Length + 2 + 4 + 2 + record.Rdata.Length;

    private static int WriteRecords(Span<byte> destination, IReadOnlyList<TransferRecord> records)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)records.Count);
        var at = 4;
        foreach (var record in records)
        {
            at += WriteRecord(destination[at..], record);
        }

        return at;
    }

    private static int WriteRecord(Span<byte> destination, TransferRecord record)
    {
        destination[0] = (byte)record.Owner.Length;
        record.Owner.CopyTo(destination[1..]);
        var at = 1 + record.Owner.Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination[at..], record.Type);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(at + 2)..], record.Ttl);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(at + 6)..], (ushort)record.Rdata.Length);
        record.Rdata.CopyTo(destination[(at + 8)..]);
        return at + 8 + record.Rdata.Length;
    }

    private static bool TryReadStep(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> apex, out JournalStep step)
    {
        step = default;
        if (payload.Length < 9 || payload[0] != StepKind)
        {
            return false;
        }

        var digest = BinaryPrimitives.ReadUInt64BigEndian(payload[1..]);
        var at = 9;
        if (!TryReadRecord(payload, ref at, apex, out var from) || !TryReadRecord(payload, ref at, apex, out var to)
            || !IsSoa(from, apex) || !IsSoa(to, apex)
            || !TryReadRecords(payload, ref at, apex, out var deleted) || !TryReadRecords(payload, ref at, apex, out var added)
            || at != payload.Length)
        {
            return false;
        }

        var diff = new ZoneDiff(from, to, deleted, added);
        if (!SerialNumber.IsBefore(diff.FromSerial, diff.ToSerial))
        {
            return false;
        }

        step = new JournalStep(diff, digest, 0);
        return true;
    }

    private static bool TryReadRecords(ReadOnlySpan<byte> payload, ref int at, ReadOnlySpan<byte> apex, out List<TransferRecord> records)
    {
        records = [];
        if (payload.Length - at < 4)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadUInt32BigEndian(payload[at..]);
        at += 4;

        // Each record takes at least 10 octets: a count beyond what is left is a lie, refused before allocating for it.
        if (count > (uint)(payload.Length - at) / 10)
        {
            return false;
        }

        records.Capacity = (int)count;
        for (var i = 0; i < count; i++)
        {
            if (!TryReadRecord(payload, ref at, apex, out var record))
            {
                return false;
            }

            records.Add(record);
        }

        return true;
    }

    private static bool TryReadRecord(ReadOnlySpan<byte> payload, ref int at, ReadOnlySpan<byte> apex, out TransferRecord record)
    {
        record = default;
        if (payload.Length - at < 1)
        {
            return false;
        }

        var ownerLength = payload[at];
        if (payload.Length - at < 1 + ownerLength + 8)
        {
            return false;
        }

        var owner = payload.Slice(at + 1, ownerLength);
        if (!IsName(owner) || !WireName.IsAtOrBelow(owner, apex))
        {
            return false;
        }

        var fixedAt = at + 1 + ownerLength;
        var type = BinaryPrimitives.ReadUInt16BigEndian(payload[fixedAt..]);
        var ttl = BinaryPrimitives.ReadUInt32BigEndian(payload[(fixedAt + 2)..]);
        var rdataLength = BinaryPrimitives.ReadUInt16BigEndian(payload[(fixedAt + 6)..]);
        if (payload.Length - fixedAt - 8 < rdataLength)
        {
            return false;
        }

        record = new TransferRecord(owner.ToArray(), type, ttl, payload.Slice(fixedAt + 8, rdataLength).ToArray());
        at = fixedAt + 8 + rdataLength;
        return true;
    }

    /// <summary>An uncompressed wire name: labels of 1–63 octets ending in the root label exactly at the end, at most 255 octets (RFC 1035 §3.1).</summary>
    private static bool IsName(ReadOnlySpan<byte> name)
    {
        if (name.Length is 0 or > DnsConstants.MaxNameLength)
        {
            return false;
        }

        var at = 0;
        while (at < name.Length && name[at] != 0)
        {
            if (name[at] > 63)
            {
                return false;
            }

            at += 1 + name[at];
        }

        return at == name.Length - 1;
    }

    /// <summary>The SOA at the apex, with RDATA long enough for its five 32-bit fields (RFC 1035 §3.3.13).</summary>
    private static bool IsSoa(TransferRecord record, ReadOnlySpan<byte> apex) =>
        record.Type == DnsType.Soa && record.Rdata.Length >= 22 && record.Owner.AsSpan().SequenceEqual(apex);

    private static string SafeName(ReadOnlySpan<byte> name) => IsName(name) ? WireName.ToText(name) : "(unreadable)";

    /// <summary>True when every octet from the failed frame to the end of the file is zero (a tail extended but never written).</summary>
    private static bool RestIsZero(Stream stream, ReadOnlySpan<byte> head, ReadOnlySpan<byte> payload, long position, long fileLength)
    {
        if (head.ContainsAnyExcept((byte)0) || payload.ContainsAnyExcept((byte)0))
        {
            return false;
        }

        var buffer = new byte[1 << 16];
        for (var read = position + FrameHeaderLength + payload.Length; read < fileLength;)
        {
            var count = stream.Read(buffer);
            if (count == 0 || buffer.AsSpan(0, count).ContainsAnyExcept((byte)0))
            {
                return false;
            }

            read += count;
        }

        return true;
    }
}
