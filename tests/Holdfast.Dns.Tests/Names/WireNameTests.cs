using FsCheck;
using FsCheck.Fluent;
using Holdfast.Dns.Names;
using Holdfast.Testing;

namespace Holdfast.Dns.Tests.Names;

public sealed class WireNameTests
{
    private static readonly byte[] s_apiSvc = WireName.FromText("api.svc.example.");

    [Fact]
    public void TryRead_EveryPrefixOfAName_IsRejected()
    {
        var buffer = new byte[255];
        for (var length = 0; length < s_apiSvc.Length; length++)
        {
            WireName.TryRead(s_apiSvc.AsSpan(0, length), 0, buffer, out _, out var read).ShouldBeFalse($"prefix of {length}");
            read.ShouldBe(0);
        }

        WireName.TryRead(s_apiSvc, 0, buffer, out var nameLength, out var whole).ShouldBeTrue();
        whole.ShouldBe(s_apiSvc.Length);
        nameLength.ShouldBe(s_apiSvc.Length);
    }

    [Fact]
    public void TryRead_BackwardPointer_Decompresses()
    {
        // offset 0: 3 svc 7 example 0 | offset 13: 3 api, pointer → 0
        byte[] message = [3, .. "svc"u8, 7, .. "example"u8, 0, 3, .. "api"u8, 0xC0, 0x00];
        var buffer = new byte[255];
        WireName.TryRead(message, 13, buffer, out var length, out var read).ShouldBeTrue();
        read.ShouldBe(6, "3 + label + 2-octet pointer");
        WireName.ToText(buffer.AsSpan(0, length)).ShouldBe("api.svc.example.");
    }

    public static TheoryData<string, byte[], int> Hostile() => new()
    {
        // description                         bytes                                                  offset
        { "pointer to itself",                 [0xC0, 0x00],                                          0 },
        { "forward pointer",                   [0xC0, 0x02, 3, (byte)'a', (byte)'b', (byte)'c', 0],   0 },
        { "loop of two backward hops",         [1, (byte)'a', 0xC0, 0x04, 0xC0, 0x00],               4 },
        { "label of 64 octets",                [64, .. new byte[64], 0],                             0 },
        { "reserved label type 0b01",          [0x40, 0],                                             0 },
        { "reserved label type 0b10",          [0x80, 0],                                             0 },
        { "pointer cut in half",               [3, (byte)'a', (byte)'b', (byte)'c', 0xC0],           0 },
        { "no root label",                     [3, (byte)'a', (byte)'b', (byte)'c'],                 0 },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void TryRead_HostileName_IsRejectedWithoutThrowing(string description, byte[] message, int offset)
    {
        WireName.TryRead(message, offset, new byte[255], out _, out _).ShouldBeFalse(description);
    }

    [Fact]
    public void TryRead_NameOver255Octets_IsRejected()
    {
        // Five labels of 63 octets: 5 × 64 + 1 = 321 octets.
        var message = Enumerable.Range(0, 5).SelectMany(_ => new byte[] { 63 }.Concat(Enumerable.Repeat((byte)'a', 63))).Append((byte)0).ToArray();
        WireName.TryRead(message, 0, new byte[512], out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void TryRead_PointerChainBuildingAnOverlongName_IsRejected()
    {
        // Each step is a 63-octet label followed by a pointer to the previous step: backward, but the name grows past 255.
        var message = new List<byte>();
        var previous = -1;
        for (var i = 0; i < 6; i++)
        {
            var start = message.Count;
            message.Add(63);
            message.AddRange(Enumerable.Repeat((byte)'b', 63));
            if (previous < 0)
            {
                message.Add(0);
            }
            else
            {
                message.Add((byte)(0xC0 | (previous >> 8)));
                message.Add((byte)previous);
            }

            previous = start;
        }

        WireName.TryRead(message.ToArray(), previous, new byte[512], out _, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("", "empty label")]
    [InlineData("a..b.", "empty label")]
    [InlineData("this-label-is-far-too-long-for-dns-because-it-has-more-than-63-octets.example.", "label longer")]
    public void TryFromText_BadName_SaysWhy(string text, string reason)
    {
        if (text.Length == 0)
        {
            WireName.TryFromText(text, out var root, out _).ShouldBeTrue();
            root.ShouldBe(new byte[] { 0 });
            return;
        }

        WireName.TryFromText(text, out _, out var error).ShouldBeFalse();
        error.ShouldContain(reason);
    }

    [Fact]
    public void FromTextToText_RoundTripsAnyNameOfSafeLabels()
    {
        var label = Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-".ToCharArray()).ArrayOf(1, 63).Select(a => new string(a));
        var names = label.ArrayOf(1, 3).Select(l => string.Join('.', l) + ".");
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(names.ToArbitrary(), name => WireName.ToText(WireName.FromText(name)) == name));
    }

    [Fact]
    public void IsAtOrBelow_ComparesWholeLabels()
    {
        WireName.IsAtOrBelow(WireName.FromText("api.svc.example."), WireName.FromText("svc.example.")).ShouldBeTrue();
        WireName.IsAtOrBelow(WireName.FromText("svc.example."), WireName.FromText("svc.example.")).ShouldBeTrue();
        WireName.IsAtOrBelow(WireName.FromText("xsvc.example."), WireName.FromText("svc.example.")).ShouldBeFalse();
    }
}
