using System.Buffers.Binary;
using System.Security.Cryptography;
using Holdfast.Dns.Names;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;
using Holdfast.Testing;
using static Holdfast.Dns.Tests.Transfer.TransferFixtures;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Dns.Tests.Transfer;

/// <summary>
/// TSIG (RFC 8945, HMAC-SHA256). Requests are signed and responses checked by code in this test written from the
/// RFC (<see cref="TransferFixtures.SignRequest"/>, <see cref="ExpectedMac"/>), not by Holdfast's own
/// <see cref="Tsig"/>; the dig/kdig tests check the same against BIND's and Knot's implementations.
/// </summary>
public sealed class TsigTests
{
    private const string KeyName = "xfr-key.";
    private static readonly byte[] s_secret = [.. Enumerable.Range(0, 32).Select(i => (byte)(0xA0 ^ i))];
    private readonly FakeTimeProvider _time = new(TestTime.IncidentStart);

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    private ZoneTransferHandler Handler(bool requireTsig = true, int maxMessageSize = 65535)
    {
        var zone = Builder(5, [.. Enumerable.Range(1, 40).Select(i => $"127.0.2.{i}")]).Build();
        return new ZoneTransferHandler(new QueryEngine(Set(zone)), Open(maxMessageSize: maxMessageSize) with { TsigKeys = [new TsigKey(KeyName, s_secret)], RequireTsig = requireTsig }, _time);
    }

    [Fact]
    public void Axfr_SignedRequest_EveryMessageSignedAndChained()
    {
        using var handler = Handler(maxMessageSize: 512);
        var request = SignRequest(Axfr(), KeyName, s_secret, Now);
        var requestMac = request.AsSpan(request.Length - 6 - 32, 32).ToArray();
        var messages = Respond(handler, request);
        messages.Count.ShouldBeGreaterThan(2);
        Answers(messages).Count.ShouldBe(45);

        var prior = requestMac;
        for (var i = 0; i < messages.Count; i++)
        {
            var (unsigned, tsig) = Split(messages[i]);
            tsig.Error.ShouldBe((ushort)0);
            tsig.TimeSigned.ShouldBe((ulong)Now);
            tsig.Mac.ShouldBe(ExpectedMac(prior, unsigned, tsig, timersOnly: i > 0), $"message {i}");
            prior = tsig.Mac;
        }
    }

    [Fact]
    public void Verify_MacFromTheRfcLayout_IsAcceptedAndMatchesRequestMac()
    {
        var request = SignRequest(Axfr(), KeyName, s_secret, Now);
        TransferRequestReader.TryRead(request, out var parsed).ShouldBe(QueryReadStatus.Ok);
        var tsig = parsed!.Tsig.ShouldNotBeNull();
        Tsig.Verify(request, tsig, [new TsigKey(KeyName, s_secret)], _time.GetUtcNow(), out var key).ShouldBe((ushort)0);
        key!.NameText.ShouldBe(KeyName);
        Tsig.RequestMac(request, tsig, key).ShouldBe(tsig.Mac);
    }

    [Fact]
    public void Axfr_UnknownKey_IsNotAuthBadKeyUnsigned()
    {
        using var handler = Handler();
        var messages = Respond(handler, SignRequest(Axfr(), "other-key.", s_secret, Now));
        AssertTsigError(messages, Tsig.BadKey, signed: false, keyName: "other-key.");
        handler.Counters.TsigFailures.ShouldBe(1);
    }

    [Fact]
    public void Axfr_TamperedMessage_IsNotAuthBadSig()
    {
        using var handler = Handler();
        var request = SignRequest(Axfr(), KeyName, s_secret, Now);
        request[3] ^= 0x10; // a header bit the MAC covers
        AssertTsigError(Respond(handler, request), Tsig.BadSig, signed: false);
    }

    [Fact]
    public void Axfr_WrongSecret_IsNotAuthBadSig()
    {
        using var handler = Handler();
        AssertTsigError(Respond(handler, SignRequest(Axfr(), KeyName, new byte[32], Now)), Tsig.BadSig, signed: false);
    }

    [Fact]
    public void Axfr_SignedOutsideFudge_IsBadTimeSignedWithOurClock()
    {
        using var handler = Handler();
        var request = SignRequest(Axfr(), KeyName, s_secret, Now - 301);
        var messages = Respond(handler, request);
        var (unsigned, tsig) = AssertTsigError(messages, Tsig.BadTime, signed: true);

        // RFC 8945 §5.2.3: Time Signed stays the request's; Other Data carries the server's time.
        tsig.TimeSigned.ShouldBe((ulong)(Now - 301));
        tsig.OtherData.ShouldBe(Uint48(Now));
        tsig.Mac.ShouldBe(ExpectedMac(request.AsSpan(request.Length - 6 - 32, 32).ToArray(), unsigned, tsig, timersOnly: false));
    }

    [Fact]
    public void Axfr_SignedAtTheEdgeOfFudge_IsServed()
    {
        using var handler = Handler();
        ResponseView.Parse(Respond(handler, SignRequest(Axfr(), KeyName, s_secret, Now + 300))[0]).Rcode.ShouldBe(DnsRcode.NoError);
    }

    [Fact]
    public void Axfr_UnsignedWhenTsigRequired_IsRefused()
    {
        using var handler = Handler();
        ResponseView.Parse(Respond(handler, Axfr()).Single()).Rcode.ShouldBe(DnsRcode.Refused);
        handler.Counters.Refused.ShouldBe(1);
    }

    [Fact]
    public void Query_SignedSoaQuery_IsAnsweredByTheEngineAndSigned()
    {
        // Secondaries (Knot with a key) sign the SOA query that precedes each refresh.
        using var handler = Handler();
        var request = SignRequest(DnsQueryBuilder.Build(77, Apex, DnsType.Soa), KeyName, s_secret, Now);
        handler.Handles(request).ShouldBeTrue();
        handler.Handles(DnsQueryBuilder.Build(77, Apex, DnsType.Soa)).ShouldBeFalse();
        var messages = Respond(handler, request, overUdp: true);
        var (unsigned, tsig) = Split(messages.Single());
        var view = ResponseView.Parse(unsigned);
        view.Answer.ShouldBe([Soa(5)]);
        view.Aa.ShouldBeTrue();
        tsig.Mac.ShouldBe(ExpectedMac(request.AsSpan(request.Length - 6 - 32, 32).ToArray(), unsigned, tsig, timersOnly: false));
    }

    [Fact]
    public void TryRead_TsigNotLast_IsFormErr()
    {
        var signed = SignRequest(Axfr(edns: 1232), KeyName, s_secret, Now);

        // Move the OPT (11 octets, after the question) behind the TSIG.
        var questionEnd = 12 + WireName.FromText(Apex).Length + 4;
        byte[] reordered = [.. signed[..questionEnd], .. signed[(questionEnd + 11)..], .. signed[questionEnd..(questionEnd + 11)]];
        TransferRequestReader.TryRead(signed, out _).ShouldBe(QueryReadStatus.Ok);
        TransferRequestReader.TryRead(reordered, out _).ShouldBe(QueryReadStatus.FormErr);
    }

    [Fact]
    public void TryRead_EveryPrefixOfASignedRequest_IsNeverOk()
    {
        var signed = SignRequest(Ixfr(4), KeyName, s_secret, Now);
        for (var length = 0; length < signed.Length; length++)
        {
            TransferRequestReader.TryRead(signed.AsSpan(0, length), out _).ShouldNotBe(QueryReadStatus.Ok, $"prefix of {length}");
        }
    }

    private static (byte[] Unsigned, TsigFields Tsig) AssertTsigError(List<byte[]> messages, ushort error, bool signed, string keyName = KeyName)
    {
        var message = messages.ShouldHaveSingleItem();
        ResponseView.Parse(message).Rcode.ShouldBe(9, "NOTAUTH");
        var (unsigned, tsig) = Split(message, keyName);
        tsig.Error.ShouldBe(error);
        tsig.Mac.Length.ShouldBe(signed ? 32 : 0);
        return (unsigned, tsig);
    }

    /// <summary>RFC 8945 §4.3.1 and §5.3.1: what the MAC of a response message must be, computed here from the RFC.</summary>
    private static byte[] ExpectedMac(byte[] priorMac, byte[] unsigned, TsigFields tsig, bool timersOnly)
    {
        var input = new List<byte> { 0, (byte)priorMac.Length };
        input.AddRange(priorMac);
        input.AddRange(unsigned);
        if (timersOnly)
        {
            input.AddRange(Uint48((long)tsig.TimeSigned));
            input.AddRange([(byte)(tsig.Fudge >> 8), (byte)tsig.Fudge]);
        }
        else
        {
            input.AddRange(WireName.FromText(KeyName));
            input.AddRange([0, 255, 0, 0, 0, 0]);
            input.AddRange(WireName.FromText("hmac-sha256."));
            input.AddRange(Uint48((long)tsig.TimeSigned));
            input.AddRange([(byte)(tsig.Fudge >> 8), (byte)tsig.Fudge, (byte)(tsig.Error >> 8), (byte)tsig.Error, 0, (byte)tsig.OtherData.Length]);
            input.AddRange(tsig.OtherData);
        }

        return HMACSHA256.HashData(s_secret, input.ToArray());
    }

    private sealed record TsigFields(ulong TimeSigned, ushort Fudge, byte[] Mac, ushort Error, byte[] OtherData);

    /// <summary>The message as it was before its TSIG was added (ARCOUNT - 1), and the TSIG's fields.</summary>
    private static (byte[] Unsigned, TsigFields Tsig) Split(byte[] message, string keyName = KeyName)
    {
        var counts = Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(4 + (2 * i)))).ToArray();
        var position = 12;
        var name = new byte[255];
        for (var i = 0; i < counts[0]; i++)
        {
            WireName.TryRead(message, position, name, out _, out var read).ShouldBeTrue();
            position += read + 4;
        }

        var records = counts[1] + counts[2] + counts[3];
        var last = 0;
        for (var i = 0; i < records; i++)
        {
            last = position;
            WireName.TryRead(message, position, name, out _, out var read).ShouldBeTrue();
            position += read + 10 + BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(position + read + 8));
        }

        WireName.TryRead(message, last, name, out var ownerLength, out var ownerRead).ShouldBeTrue();
        WireName.ToText(name.AsSpan(0, ownerLength)).ShouldBe(keyName);
        BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(last + ownerRead)).ShouldBe(Tsig.Type);
        var p = last + ownerRead + 10;
        WireName.TryRead(message, p, name, out var algorithmLength, out var algorithmRead).ShouldBeTrue();
        WireName.ToText(name.AsSpan(0, algorithmLength)).ShouldBe("hmac-sha256.");
        p += algorithmRead;
        var time = ((ulong)BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(p)) << 32) | BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(p + 2));
        var fudge = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(p + 6));
        var macSize = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(p + 8));
        var mac = message.AsSpan(p + 10, macSize).ToArray();
        p += 10 + macSize;
        BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(p)).ShouldBe(BinaryPrimitives.ReadUInt16BigEndian(message), "original ID");
        var error = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(p + 2));
        var otherLength = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(p + 4));
        var other = message.AsSpan(p + 6, otherLength).ToArray();
        (p + 6 + otherLength).ShouldBe(message.Length);

        var unsigned = message[..last];
        BinaryPrimitives.WriteUInt16BigEndian(unsigned.AsSpan(10), (ushort)(counts[3] - 1));
        return (unsigned, new TsigFields(time, fudge, mac, error, other));
    }
}
