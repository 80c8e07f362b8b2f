using System.Buffers.Binary;
using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Holdfast.Dns.Records;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Update;
using Holdfast.Dns.Wire;
using static Holdfast.Dns.Tests.Transfer.TransferFixtures;
using Holdfast.Testing;

namespace Holdfast.Dns.Tests.Update;

/// <summary>
/// The UPDATE codec (RFC 2136 §2) and its TSIG (RFC 8945): hand-annotated bytes, every prefix, hostile packets, a
/// round-trip property, and signatures checked against the test-side signer written from the RFC
/// (<see cref="Transfer.TransferFixtures.SignRequest"/>). BIND, Knot and PowerDNS check the same in the push tests.
/// </summary>
public sealed class UpdateMessageTests
{
    private static readonly TsigKey s_key = new("push-key.", [.. Enumerable.Range(0, 32).Select(i => (byte)(0x5A ^ i))]);
    private static readonly DateTimeOffset s_now = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);

    /// <summary>The fenced push of one endpoint: marker at generation 41 required, A RRset and marker replaced.</summary>
    private static UpdateMessage FencedPush() => UpdateMessage.Request(
        0x1234,
        "svc.example.",
        [UpdateRecords.RrsetExistsWithValue("_hf.api.svc.example.", DnsType.Txt, Rdata.Txt("41"))],
        [
            UpdateRecords.DeleteRrset("api.svc.example.", DnsType.A),
            UpdateRecords.Add("api.svc.example.", DnsType.A, 60, Rdata.Address(IPAddress.Parse("192.0.2.1"))),
            UpdateRecords.DeleteRrset("_hf.api.svc.example.", DnsType.Txt),
            UpdateRecords.Add("_hf.api.svc.example.", DnsType.Txt, 60, Rdata.Txt("42")),
        ]);

    [Fact]
    public void Write_SmallUpdate_MatchesHandAnnotatedBytes()
    {
        var message = UpdateMessage.Request(7, "z.", [UpdateRecords.NameNotInUse("a.z.")], [UpdateRecords.Add("a.z.", DnsType.A, 5, [10, 0, 0, 1])]);
        byte[] expected =
        [
            0, 7, 0x28, 0, 0, 1, 0, 1, 0, 1, 0, 0,          // id 7, opcode 5 (0x28 = 5 << 3), ZO 1, PR 1, UP 1, AD 0
            1, (byte)'z', 0, 0, 6, 0, 1,                    // zone z. SOA IN
            1, (byte)'a', 1, (byte)'z', 0, 0, 255, 0, 254, 0, 0, 0, 0, 0, 0,       // a.z. ANY NONE ttl 0 rdlen 0: name not in use
            1, (byte)'a', 1, (byte)'z', 0, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 10, 0, 0, 1, // a.z. A IN 5 10.0.0.1
        ];
        UpdateMessageWriter.Write(message).ShouldBe(expected);
        UpdateMessageReader.TryRead(expected, out var read).ShouldBeTrue();
        read.ShouldBe(message);
    }

    [Fact]
    public void Write_Signed_IsTheRfcSignatureOfTheUnsignedMessage()
    {
        var unsigned = UpdateMessageWriter.Write(FencedPush());
        var signed = UpdateMessageWriter.Write(FencedPush(), s_key, s_now, out var mac);
        signed.ShouldBe(SignRequest(unsigned, "push-key.", s_key.Secret, s_now.ToUnixTimeSeconds()));
        mac.ShouldBe(signed.AsSpan(signed.Length - 6 - 32, 32).ToArray());

        UpdateMessageReader.TryRead(signed, out var read).ShouldBeTrue();
        read.ShouldBe(FencedPush());
        var tsig = read!.Tsig.ShouldNotBeNull();
        Tsig.Verify(signed, tsig, [s_key], s_now, out _).ShouldBe((ushort)0, "the server-side check accepts it");
    }

    [Fact]
    public void VerifyResponse_SignedAnswer_IsGoodAndTamperingOrAnotherKeyOrTimeIsNot()
    {
        var request = UpdateMessageWriter.Write(FencedPush(), s_key, s_now, out var requestMac);
        var response = SignedResponse(request, requestMac, UpdateRcode.NxRrset, s_now);
        UpdateMessageReader.TryRead(response, out var read).ShouldBeTrue();
        read!.IsResponse.ShouldBeTrue();
        read.Rcode.ShouldBe(UpdateRcode.NxRrset);
        Tsig.VerifyResponse(response, read.Tsig!, s_key, requestMac, s_now).ShouldBe((ushort)0);

        Tsig.VerifyResponse(response, read.Tsig!, s_key, new byte[32], s_now).ShouldBe(Tsig.BadSig, "chained to another request");
        Tsig.VerifyResponse(response, read.Tsig!, new TsigKey("other.", s_key.Secret), requestMac, s_now).ShouldBe(Tsig.BadKey);
        Tsig.VerifyResponse(response, read.Tsig!, s_key, requestMac, s_now.AddSeconds(301)).ShouldBe(Tsig.BadTime);

        var tampered = response.ToArray();
        tampered[3] ^= 0x01; // the RCODE, which the MAC covers
        UpdateMessageReader.TryRead(tampered, out var forged).ShouldBeTrue();
        Tsig.VerifyResponse(tampered, forged!.Tsig!, s_key, requestMac, s_now).ShouldBe(Tsig.BadSig);
    }

    [Fact]
    public void TryRead_EveryPrefixOfASignedUpdate_IsFalse()
    {
        var signed = UpdateMessageWriter.Write(FencedPush(), s_key, s_now, out _);
        for (var length = 0; length < signed.Length; length++)
        {
            UpdateMessageReader.TryRead(signed.AsSpan(0, length), out var update).ShouldBeFalse($"prefix of {length}");
            update.ShouldBeNull();
        }
    }

    [Fact]
    public void TryReadAnswerRecords_EveryPrefixOfAResponse_IsFalse()
    {
        // A response as a server writes it, with a compressed owner (pointer to the question).
        var query = DnsQueryBuilder.Build(9, "api.svc.example.", DnsType.A);
        byte[] answer = [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 7];
        byte[] response = [.. query, .. answer];
        response[2] = 0x84;
        response[7] = 1;
        DnsResponseReader.TryReadAnswerRecords(response, out var rcode, out var truncated, out var records).ShouldBeTrue();
        (rcode, truncated).ShouldBe((0, false));
        records.Select(r => r.ToString()).ShouldBe(["api.svc.example. 60 IN A 192.0.2.7"]);
        for (var length = 0; length < response.Length; length++)
        {
            DnsResponseReader.TryReadAnswerRecords(response.AsSpan(0, length), out _, out _, out var none).ShouldBeFalse($"prefix of {length}");
            none.ShouldBeEmpty();
        }
    }

    public static TheoryData<string, byte[]> Hostile() => new()
    {
        // header: id, flags (0x28 = opcode 5), ZO, PR, UP, AD
        { "opcode QUERY",                  [0, 1, 0x00, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 1] },
        { "request without a zone",        [0, 1, 0x28, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
        { "two zones",                     [0, 1, 0x28, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 1, 0, 0, 6, 0, 1] },
        { "zone type not SOA",             [0, 1, 0x28, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1] },
        { "self pointer in zone name",     [0, 1, 0x28, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 6, 0, 1] },
        { "forward pointer in an owner",   [0, 1, 0x28, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 6, 0, 1, 0xC0, 40, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0] },
        { "prerequisite promised, none",   [0, 1, 0x28, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 6, 0, 1] },
        { "rdlength beyond the message",   [0, 1, 0x28, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 6, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 9, 1, 2] },
        { "octets after the last record",  [0, 1, 0x28, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 1, 0xFF] },
        { "label type 0b01",               [0, 1, 0x28, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0, 6, 0, 1] },
        { "TSIG with empty RDATA",         [0, 1, 0x28, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 6, 0, 1, 0, 0, 250, 0, 255, 0, 0, 0, 0, 0, 0] },
        { "TSIG not last",                 [.. TsigThenOpt()] },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void TryRead_HostilePacket_IsRefusedWithoutThrowing(string description, byte[] packet)
    {
        UpdateMessageReader.TryRead(packet, out var update).ShouldBeFalse(description);
        update.ShouldBeNull();
    }

    [Fact]
    public void TryRead_RandomAndMutatedMessages_NeverThrow()
    {
        var seeds = new[] { UpdateMessageWriter.Write(FencedPush(), s_key, s_now, out _), UpdateMessageWriter.Write(FencedPush()) };
        var random = new Random(2136);
        var read = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var packet = seeds[random.Next(seeds.Length)].ToArray();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                packet[random.Next(packet.Length)] = (byte)random.Next(256);
            }

            var length = random.Next(4) == 0 ? random.Next(packet.Length + 1) : packet.Length;
            if (UpdateMessageReader.TryRead(packet.AsSpan(0, length), out var update))
            {
                read++;
                update!.Zone.Length.ShouldBeGreaterThan(0);
            }
        }

        read.ShouldBeGreaterThan(10_000, "many mutations (TTLs, RDATA) still read");
    }

    [Fact]
    public void ReadOfWrittenUpdate_GivesBackTheMessage()
    {
        var label = Gen.Elements("abcxyz019-_".ToCharArray()).ArrayOf(1, 12).Select(a => new string(a));
        var owner = label.ArrayOf(0, 4).Select(l => string.Concat(l.Select(x => x + ".")) + "svc.example.");
        var record = from o in owner
                     from kind in Gen.Choose(0, 8)
                     from type in Gen.Elements(DnsType.A, DnsType.Aaaa, DnsType.Txt, (ushort)65280)
                     from ttl in Gen.Choose(0, int.MaxValue)
                     from data in Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(0, 40)
                     select kind switch
                     {
                         0 => UpdateRecords.RrsetExists(o, type),
                         1 => UpdateRecords.RrsetExistsWithValue(o, type, data),
                         2 => UpdateRecords.RrsetDoesNotExist(o, type),
                         3 => UpdateRecords.NameInUse(o),
                         4 => UpdateRecords.NameNotInUse(o),
                         5 => UpdateRecords.Add(o, type, (uint)ttl, data),
                         6 => UpdateRecords.DeleteRrset(o, type),
                         7 => UpdateRecords.DeleteName(o),
                         _ => UpdateRecords.DeleteRecord(o, type, data),
                     };
        var messages = from id in Gen.Choose(0, 65535)
                       from prerequisites in record.ArrayOf(0, 6)
                       from updates in record.ArrayOf(0, 10)
                       from response in Gen.Elements(true, false)
                       from rcode in Gen.Choose(0, 10)
                       from signed in Gen.Elements(true, false)
                       select (Message: new UpdateMessage((ushort)id, response, response ? rcode : 0, Holdfast.Dns.Names.WireName.FromText("svc.example."), [.. prerequisites], [.. updates]), Signed: signed);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1_500), Prop.ForAll(messages.ToArbitrary(), shape =>
        {
            var wire = UpdateMessageWriter.Write(shape.Message, shape.Signed ? s_key : null, s_now, out _);
            UpdateMessageReader.TryRead(wire, out var read).ShouldBeTrue(shape.Message.ToString());
            read.ShouldBe(shape.Message);
            (read!.Tsig is not null).ShouldBe(shape.Signed);
        }));
    }

    /// <summary>A response as a server signs it (RFC 8945 §4.3.2), with Holdfast's server-side signer, itself checked against BIND and Knot.</summary>
    private static byte[] SignedResponse(byte[] request, byte[] requestMac, int rcode, DateTimeOffset at)
    {
        UpdateMessageReader.TryRead(request, out var parsed).ShouldBeTrue();
        var unsigned = UpdateMessageWriter.Write(parsed! with { IsResponse = true, Rcode = rcode, Prerequisites = [], Updates = [] });
        var buffer = new byte[unsigned.Length + Tsig.RecordLength(s_key)];
        unsigned.CopyTo(buffer, 0);
        var length = Tsig.Sign(buffer, unsigned.Length, s_key, requestMac, timersOnly: false, (ulong)at.ToUnixTimeSeconds(), 300, 0, [], out _);
        return buffer[..length];
    }

    private static byte[] TsigThenOpt()
    {
        var signed = UpdateMessageWriter.Write(FencedPush(), s_key, s_now, out _);
        byte[] opt = [0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 0];
        byte[] packet = [.. signed, .. opt];
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), 2);
        return packet;
    }
}
