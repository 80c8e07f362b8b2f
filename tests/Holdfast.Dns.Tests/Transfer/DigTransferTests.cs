using System.Net;
using System.Text.RegularExpressions;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Transport;
using Holdfast.Dns.Zones;
using Holdfast.Testing;
using static Holdfast.Dns.Tests.Transfer.TransferFixtures;

namespace Holdfast.Dns.Tests.Transfer;

/// <summary>
/// Real transfer clients from Debian against a Holdfast server on 127.0.0.1 with a free port: <c>dig</c>
/// (BIND's message and TSIG code) and <c>kdig</c> (Knot's) do AXFR and IXFR, signed and unsigned, and verify
/// every TSIG of a multi-message transfer themselves.
/// </summary>
public sealed partial class DigTransferTests : IAsyncLifetime
{
    private const string KeyName = "xfr-key.";
    private const int Endpoints = 3000;
    private static readonly byte[] s_secret = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 13))];
    private readonly QueryEngine _engine = new(Set(LargeZone(1, "127.0.0.1")));
    private ZoneTransferHandler _handler = null!;
    private DnsServer _server = null!;

    private int Port => _server.TcpEndPoint.Port;

    public async ValueTask InitializeAsync()
    {
        var options = Open() with { TsigKeys = [new TsigKey(KeyName, s_secret)] };
        _handler = new ZoneTransferHandler(_engine, options, TimeProvider.System);
        _server = new DnsServer(_engine, new DnsServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), UdpLoops = 1 }, TimeProvider.System, _handler);
        await _server.StartAsync();
        _engine.Update(Set(LargeZone(2, "127.0.0.2", "127.0.0.3")));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _handler.Dispose();
    }

    [Theory]
    [InlineData("dig", false)]
    [InlineData("dig", true)]
    [InlineData("kdig", false)]
    [InlineData("kdig", true)]
    public async Task Client_Axfr_ReceivesWholeZoneAcrossMessages(string client, bool withTsig)
    {
        var key = withTsig ? $"-y hmac-sha256:{KeyName}:{Convert.ToBase64String(s_secret)}" : "";
        var (exit, output) = await ExternalTool.RunAsync(client, $"@127.0.0.1 -p {Port} {key} svc.example. AXFR");
        exit.ShouldBe(0, output);
        output.ShouldNotContain("failed", Case.Insensitive);
        output.ShouldNotContain("WARNING", Case.Insensitive);
        SoaLine().Count(output).ShouldBe(2, output[..Math.Min(2000, output.Length)]);
        output.ShouldContain("endpoint-2999.svc.example.");
        output.ShouldMatch(@"api\.svc\.example\.\s+60\s+IN\s+A\s+127\.0\.0\.3");
        var records = RecordLine().Count(output);
        records.ShouldBe((Endpoints * 2) + 7, "SOA, NS, ns1, www, two api addresses, two per endpoint, SOA");
        if (client == "dig")
        {
            // dig reports how many messages made up the transfer: more than one means TSIG chaining was checked.
            var messages = int.Parse(MessagesLine().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            messages.ShouldBeGreaterThan(1);
        }
    }

    [Theory]
    [InlineData("dig")]
    [InlineData("kdig")]
    public async Task Client_IxfrFromPreviousSerial_GetsTheDifference(string client)
    {
        var (exit, output) = await ExternalTool.RunAsync(client, $"@127.0.0.1 -p {Port} +tcp -y hmac-sha256:{KeyName}:{Convert.ToBase64String(s_secret)} svc.example. IXFR=1");
        exit.ShouldBe(0, output);
        output.ShouldNotContain("failed", Case.Insensitive);
        SoaLine().Count(output).ShouldBe(4, output);
        output.ShouldMatch(@"api\.svc\.example\.\s+60\s+IN\s+A\s+127\.0\.0\.1");
        output.ShouldMatch(@"api\.svc\.example\.\s+60\s+IN\s+A\s+127\.0\.0\.3");
        output.ShouldNotContain("endpoint-1.svc.example.");
        _handler.Counters.IxfrIncremental.ShouldBe(1);
    }

    [Fact]
    public async Task Dig_WrongSecret_TransferFailsWithBadSig()
    {
        var (_, output) = await ExternalTool.RunAsync("dig", $"@127.0.0.1 -p {Port} -y hmac-sha256:{KeyName}:{Convert.ToBase64String(new byte[32])} svc.example. AXFR");
        // dig's wording for an answer whose TSIG carries an error (ours: NOTAUTH with BADSIG, unsigned).
        output.ShouldContain("tsig indicates error");
        output.ShouldNotContain("endpoint-1.svc.example.");
        _handler.Counters.TsigFailures.ShouldBe(1);
    }

    private static ZoneSnapshot LargeZone(uint serial, params string[] api)
    {
        var builder = Builder(serial, api);
        for (var i = 0; i < Endpoints; i++)
        {
            builder.SetEndpoint($"endpoint-{i}.svc.example.", 60, 1, [new(IPAddress.Parse($"127.1.{i / 250}.{i % 250}")), new(IPAddress.Parse($"127.2.{i / 250}.{i % 250}"))]);
        }

        return builder.Build();
    }

    [GeneratedRegex(@"^svc\.example\.\s+3600\s+IN\s+SOA\s", RegexOptions.Multiline)]
    private static partial Regex SoaLine();

    [GeneratedRegex(@"^[a-z0-9.-]+\s+\d+\s+IN\s+[A-Z]+\s", RegexOptions.Multiline)]
    private static partial Regex RecordLine();

    [GeneratedRegex(@"XFR size: \d+ records \(messages (\d+)")]
    private static partial Regex MessagesLine();
}
