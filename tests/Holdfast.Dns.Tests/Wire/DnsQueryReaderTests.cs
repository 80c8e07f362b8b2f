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
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void TryRead_HostilePacket_IsClassifiedWithoutThrowing(string description, byte[] packet, QueryReadStatus expected)
    {
        DnsQueryReader.TryRead(packet, out _).ShouldBe(expected, description);
    }
}
