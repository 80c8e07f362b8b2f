using System.Buffers.Binary;
using System.Text;

namespace Holdfast.Dns.Tests.Differential;

/// <summary>
/// Seeded, replayable generator of queries for the differential test: a well-formed base query (name, type,
/// class, flags, EDNS with options) and then, by chance, structural mutations (records added to any section,
/// OPT and TSIG in every placement and form, counts that lie, a second question) and byte mutations (cut,
/// flipped, appended). The same seed always yields the same sequence of packets.
/// </summary>
public sealed class QueryMutator(int seed)
{
    private static readonly string[] s_names =
    [
        "diff.example.", "api.diff.example.", "www.diff.example.", "mail.diff.example.", "txt.diff.example.",
        "a.b.c.diff.example.", "b.c.diff.example.", "nope.diff.example.", "x.wild.diff.example.", "wild.diff.example.",
        "_sip._udp.diff.example.", "sub.diff.example.", "host.sub.diff.example.", "out.diff.example.", "ns1.diff.example.",
        "example.org.", "diff.example.org.", ".", "very.long.name.that.does.not.exist.diff.example.",
    ];

    private static readonly ushort[] s_types = [1, 1, 1, 28, 28, 2, 6, 15, 16, 5, 12, 33, 255, 43, 257, 46, 99, 65280, 0, 41, 250, 251, 252, 254];

    private readonly Random _random = new(seed);

    /// <summary>The next query, with a short description of how it was made (for the failure message).</summary>
    public byte[] Next(out string description)
    {
        var notes = new StringBuilder();
        var message = Base(notes);
        if (_random.NextDouble() < 0.45)
        {
            Mutate(message, notes);
        }

        var bytes = message.ToBytes();
        if (_random.NextDouble() < 0.2)
        {
            bytes = MutateBytes(bytes, notes);
        }

        description = notes.ToString().Trim();
        return bytes;
    }

    private Message Base(StringBuilder notes)
    {
        var name = s_names[_random.Next(s_names.Length)];
        var type = s_types[_random.Next(s_types.Length)];
        var @class = _random.NextDouble() switch { < 0.9 => (ushort)1, < 0.94 => (ushort)3, < 0.97 => (ushort)255, _ => (ushort)254 };
        var flags = _random.Next(2) == 0 ? (ushort)0x0100 : (ushort)0;
        notes.Append(System.Globalization.CultureInfo.InvariantCulture, $"{name} type {type} class {@class};");
        var message = new Message { Id = (ushort)_random.Next(65536), Flags = flags };
        message.Questions.Add(Question(RandomCase(name), type, @class));
        if (_random.NextDouble() < 0.6)
        {
            message.Additional.Add(Opt(notes));
        }

        return message;
    }

    private void Mutate(Message message, StringBuilder notes)
    {
        switch (_random.Next(10))
        {
            case 0:
                var bit = new[] { 0x8000, 0x0400, 0x0200, 0x0080, 0x0040, 0x0020, 0x0010, 0x0001, 0x000F }[_random.Next(9)];
                message.Flags ^= (ushort)bit;
                notes.Append(System.Globalization.CultureInfo.InvariantCulture, $" flags ^= {bit:x4};");
                break;
            case 1:
                var opcode = _random.Next(1, 16);
                message.Flags = (ushort)((message.Flags & ~0x7800) | (opcode << 11));
                notes.Append(System.Globalization.CultureInfo.InvariantCulture, $" opcode {opcode};");
                break;
            case 2:
                message.Answer.Add(RandomRecord(notes, "answer"));
                break;
            case 3:
                message.Authority.Add(RandomRecord(notes, "authority"));
                break;
            case 4:
            case 5:
                message.Additional.Add(RandomRecord(notes, "additional"));
                break;
            case 6:
                message.Additional.Insert(0, RandomRecord(notes, "additional first"));
                break;
            case 7:
                var section = _random.Next(4);
                var delta = _random.Next(2) == 0 ? -1 : 1;
                message.CountDelta[section] += delta;
                notes.Append(System.Globalization.CultureInfo.InvariantCulture, $" count[{section}] {delta:+0;-0};");
                break;
            case 8:
                if (_random.Next(2) == 0)
                {
                    message.Questions.Add(message.Questions[0]);
                    notes.Append(" two questions;");
                }
                else
                {
                    message.Questions.Clear();
                    notes.Append(" no question;");
                }

                break;
            default:
                message.Trailing = RandomBytes(_random.Next(1, 4));
                notes.Append(" trailing octets;");
                break;
        }
    }

    private byte[] MutateBytes(byte[] bytes, StringBuilder notes)
    {
        switch (_random.Next(3))
        {
            case 0:
                var cut = _random.Next(bytes.Length);
                notes.Append(System.Globalization.CultureInfo.InvariantCulture, $" cut to {cut};");
                return bytes[..cut];
            case 1:
                var copy = (byte[])bytes.Clone();
                var at = _random.Next(copy.Length);
                copy[at] = (byte)_random.Next(256);
                notes.Append(System.Globalization.CultureInfo.InvariantCulture, $" octet {at} = {copy[at]};");
                return copy;
            default:
                notes.Append(" appended octets;");
                return [.. bytes, .. RandomBytes(_random.Next(1, 4))];
        }
    }

    private byte[] RandomRecord(StringBuilder notes, string section)
    {
        var pointer = new byte[] { 0xC0, 0x0C };
        var (what, record) = _random.Next(16) switch
        {
            0 => ("A", Record(pointer, 1, 1, 60, RandomBytes(4))),
            1 => ("A with 3 octets", Record(pointer, 1, 1, 60, RandomBytes(3))),
            2 => ("AAAA", Record(pointer, 28, 1, 60, RandomBytes(16))),
            3 => ("NS to the question", Record(pointer, 2, 1, 60, pointer)),
            4 => ("NS with a forward pointer", Record(pointer, 2, 1, 60, [0xC0, 0xFF])),
            5 => ("TXT", Record(pointer, 16, 1, 60, [3, (byte)'a', (byte)'b', (byte)'c'])),
            6 => ("TXT overrunning", Record(pointer, 16, 1, 60, [9, (byte)'a'])),
            7 => ("SOA", Record(pointer, 6, 1, 60, [.. pointer, .. pointer, .. new byte[20]])),
            8 => ("SOA short", Record(pointer, 6, 1, 60, [.. pointer, .. pointer, .. new byte[12]])),
            9 => ("opaque type", Record(pointer, 65280, 1, 60, RandomBytes(_random.Next(0, 8)))),
            10 or 11 or 12 => ("OPT", Opt(notes)),
            13 => ("TSIG", Tsig(255, 0, Encoding("key."))),
            14 => ("TSIG class IN", Tsig(1, 0, Encoding("key."))),
            _ => ("TSIG cut short", Record(Encoding("key."), 250, 255, 0, [.. Encoding("hmac-sha256."), 0, 0])),
        };
        notes.Append(System.Globalization.CultureInfo.InvariantCulture, $" {what} in {section};");
        return record;
    }

    private byte[] Opt(StringBuilder notes)
    {
        var payload = new ushort[] { 0, 512, 1232, 4096 }[_random.Next(4)];
        uint ttl = _random.NextDouble() < 0.5 ? 0x8000u : 0u;
        if (_random.NextDouble() < 0.07)
        {
            ttl |= 1u << 16;
            notes.Append(" EDNS version 1;");
        }

        var options = new List<byte>();
        var count = _random.Next(0, 3);
        for (var i = 0; i < count; i++)
        {
            var (what, option) = _random.Next(11) switch
            {
                0 => ("cookie 8", Option(10, RandomBytes(8))),
                1 => ("cookie 24", Option(10, RandomBytes(24))),
                2 => ("cookie 7", Option(10, RandomBytes(7))),
                3 => ("cookie 41", Option(10, RandomBytes(41))),
                4 => ("nsid", Option(3, [])),
                5 => ("keepalive", Option(11, [])),
                6 => ("padding", Option(12, new byte[_random.Next(0, 16)])),
                7 => ("unknown option", Option(65001, RandomBytes(_random.Next(0, 6)))),
                8 => ("option overrunning", [0xFD, 0xE9, 0, 9, 1]),
                9 => ("option header cut", [0, 3]),
                _ => ("client subnet", Option(8, [0, 1, 24, 0, 192, 0, 2])),
            };
            notes.Append(System.Globalization.CultureInfo.InvariantCulture, $" {what};");
            options.AddRange(option);
        }

        var owner = _random.NextDouble() < 0.05 ? Encoding("x.") : [0];
        if (owner.Length > 1)
        {
            notes.Append(" OPT owner x.;");
        }

        return Record(owner, 41, payload, ttl, [.. options]);
    }

    private byte[] Tsig(ushort @class, uint ttl, byte[] keyName)
    {
        var rdata = new List<byte>(Encoding("hmac-sha256."));
        var now = (ulong)DateTimeOffset.UnixEpoch.AddYears(56).ToUnixTimeSeconds();
        rdata.AddRange([(byte)(now >> 40), (byte)(now >> 32), (byte)(now >> 24), (byte)(now >> 16), (byte)(now >> 8), (byte)now]);
        rdata.AddRange([1, 0x2C, 0, 32]);
        rdata.AddRange(RandomBytes(32));
        rdata.AddRange([0, 1, 0, 0, 0, 0]);
        return Record(keyName, 250, @class, ttl, [.. rdata]);
    }

    private string RandomCase(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (_random.Next(4) == 0)
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
        }

        return new string(chars);
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Question(string name, ushort type, ushort @class)
    {
        var wire = Encoding(name);
        var question = new byte[wire.Length + 4];
        wire.CopyTo(question, 0);
        BinaryPrimitives.WriteUInt16BigEndian(question.AsSpan(wire.Length), type);
        BinaryPrimitives.WriteUInt16BigEndian(question.AsSpan(wire.Length + 2), @class);
        return question;
    }

    private static byte[] Option(ushort code, byte[] data)
    {
        var option = new byte[4 + data.Length];
        BinaryPrimitives.WriteUInt16BigEndian(option, code);
        BinaryPrimitives.WriteUInt16BigEndian(option.AsSpan(2), (ushort)data.Length);
        data.CopyTo(option, 4);
        return option;
    }

    private static byte[] Record(byte[] owner, ushort type, ushort @class, uint ttl, byte[] rdata)
    {
        var record = new byte[owner.Length + 10 + rdata.Length];
        owner.CopyTo(record, 0);
        var span = record.AsSpan(owner.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span, type);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], @class);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], ttl);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)rdata.Length);
        rdata.CopyTo(span[10..]);
        return record;
    }

    /// <summary>Wire form keeping the case given (the engine's own parser lower-cases).</summary>
    private static byte[] Encoding(string name)
    {
        var output = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            output.Add((byte)label.Length);
            output.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        output.Add(0);
        return [.. output];
    }

    private sealed class Message
    {
        public ushort Id { get; set; }

        public ushort Flags { get; set; }

        public List<byte[]> Questions { get; } = [];

        public List<byte[]> Answer { get; } = [];

        public List<byte[]> Authority { get; } = [];

        public List<byte[]> Additional { get; } = [];

        public int[] CountDelta { get; } = new int[4];

        public byte[] Trailing { get; set; } = [];

        public byte[] ToBytes()
        {
            var bytes = new List<byte>();
            var header = new byte[12];
            BinaryPrimitives.WriteUInt16BigEndian(header, Id);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), Flags);
            int[] counts = [Questions.Count, Answer.Count, Authority.Count, Additional.Count];
            for (var i = 0; i < 4; i++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4 + (2 * i)), (ushort)Math.Max(0, counts[i] + CountDelta[i]));
            }

            bytes.AddRange(header);
            foreach (var part in Questions.Concat(Answer).Concat(Authority).Concat(Additional))
            {
                bytes.AddRange(part);
            }

            bytes.AddRange(Trailing);
            return [.. bytes];
        }
    }
}
