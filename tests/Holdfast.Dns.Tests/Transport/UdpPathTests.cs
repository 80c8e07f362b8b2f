using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transport;
using Holdfast.Dns.Wire;

namespace Holdfast.Dns.Tests.Transport;

/// <summary>
/// Both UDP paths (Linux recvmmsg/sendmmsg batches, and the portable one-datagram loop) answer every query of
/// a burst from several client sockets, each to its sender, with the matching ID.
/// </summary>
public sealed class UdpPathTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Burst_FromSeveralClients_EveryQueryAnsweredToItsSender(bool batched)
    {
        await using var server = new DnsServer(new QueryEngine(TestZones.Standard()), new DnsServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), BatchedUdp = batched }, TimeProvider.System);
        await server.StartAsync();
        var clients = Enumerable.Range(0, 4).Select(_ => new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))).ToList();
        try
        {
            const int perClient = 200;
            foreach (var (client, c) in clients.Select((client, c) => (client, c)))
            {
                for (var i = 0; i < perClient; i++)
                {
                    await client.SendAsync(DnsQueryBuilder.Build((ushort)((c * 1000) + i), "api.svc.example.", DnsType.A), server.UdpEndPoint);
                }
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            foreach (var (client, c) in clients.Select((client, c) => (client, c)))
            {
                var ids = new HashSet<int>();
                while (ids.Count < perClient)
                {
                    var result = await client.ReceiveAsync(timeout.Token);
                    var id = BinaryPrimitives.ReadUInt16BigEndian(result.Buffer);
                    (id / 1000).ShouldBe(c, "an answer reached the client that asked");
                    (result.Buffer[3] & 0x0F).ShouldBe(DnsRcode.NoError);
                    ids.Add(id);
                }
            }

            server.Answered.ShouldBe(4 * perClient);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}
