using System.Net;
using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Tests.Wire;

public sealed class DnsResponseReaderTests
{
    private static byte[] Answer(string name, ushort type)
    {
        var response = new byte[DnsConstants.TcpLimit];
        var length = new QueryEngine(TestZones.Standard()).Answer(DnsQueryBuilder.Build(9, name, type, ednsPayload: 1232), response, overUdp: false);
        return response[..length];
    }

    [Fact]
    public void TryReadAnswerAddresses_EndpointAnswer_ReadsEveryAddress()
    {
        var addresses = new List<IPAddress>();
        DnsResponseReader.TryReadAnswerAddresses(Answer("api.svc.example.", DnsType.A), addresses, out var rcode).ShouldBeTrue();
        rcode.ShouldBe(DnsRcode.NoError);
        addresses.Select(a => a.ToString()).Order().ShouldBe(["127.0.0.1", "127.0.0.2", "127.0.0.3"]);
    }

    [Fact]
    public void TryReadAnswerAddresses_CnameChain_ReadsTheAddressesAfterTheCname()
    {
        var addresses = new List<IPAddress>();
        DnsResponseReader.TryReadAnswerAddresses(Answer("www.svc.example.", DnsType.A), addresses, out _).ShouldBeTrue();
        addresses.Count.ShouldBe(3);
    }

    [Theory]
    [InlineData("nope.svc.example.", DnsRcode.NxDomain)]
    [InlineData("www.elsewhere.example.", DnsRcode.Refused)]
    public void TryReadAnswerAddresses_NoData_ReportsTheRcodeAndNoAddress(string name, int expected)
    {
        var addresses = new List<IPAddress>();
        DnsResponseReader.TryReadAnswerAddresses(Answer(name, DnsType.A), addresses, out var rcode).ShouldBeTrue();
        rcode.ShouldBe(expected);
        addresses.ShouldBeEmpty();
    }

    [Fact]
    public void TryReadAnswerAddresses_EveryTruncation_FailsCleanlyAndAddsNothing()
    {
        var full = Answer("api.svc.example.", DnsType.A);
        for (var length = 0; length < full.Length; length++)
        {
            var addresses = new List<IPAddress>();
            // A prefix may still parse when only the OPT record is cut; it must never add a partial set.
            if (DnsResponseReader.TryReadAnswerAddresses(full.AsSpan(0, length), addresses, out _))
            {
                addresses.Count.ShouldBe(3, $"prefix of {length} octets");
            }
            else
            {
                addresses.ShouldBeEmpty($"prefix of {length} octets");
            }
        }
    }

    [Fact]
    public void TryReadAnswerAddresses_Query_IsNotAResponse()
    {
        DnsResponseReader.TryReadAnswerAddresses(DnsQueryBuilder.Build(1, "api.svc.example.", DnsType.A), [], out _).ShouldBeFalse();
    }
}
