using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using Holdfast.Dns.Names;
using Holdfast.Dns.Records;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Tests.Transfer;

/// <summary>
/// Zones, requests and a test-side TSIG signer for the transfer tests. The zone at serial N:
/// <code>
/// svc.example.       3600 SOA   ns1.svc.example. hostmaster.svc.example. N 3600 600 604800 60
/// svc.example.       3600 NS    ns1.svc.example.
/// ns1.svc.example.   3600 A     127.0.0.53
/// www.svc.example.    300 CNAME api.svc.example.
/// api.svc.example.     60 A     the given addresses      ; endpoint, max answers 1
/// </code>
/// </summary>
internal static class TransferFixtures
{
    public const string Apex = "svc.example.";

    public static string Soa(uint serial) => $"svc.example. 3600 SOA ns1.svc.example. hostmaster.svc.example. {serial} 3600 600 604800 60";

    public static ZoneSnapshot Zone(uint serial, params string[] api) => Builder(serial, api).Build();

    public static ZoneSnapshotBuilder Builder(uint serial, params string[] api) =>
        new ZoneSnapshotBuilder(Apex)
            .WithSoa("ns1.svc.example.", "hostmaster.svc.example.", serial)
            .Add(Apex, DnsType.Ns, 3600, Rdata.Name("ns1.svc.example."))
            .Add("ns1.svc.example.", DnsType.A, 3600, Rdata.Address(IPAddress.Parse("127.0.0.53")))
            .Add("www.svc.example.", DnsType.Cname, 300, Rdata.Name("api.svc.example."))
            .SetEndpoint("api.svc.example.", 60, 1, [.. api.Select(a => new EndpointAddress(IPAddress.Parse(a)))]);

    public static ZoneSet Set(params ZoneSnapshot[] zones) => new(zones);

    public static ZoneTransferOptions Open(int journalDepth = 32, int maxRecords = 1_000_000, int maxMessageSize = 65535) => new()
    {
        AllowTransfer = [IPNetwork.Parse("127.0.0.0/8")],
        JournalDepth = journalDepth,
        JournalMaxRecords = maxRecords,
        MaxMessageSize = maxMessageSize,
    };

    public static byte[] Axfr(string apex = Apex, ushort? edns = null) => DnsQueryBuilder.Build(0x4242, apex, DnsType.Axfr, ednsPayload: edns);

    /// <summary>RFC 1995 §3: an IXFR query carries the client's SOA in authority; only its serial matters to us.</summary>
    public static byte[] Ixfr(uint serial, string apex = Apex, ushort? edns = null)
    {
        var query = DnsQueryBuilder.Build(0x4243, apex, DnsType.Ixfr);
        var soa = new byte[2 + 10 + 22];
        BinaryPrimitives.WriteUInt16BigEndian(soa, 0xC00C);
        BinaryPrimitives.WriteUInt16BigEndian(soa.AsSpan(2), DnsType.Soa);
        BinaryPrimitives.WriteUInt16BigEndian(soa.AsSpan(4), DnsConstants.ClassIn);
        BinaryPrimitives.WriteUInt16BigEndian(soa.AsSpan(10), 22);
        BinaryPrimitives.WriteUInt32BigEndian(soa.AsSpan(14), serial);
        byte[] message = [.. query, .. soa];
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(8), 1);
        if (edns is { } payload)
        {
            byte[] opt = [0, 0, 41, (byte)(payload >> 8), (byte)payload, 0, 0, 0, 0, 0, 0];
            message = [.. message, .. opt];
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(10), 1);
        }

        return message;
    }

    public static byte[] Notify(string apex = Apex)
    {
        var query = DnsQueryBuilder.Build(0x4244, apex, DnsType.Soa);
        query[2] = (4 << 3) | 0x04;
        return query;
    }

    /// <summary>Every message of the answer, copied (the handler reuses one buffer).</summary>
    public static List<byte[]> Respond(ZoneTransferHandler handler, byte[] request, string client = "127.0.0.1", bool overUdp = false) =>
        [.. handler.Respond(request, IPAddress.Parse(client), overUdp).Select(m => m.ToArray())];

    /// <summary>The answer records of all messages, in order, as presentation lines.</summary>
    public static List<string> Answers(IEnumerable<byte[]> messages) => [.. messages.SelectMany(m => ResponseView.Parse(m).Answer)];

    /// <summary>
    /// Signs <paramref name="message"/> with TSIG HMAC-SHA256, written here from RFC 8945 §4.2 and §4.3.3 without
    /// Holdfast's <see cref="Tsig"/>: the MAC input is the message as it is (before the TSIG is added), then
    /// key name, CLASS ANY, TTL 0, algorithm name, Time Signed (48 bits), Fudge, Error, Other Len.
    /// </summary>
    public static byte[] SignRequest(byte[] message, string keyName, byte[] secret, long timeSigned, ushort fudge = 300)
    {
        var name = WireName.FromText(keyName);
        var algorithm = WireName.FromText("hmac-sha256.");
        var variables = new List<byte>();
        variables.AddRange(name);
        variables.AddRange([0, 255, 0, 0, 0, 0]);
        variables.AddRange(algorithm);
        variables.AddRange(Uint48(timeSigned));
        variables.AddRange([(byte)(fudge >> 8), (byte)fudge, 0, 0, 0, 0]);
        var mac = HMACSHA256.HashData(secret, message.Concat(variables).ToArray());

        var rdata = new List<byte>();
        rdata.AddRange(algorithm);
        rdata.AddRange(Uint48(timeSigned));
        rdata.AddRange([(byte)(fudge >> 8), (byte)fudge, 0, 32]);
        rdata.AddRange(mac);
        rdata.AddRange([message[0], message[1], 0, 0, 0, 0]);
        var record = new List<byte>();
        record.AddRange(name);
        record.AddRange([0, 250, 0, 255, 0, 0, 0, 0, (byte)(rdata.Count >> 8), (byte)rdata.Count]);
        record.AddRange(rdata);
        byte[] signed = [.. message, .. record];
        BinaryPrimitives.WriteUInt16BigEndian(signed.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(signed.AsSpan(10)) + 1));
        return signed;
    }

    public static byte[] Uint48(long value) => [(byte)(value >> 40), (byte)(value >> 32), (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
