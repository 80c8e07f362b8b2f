using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Tests.Query;

/// <summary>
/// One million random and mutated messages through the reader and the engine: nothing may throw, every
/// answer must be a well-formed response within the transport's limit. Seeded, so a failure is replayable.
/// </summary>
public sealed class QueryEngineFuzzTests
{
    [Fact]
    public void Answer_MillionRandomAndMutatedMessages_NeverThrowsAndAnswersStayInBounds()
    {
        var engine = new QueryEngine(TestZones.Standard(maxAnswers: 2));
        var random = new Random(20251019);
        string[] names = ["api.svc.example.", "www.svc.example.", "svc.example.", "nope.svc.example.", "b.c.svc.example.", "x.org."];
        ushort[] types = [DnsType.A, DnsType.Aaaa, DnsType.Ns, DnsType.Soa, DnsType.Any, DnsType.Cname, DnsType.Txt, 99];
        var seeds = names.SelectMany(n => types.Select(t => DnsQueryBuilder.Build(1, n, t, ednsPayload: (ushort)random.Next(0, 5000)))).ToArray();
        var message = new byte[600];
        var response = new byte[65535];
        var answered = 0;
        for (var i = 0; i < 1_000_000; i++)
        {
            int length;
            if (i % 4 == 0)
            {
                // Pure noise, with a plausible header half the time.
                length = random.Next(0, 80);
                random.NextBytes(message.AsSpan(0, length));
            }
            else
            {
                var seed = seeds[random.Next(seeds.Length)];
                length = Math.Min(seed.Length + random.Next(-3, 4), message.Length);
                length = Math.Max(length, 0);
                seed.AsSpan(0, Math.Min(seed.Length, length)).CopyTo(message);
                for (var flips = random.Next(1, 4); flips > 0 && length > 0; flips--)
                {
                    message[random.Next(length)] = (byte)random.Next(256);
                }
            }

            var udp = (i & 1) == 0;
            var written = engine.Answer(message.AsSpan(0, length), response, udp);
            if (written == 0)
            {
                continue;
            }

            answered++;
            written.ShouldBeGreaterThanOrEqualTo(12);
            written.ShouldBeLessThanOrEqualTo(udp ? 1232 : 65535);
            (response[2] & 0x80).ShouldBe(0x80, "every answer is a response");
            response.AsSpan(0, 2).SequenceEqual(message.AsSpan(0, 2)).ShouldBeTrue("the id is echoed");
        }

        answered.ShouldBeGreaterThan(100_000, "the mutations must keep many messages answerable");
    }
}
