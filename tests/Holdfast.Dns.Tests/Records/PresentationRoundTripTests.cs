using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Holdfast.Dns.Records;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;
using Holdfast.Testing;

namespace Holdfast.Dns.Tests.Records;

/// <summary>
/// Presentation → parse → presentation for generated records of every type Holdfast writes, including
/// names and strings of arbitrary octets (escapes) and unknown types in RFC 3597 generic form.
/// </summary>
public sealed class PresentationRoundTripTests
{
    private static readonly Gen<byte> s_octet = Gen.Choose(0, 255).Select(i => (byte)(i is >= 'A' and <= 'Z' ? i | 0x20 : i));

    /// <summary>A lower-case wire name of 0–4 labels of any octets (names are stored lower-case), at most 255 octets.</summary>
    private static readonly Gen<byte[]> s_name =
        Octets(1, 20).ArrayOf(0, 4)
            .Select(labels => labels.SelectMany(l => new[] { (byte)l.Length }.Concat(l)).Append((byte)0).ToArray());

    private static Gen<byte[]> Octets(int min, int max) => s_octet.ArrayOf(min, max);

    private static Gen<byte[]> Numbers(int octets) => Octets(octets, octets);

    private static Gen<byte[]> Concat(params Gen<byte[]>[] parts) =>
        parts.Aggregate(Gen.Constant(Array.Empty<byte>()), (sofar, next) => sofar.SelectMany(a => next.Select(b => a.Concat(b).ToArray())));

    private static readonly Gen<(ushort Type, byte[] Rdata)> s_rdata = Gen.OneOf(
        Numbers(4).Select(d => (DnsType.A, d)),
        Numbers(16).Select(d => (DnsType.Aaaa, d)),
        s_name.Select(d => (DnsType.Ns, d)),
        s_name.Select(d => (DnsType.Cname, d)),
        s_name.Select(d => (DnsType.Ptr, d)),
        Concat(s_name, s_name, Numbers(20)).Select(d => (DnsType.Soa, d)),
        Concat(Numbers(2), s_name).Select(d => (DnsType.Mx, d)),
        Concat(Numbers(6), s_name).Select(d => (DnsType.Srv, d)),
        Octets(0, 255).Select(s => new[] { (byte)s.Length }.Concat(s).ToArray()).ArrayOf(1, 4).Select(a => (DnsType.Txt, a.SelectMany(x => x).ToArray())),
        Gen.Elements("issue", "issuewild", "iodef", "Tbs9").SelectMany(tag => Concat(Numbers(1), Octets(0, 300)).Select(d => (DnsType.Caa, new[] { d[0], (byte)tag.Length }.Concat(System.Text.Encoding.ASCII.GetBytes(tag)).Concat(d[1..]).ToArray()))),
        Gen.Choose(0, 65535).Select(t => (ushort)t).Where(t => !RecordTypes.IsKnown(t) && RecordTypes.IsDataType(t)).SelectMany(t => Octets(0, 100).Select(d => (t, d))));

    [Fact]
    public void FormatParseFormat_GeneratedRecords_RoundTrip()
    {
        var records = s_name.SelectMany(owner => Gen.Choose(0, int.MaxValue).SelectMany(ttl => s_rdata.Select(r => (Owner: owner, Ttl: (uint)ttl, r.Type, r.Rdata))));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), Prop.ForAll(records.ToArbitrary(), record =>
        {
            var line = RdataFormatter.FormatRecord(record.Owner, record.Ttl, record.Type, record.Rdata);
            MasterFileReader.TryReadRecords(line, "g.zone", ".", out var read, out var errors).ShouldBeTrue($"{line}\n{string.Join('\n', errors)}");
            read.Count.ShouldBe(1, line);
            read[0].Owner.ShouldBe(record.Owner, line);
            read[0].Ttl.ShouldBe(record.Ttl, line);
            read[0].Type.ShouldBe(record.Type, line);
            read[0].Rdata.ShouldBe(record.Rdata, line);
            read[0].ToString().ShouldBe(line);
        }));
    }

    [Theory]
    [InlineData(DnsType.A, "7f000001", "127.0.0.1")]
    [InlineData(DnsType.A, "7f0000", "\\# 3 7f0000")]
    [InlineData(DnsType.Txt, "", "\\# 0")]
    [InlineData(DnsType.Txt, "0561", "\\# 2 0561")]
    [InlineData(DnsType.Mx, "000a00", "10 .")]
    [InlineData(DnsType.Mx, "000ac000", "\\# 4 000ac000")]
    [InlineData(DnsType.Caa, "0000", "\\# 2 0000")]
    [InlineData(65534, "abcdef", "\\# 3 abcdef")]
    public void Format_DataMalformedForItsType_FallsBackToGenericForm(ushort type, string hex, string expected) =>
        RdataFormatter.Format(type, Convert.FromHexString(hex)).ShouldBe(expected);

    [Fact]
    public void FormatRecord_Soa_PrintsEveryField()
    {
        var rdata = Rdata.Soa("ns1.svc.example.", "hostmaster.svc.example.", 42, 3600, 600, 604800, 60);
        RdataFormatter.FormatRecord(Holdfast.Dns.Names.WireName.FromText("svc.example."), 3600, DnsType.Soa, rdata)
            .ShouldBe("svc.example. 3600 IN SOA ns1.svc.example. hostmaster.svc.example. 42 3600 600 604800 60");
        BinaryPrimitives.ReadUInt32BigEndian(rdata.AsSpan(rdata.Length - 20)).ShouldBe(42u);
    }
}
