using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Tests.Wire;

public sealed class DnsQueryReaderTests
{
    [Fact]
    public void TryRead_EveryPrefixOfAQueryWithOpt_IsNeverOk()
    {
        var query = DnsQueryBuilder.Build(9, "api.svc.example.", DnsType.A, ednsPayload: 1232);
        DnsQueryReader.TryRead(query, out var whole).ShouldBe(QueryReadStatus.Ok);
        whole.HasOpt.ShouldBeTrue();
        for (var length = 0; length < query.Length; length++)
        {
            var status = DnsQueryReader.TryRead(query.AsSpan(0, length), out _);
            status.ShouldBe(length < 12 ? QueryReadStatus.Drop : QueryReadStatus.FormErr, $"prefix of {length}");
        }
    }

    [Fact]
    public void TryRead_ValidQuery_ReadsEveryField()
    {
        var query = DnsQueryBuilder.Build(0xBEEF, "Api.Svc.Example.", DnsType.Aaaa, ednsPayload: 4096, recursionDesired: true, dnssecOk: true);
        DnsQueryReader.TryRead(query, out var q).ShouldBe(QueryReadStatus.Ok);
        q.Id.ShouldBe((ushort)0xBEEF);
        q.RecursionDesired.ShouldBeTrue();
        q.QuestionType.ShouldBe(DnsType.Aaaa);
        q.QuestionNameLength.ShouldBe(17);
        q.UdpPayloadSize.ShouldBe((ushort)4096);
        q.DnssecOk.ShouldBeTrue();
        q.EdnsVersion.ShouldBe((byte)0);
    }

    public static TheoryData<string, byte[], QueryReadStatus> Hostile() => new()
    {
        // header: id=1, flags, qd, an, ns, ar
        { "QR set: a response",              [0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1],                                QueryReadStatus.Drop },
        { "no question",                     [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],                                                   QueryReadStatus.FormErr },
        { "pointer in the question",         [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 0x00, 0, 1, 0, 1],                           QueryReadStatus.FormErr },
        { "question type cut short",         [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1],                                          QueryReadStatus.FormErr },
        { "one additional promised, none",   [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1],                                    QueryReadStatus.FormErr },
        { "rdlength beyond the packet",      [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 9], QueryReadStatus.FormErr },
        { "two OPT records",                 [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 1, 0, 1, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 0, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 0], QueryReadStatus.FormErr },
        { "OPT owner not the root",          [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, (byte)'x', 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 0], QueryReadStatus.FormErr },
        // question ". A IN", then what follows
        { "octets after the last record",    [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0xFF],                               QueryReadStatus.FormErr },
        { "OPT in the answer section",       [0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 0], QueryReadStatus.FormErr },
        { "OPT in the authority section",    [0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 0], QueryReadStatus.FormErr },
        { "OPT option header cut short",     [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 2, 0, 3], QueryReadStatus.FormErr },
        { "OPT option overrunning its RDATA",[0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 5, 0xFD, 0xE9, 0, 2, 1], QueryReadStatus.FormErr },
        { "unknown option: ignored",         [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 5, 0xFD, 0xE9, 0, 1, 1], QueryReadStatus.Ok },
        { "A with three octets in answer",   [0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 3, 1, 2, 3], QueryReadStatus.FormErr },
        { "A in answer: read and ignored",   [0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4], QueryReadStatus.Ok },
        { "NS whose name overruns",          [0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 0, 1, 0, 0, 0, 60, 0, 2, 3, (byte)'a'], QueryReadStatus.FormErr },
        { "NS with a forward pointer",       [0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 0, 1, 0, 0, 0, 60, 0, 2, 0xC0, 0x40], QueryReadStatus.FormErr },
        { "TXT string overrunning",          [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 16, 0, 1, 0, 0, 0, 60, 0, 2, 9, (byte)'a'], QueryReadStatus.FormErr },
        { "SOA without its numbers",         [0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 6, 0, 1, 0, 0, 0, 60, 0, 6, 0, 0, 0, 0, 0, 0], QueryReadStatus.FormErr },
        { "opaque type: any RDATA",          [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0xFF, 0, 0, 1, 0, 0, 0, 60, 0, 1, 0xAB], QueryReadStatus.Ok },
        { "opcode 2, malformed body",        [0, 1, 0x10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0xFF],                            QueryReadStatus.FormErr },
        { "opcode 2, well formed",           [0, 1, 0x10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1],                                  QueryReadStatus.NotImp },
    };

    private static byte[] SignedQuery(ushort @class = 255, uint ttl = 0, bool compressedOwner = false, int macLength = 32, bool last = true)
    {
        var tsig = new List<byte>();
        tsig.AddRange(compressedOwner ? [0xC0, 12] : WireName.FromText("key."));
        tsig.AddRange([0, 250, (byte)(@class >> 8), (byte)@class, (byte)(ttl >> 24), (byte)(ttl >> 16), (byte)(ttl >> 8), (byte)ttl]);
        var rdata = new List<byte>(WireName.FromText("hmac-sha256."));
        rdata.AddRange([0, 0, 0x69, 0x55, 0xB9, 0, 1, 0x2C, 0, (byte)macLength]);
        rdata.AddRange(new byte[macLength]);
        rdata.AddRange([0, 1, 0, 0, 0, 0]);
        tsig.AddRange([(byte)(rdata.Count >> 8), (byte)rdata.Count]);
        tsig.AddRange(rdata);
        byte[] opt = [0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 0];
        byte[] header = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2];
        byte[] question = [0, 0, 1, 0, 1];
        return last ? [.. header, .. question, .. opt, .. tsig] : [.. header, .. question, .. tsig, .. opt];
    }

    [Fact]
    public void TryRead_WellFormedTsigLast_IsOkWithItsOffsets()
    {
        var packet = SignedQuery();
        DnsQueryReader.TryRead(packet, out var q).ShouldBe(QueryReadStatus.Ok);
        q.TsigOffset.ShouldBe(12 + 5 + 11);
        q.TsigKeyNameLength.ShouldBe(5);
        q.TsigAlgorithmLength.ShouldBe(13);
        q.HasOpt.ShouldBeTrue();
    }

    [Theory]
    [InlineData("class IN", 1, 0u, false, 32, true)]
    [InlineData("TTL 1", 255, 1u, false, 32, true)]
    [InlineData("compressed key name", 255, 0u, true, 32, true)]
    [InlineData("not the last record", 255, 0u, false, 32, false)]
    public void TryRead_MisplacedOrMalformedTsig_IsFormErr(string description, ushort @class, uint ttl, bool compressed, int mac, bool last)
    {
        DnsQueryReader.TryRead(SignedQuery(@class, ttl, compressed, mac, last), out _).ShouldBe(QueryReadStatus.FormErr, description);
    }

    [Fact]
    public void TryRead_TsigWhoseMacSizeOverrunsItsRdata_IsFormErr()
    {
        var packet = SignedQuery();
        packet[^(6 + 32 + 1)] = 200; // MAC size low octet: 200 octets promised, 32 present
        DnsQueryReader.TryRead(packet, out _).ShouldBe(QueryReadStatus.FormErr);
    }

    [Theory]
    [InlineData(8, false)]
    [InlineData(16, false)]
    [InlineData(40, false)]
    [InlineData(7, true)]
    [InlineData(9, true)]
    [InlineData(15, true)]
    [InlineData(41, true)]
    public void TryRead_CookieLength_IsJudgedByRfc7873(int length, bool malformed)
    {
        byte[] header = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1];
        byte[] packet = [.. header, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, (byte)(4 + length), 0, 10, 0, (byte)length, .. new byte[length]];
        DnsQueryReader.TryRead(packet, out var q).ShouldBe(QueryReadStatus.Ok);
        q.CookieMalformed.ShouldBe(malformed);
        q.CookieOffset.ShouldBe(malformed ? 0 : header.Length + 15);
        q.CookieLength.ShouldBe(malformed ? 0 : length);
    }

    [Fact]
    public void TryRead_NsidAndKeepalive_AreNoted()
    {
        byte[] packet = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 8, 0, 3, 0, 0, 0, 11, 0, 0];
        DnsQueryReader.TryRead(packet, out var q).ShouldBe(QueryReadStatus.Ok);
        q.NsidRequested.ShouldBeTrue();
        q.KeepaliveRequested.ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void TryRead_HostilePacket_IsClassifiedWithoutThrowing(string description, byte[] packet, QueryReadStatus expected)
    {
        DnsQueryReader.TryRead(packet, out _).ShouldBe(expected, description);
    }
}
