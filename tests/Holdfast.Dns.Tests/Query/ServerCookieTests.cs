using System.Buffers.Binary;
using System.Net;
using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Dns.Tests.Query;

/// <summary>
/// Server cookies made and verified (RFC 9018 §4), checked against RFC 9018 Appendix A's test vectors, then the
/// engine's verdict during its one read of the query.
/// </summary>
public sealed class ServerCookieTests
{
    private static readonly byte[] s_secret = Convert.FromHexString("e5e973e5a6b2a43f48e7dc849e37bfcf");
    private static readonly byte[] s_client1 = IPAddress.Parse("198.51.100.100").GetAddressBytes();

    /// <summary>
    /// RFC 9018 Appendix A.1-A.4: the secret the query's cookie was made with, the secret the answer is made with,
    /// the client's address, the COOKIE option data received and its time, the time of the answer and the COOKIE
    /// option data answered. A.1's query has a client cookie only; A.3's server cookie has non-zero reserved octets;
    /// A.4 is an IPv6 client whose cookie was made under the previous secret.
    /// </summary>
    public static TheoryData<string, string, string, string, uint, uint, string> Vectors() => new()
    {
        { "e5e973e5a6b2a43f48e7dc849e37bfcf", "e5e973e5a6b2a43f48e7dc849e37bfcf", "198.51.100.100", "2464c4abcf10c957", 0, 1559731985, "2464c4abcf10c957010000005cf79f111f8130c3eee29480" },
        { "e5e973e5a6b2a43f48e7dc849e37bfcf", "e5e973e5a6b2a43f48e7dc849e37bfcf", "198.51.100.100", "2464c4abcf10c957010000005cf79f111f8130c3eee29480", 1559731985, 1559734385, "2464c4abcf10c957010000005cf7a871d4a564a1442aca77" },
        { "e5e973e5a6b2a43f48e7dc849e37bfcf", "e5e973e5a6b2a43f48e7dc849e37bfcf", "203.0.113.203", "fc93fc62807ddb8601abcdef5cf78f71a314227b6679ebf5", 1559727985, 1559734700, "fc93fc62807ddb86010000005cf7a9acf73a7810aca2381e" },
        { "dd3bdf9344b678b185a6f5cb60fca715", "445536bcd2513298075a5d379663c962", "2001:db8:220:1:59de:d0f4:8769:82b8", "22681ab97d52c298010000005cf7c57926556bd0934c72f8", 1559741817, 1559741961, "22681ab97d52c298010000005cf7c609a6bb79d16625507a" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Rfc9018Vectors_TheQueryVerifiesAndTheAnswerIsMadeOctetForOctet(string madeWith, string answeredWith, string client, string received, uint madeAt, uint answeredAt, string answered)
    {
        var address = IPAddress.Parse(client).GetAddressBytes();
        var query = Convert.FromHexString(received);
        ServerCookie.IsValid(query, Convert.FromHexString(madeWith), madeAt, address).ShouldBe(query.Length == 24, "a client cookie alone carries nothing to verify");

        var written = new byte[ServerCookie.Length];
        ServerCookie.Write(written, query.AsSpan(0, 8), Convert.FromHexString(answeredWith), answeredAt, address);
        Convert.ToHexStringLower(written).ShouldBe(answered[16..]);
        ServerCookie.IsValid(Convert.FromHexString(answered), Convert.FromHexString(answeredWith), answeredAt, address).ShouldBeTrue("the answered cookie verifies at once");
    }

    [Fact]
    public void IsValid_Rfc9018A3_IsStaleAtTheTimeOfItsAnswer()
    {
        // A.3's cookie is 1 h 52 min old when it is answered: outside §4.3's hour, so it is answered but not valid.
        var received = Convert.FromHexString("fc93fc62807ddb8601abcdef5cf78f71a314227b6679ebf5");
        ServerCookie.IsValid(received, s_secret, 1559734700, IPAddress.Parse("203.0.113.203").GetAddressBytes()).ShouldBeFalse();
    }

    [Fact]
    public void IsValid_CookieMadeUnderThePreviousSecret_IsRefusedUnderTheNewOne()
    {
        // A.4 again: Holdfast holds one secret (no roll-over), so a cookie of the old one is not valid under the new.
        var received = Convert.FromHexString("22681ab97d52c298010000005cf7c57926556bd0934c72f8");
        var address = IPAddress.Parse("2001:db8:220:1:59de:d0f4:8769:82b8").GetAddressBytes();
        ServerCookie.IsValid(received, Convert.FromHexString("445536bcd2513298075a5d379663c962"), 1559741961, address).ShouldBeFalse();
    }

    [Theory]
    [InlineData(-3601, false)]
    [InlineData(-3600, true)]
    [InlineData(0, true)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    public void IsValid_Timestamp_IsAcceptedFromOneHourAgoToFiveMinutesAhead(int offset, bool valid)
    {
        const uint now = 1559731985;
        var cookie = Made((uint)(now + offset));
        ServerCookie.IsValid(cookie, s_secret, now, s_client1).ShouldBe(valid);
    }

    [Fact]
    public void IsValid_AcrossTheTimestampWrap_ComparesBySerialArithmetic()
    {
        // RFC 9018 §4.3 uses RFC 1982: made 10 s before 2^32 seconds, checked 20 s after, it is 30 s old.
        ServerCookie.IsValid(Made(uint.MaxValue - 9), s_secret, 20, s_client1).ShouldBeTrue();
        ServerCookie.IsValid(Made(20), s_secret, uint.MaxValue - 9, s_client1).ShouldBeTrue("30 s ahead is inside the window");
    }

    [Theory]
    [InlineData(0)]  // client cookie
    [InlineData(8)]  // version
    [InlineData(9)]  // reserved
    [InlineData(12)] // timestamp
    [InlineData(16)] // hash
    [InlineData(23)]
    public void IsValid_AnyOctetAltered_IsRefused(int index)
    {
        var cookie = Made(1559731985);
        cookie[index] ^= 0x01;
        ServerCookie.IsValid(cookie, s_secret, 1559731985, s_client1).ShouldBeFalse();
    }

    [Fact]
    public void IsValid_AnotherClientAddressOrLength_IsRefused()
    {
        var cookie = Made(1559731985);
        ServerCookie.IsValid(cookie, s_secret, 1559731985, [198, 51, 100, 101]).ShouldBeFalse();
        ServerCookie.IsValid([.. cookie, 0], s_secret, 1559731985, s_client1).ShouldBeFalse("RFC 7873 allows 8-32 server octets; only 16 are RFC 9018's form");
        ServerCookie.IsValid(cookie.AsSpan(0, 16), s_secret, 1559731985, s_client1).ShouldBeFalse();
    }

    [Fact]
    public void Answer_CookieFromAPreviousAnswer_IsValidInTheOutcome()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1559731985));
        var engine = new QueryEngine(TestZones.Standard(), new EdnsFeatures { CookieSecret = s_secret, Time = time });
        var response = new byte[DnsConstants.TcpLimit];

        var length = engine.Answer(WithCookie(Convert.FromHexString("2464c4abcf10c957")), response, true, s_client1, out var first);
        first.ValidServerCookie.ShouldBeFalse("a client cookie alone proves nothing");
        var learned = AnsweredCookie(response, length);

        engine.Answer(WithCookie(learned), response, true, s_client1, out var second);
        second.ValidServerCookie.ShouldBeTrue();

        engine.Answer(WithCookie(learned), response, true, [198, 51, 100, 101], out var elsewhere);
        elsewhere.ValidServerCookie.ShouldBeFalse("a cookie is bound to the address it was made for");

        time.Advance(TimeSpan.FromSeconds(ServerCookie.MaxAgeSeconds + 1));
        length = engine.Answer(WithCookie(learned), response, true, s_client1, out var stale);
        stale.ValidServerCookie.ShouldBeFalse();
        var fresh = AnsweredCookie(response, length);
        BinaryPrimitives.ReadUInt32BigEndian(fresh.AsSpan(12)).ShouldBe(1559731985u + ServerCookie.MaxAgeSeconds + 1, "a stale cookie is answered with a fresh one");
    }

    [Fact]
    public void Answer_WithoutACookieSecret_NoCookieIsValid()
    {
        var engine = new QueryEngine(TestZones.Standard());
        engine.Answer(WithCookie(Made(1559731985)), new byte[DnsConstants.TcpLimit], true, s_client1, out var outcome);
        outcome.ValidServerCookie.ShouldBeFalse();
    }

    /// <summary>A query for api.svc.example. A whose OPT carries one COOKIE option with <paramref name="cookie"/>.</summary>
    public static byte[] WithCookie(byte[] cookie)
    {
        var query = DnsQueryBuilder.Build(5, "api.svc.example.", DnsType.A, ednsPayload: 1232);
        BinaryPrimitives.WriteUInt16BigEndian(query.AsSpan(query.Length - 2), (ushort)(4 + cookie.Length));
        return [.. query, 0, 10, 0, (byte)cookie.Length, .. cookie];
    }

    /// <summary>
    /// The COOKIE option data of a UDP answer of <paramref name="length"/> octets. The engine writes NSID, COOKIE,
    /// keepalive in that order and keepalive never over UDP, so the COOKIE is the last option of the OPT, which is
    /// the last record.
    /// </summary>
    private static byte[] AnsweredCookie(byte[] response, int length)
    {
        response.AsSpan(length - 28, 4).ToArray().ShouldBe(new byte[] { 0, 10, 0, 24 });
        return response[(length - 24)..length];
    }

    /// <summary>The COOKIE option data (client cookie 2464c4abcf10c957, then a server cookie) made for 198.51.100.100.</summary>
    private static byte[] Made(uint timestamp)
    {
        byte[] cookie = [.. Convert.FromHexString("2464c4abcf10c957"), .. new byte[ServerCookie.Length]];
        ServerCookie.Write(cookie.AsSpan(8), cookie.AsSpan(0, 8), s_secret, timestamp, s_client1);
        return cookie;
    }
}
