using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Holdfast.Client.Tests;

/// <summary>
/// A real Kestrel application server listening on several loopback addresses with one port (DNS gives addresses,
/// the URL gives the port). It answers 200 with the address that took the request, or the status that
/// <see cref="Status"/> chooses; it counts every request it received.
/// </summary>
internal sealed class KestrelBackends : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;

    private KestrelBackends(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Chooses each response's status; default 200.</summary>
    public Func<int> Status { get; set; } = () => StatusCodes.Status200OK;

    public static async Task<KestrelBackends> StartAsync(params string[] addresses)
    {
        var port = FreePort(IPAddress.Parse(addresses[0]));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            foreach (var address in addresses)
            {
                kestrel.Listen(IPAddress.Parse(address), port);
            }
        });
        var app = builder.Build();
        var backends = new KestrelBackends(app, port);
        app.Run(async context =>
        {
            Interlocked.Increment(ref backends._requests);
            context.Response.StatusCode = backends.Status();
            await context.Response.WriteAsync(context.Connection.LocalIpAddress!.ToString());
        });
        await app.StartAsync();
        return backends;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort(IPAddress address)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
