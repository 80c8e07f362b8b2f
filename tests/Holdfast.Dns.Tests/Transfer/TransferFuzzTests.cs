using System.Net;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;
using Holdfast.Testing;
using static Holdfast.Dns.Tests.Transfer.TransferFixtures;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Dns.Tests.Transfer;

/// <summary>
/// Random and mutated transfer requests (AXFR, IXFR, NOTIFY, signed and not) through the handler: nothing may
/// throw, and every message it produces must be a well-formed response. Seeded, so a failure is replayable.
/// </summary>
public sealed class TransferFuzzTests
{
    [Fact]
    public void Respond_RandomAndMutatedRequests_NeverThrowsAndAnswersParse()
    {
        var time = new FakeTimeProvider(TestTime.IncidentStart);
        var key = new TsigKey("xfr-key.", [.. Enumerable.Range(0, 32).Select(i => (byte)i)]);
        var engine = new QueryEngine(Set(Zone(1, "127.0.0.1")));
        using var handler = new ZoneTransferHandler(engine, Open(journalDepth: 4) with { TsigKeys = [key] }, time);
        engine.Update(Set(Zone(2, "127.0.0.2")));
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        byte[][] seeds =
        [
            Axfr(), Axfr(edns: 1232), Ixfr(1), Ixfr(2, edns: 4096), Ixfr(0), Notify(),
            SignRequest(Axfr(), "xfr-key.", key.Secret, now), SignRequest(Ixfr(1, edns: 1232), "xfr-key.", key.Secret, now),
            SignRequest(DnsQueryBuilder.Build(3, Apex, DnsType.Soa), "xfr-key.", key.Secret, now),
            SignRequest(Notify(), "a-much-longer-key-name-that-nobody-configured.with.many.labels.", key.Secret, now),
        ];
        var random = new Random(5936);
        var buffer = new byte[700];
        var answered = 0;
        for (var i = 0; i < 200_000; i++)
        {
            int length;
            if (i % 5 == 0)
            {
                length = random.Next(0, 120);
                random.NextBytes(buffer.AsSpan(0, length));
            }
            else
            {
                var seed = seeds[random.Next(seeds.Length)];
                seed.CopyTo(buffer, 0);
                length = seed.Length;
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    buffer[random.Next(length)] = (byte)random.Next(256);
                }

                if (random.Next(4) == 0)
                {
                    length = random.Next(length + 1);
                }
            }

            var overUdp = random.Next(2) == 0;
            foreach (var message in handler.Respond(buffer.AsMemory(0, length).ToArray(), IPAddress.Loopback, overUdp))
            {
                message.Length.ShouldBeLessThanOrEqualTo(DnsConstants.TcpLimit);
                var view = ResponseView.Parse(message.Span);
                view.Qr.ShouldBeTrue();
                answered++;
            }
        }

        answered.ShouldBeGreaterThan(100_000, "most mutated requests still get an answer");
    }
}
