using System.Net;
using System.Net.Sockets;

namespace Holdfast.Cli.Tests;

/// <summary>Free loopback ports: bound to port 0, read back and released (TCP and UDP both free for DNS).</summary>
internal static class LoopbackPorts
{
    public static int Free()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // The UDP side of this port is taken; try another.
            }
        }

        throw new InvalidOperationException("no free loopback port with both TCP and UDP free");
    }
}
