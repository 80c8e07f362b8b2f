using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Tests.Zones;

/// <summary>RFC 1035 §5 master files: every form a record can take, every directive, and every refusal with file and line.</summary>
public sealed class MasterFileReaderTests
{
    private const string Apex = "svc.example.";

    private const string Soa = "@ 3600 IN SOA ns1 hostmaster 42 3600 600 604800 60\n";

    /// <summary>Reads records and prints them back, one presentation line each, in file order.</summary>
    private static string[] Read(string text, string apex = Apex)
    {
        MasterFileReader.TryReadRecords(text, "t.zone", apex, out var records, out var errors).ShouldBeTrue(string.Join('\n', errors));
        return [.. records.Select(r => r.ToString())];
    }

    public static TheoryData<string, string[]> Forms() => new()
    {
        // file text                                                              records read, in presentation form
        { "$TTL 300\nwww A 127.0.0.1\n",                                          ["www.svc.example. 300 IN A 127.0.0.1"] },
        { "$TTL 1h\nwww A 127.0.0.1\n",                                           ["www.svc.example. 3600 IN A 127.0.0.1"] },
        { "$TTL 1w2d3h4m5s\nwww A 127.0.0.1\n",                                   ["www.svc.example. 788645 IN A 127.0.0.1"] },
        { "www 60 IN A 127.0.0.1\n",                                              ["www.svc.example. 60 IN A 127.0.0.1"] },
        { "www IN 60 A 127.0.0.1\n",                                              ["www.svc.example. 60 IN A 127.0.0.1"] },
        { "www 60 CLASS1 A 127.0.0.1\n",                                          ["www.svc.example. 60 IN A 127.0.0.1"] },
        { "www.svc.example. 60 A 127.0.0.1\n",                                    ["www.svc.example. 60 IN A 127.0.0.1"] },
        { "@ 60 NS ns1\n",                                                        ["svc.example. 60 IN NS ns1.svc.example."] },
        { "$ORIGIN sub.svc.example.\nwww 60 A 127.0.0.1\n@ 60 TXT x\n",           ["www.sub.svc.example. 60 IN A 127.0.0.1", "sub.svc.example. 60 IN TXT \"x\""] },
        { "$ORIGIN sub\nwww 60 A 127.0.0.1\n",                                    ["www.sub.svc.example. 60 IN A 127.0.0.1"] },
        { "www 60 A 127.0.0.1\n     AAAA ::1\n\t60 TXT a\n",                    ["www.svc.example. 60 IN A 127.0.0.1", "www.svc.example. 60 IN AAAA ::1", "www.svc.example. 60 IN TXT \"a\""] },
        { "a 60 A 127.0.0.1\nb A 127.0.0.2\n",                                    ["a.svc.example. 60 IN A 127.0.0.1", "b.svc.example. 60 IN A 127.0.0.2"] },
        { "$TTL 30\na 60 A 127.0.0.1\nb A 127.0.0.2\n",                           ["a.svc.example. 60 IN A 127.0.0.1", "b.svc.example. 30 IN A 127.0.0.2"] },
        { "@ 60 SOA ns1 hostmaster (\n 42 ; serial\n 1h 10m\n 1w 60 )\n",         ["svc.example. 60 IN SOA ns1.svc.example. hostmaster.svc.example. 42 3600 600 604800 60"] },
        { "; only a comment\n\n  ; indented comment\nwww 60 A 127.0.0.1 ; trailing\n", ["www.svc.example. 60 IN A 127.0.0.1"] },
        { "t 60 TXT \"a b\" \"semi;colon\" c\n",                                  ["t.svc.example. 60 IN TXT \"a b\" \"semi;colon\" \"c\""] },
        { "t 60 TXT \"quote\\\" back\\\\ dec\\065\\000\"\n",                      ["t.svc.example. 60 IN TXT \"quote\\\" back\\\\ decA\\000\""] },
        { "t 60 TXT \"\" \"(not a paren)\"\n",                                    ["t.svc.example. 60 IN TXT \"\" \"(not a paren)\""] },
        { "t 60 TXT ( one\n two )\n",                                             ["t.svc.example. 60 IN TXT \"one\" \"two\""] },
        { "a\\.b 60 A 127.0.0.1\n",                                               ["a\\.b.svc.example. 60 IN A 127.0.0.1"] },
        { "\\065bc 60 A 127.0.0.1\n",                                             ["abc.svc.example. 60 IN A 127.0.0.1"] },
        { "*.w 60 A 127.0.0.1\n",                                                 ["*.w.svc.example. 60 IN A 127.0.0.1"] },
        { "v6 60 AAAA 2001:db8::1\n",                                             ["v6.svc.example. 60 IN AAAA 2001:db8::1"] },
        { "c 60 CNAME www.example.org.\n",                                        ["c.svc.example. 60 IN CNAME www.example.org."] },
        { "1 60 PTR host\n",                                                      ["1.svc.example. 60 IN PTR host.svc.example."] },
        { "@ 60 MX 10 mail\n",                                                    ["svc.example. 60 IN MX 10 mail.svc.example."] },
        { "_dns._udp 60 SRV 0 5 53 ns1\n",                                        ["_dns._udp.svc.example. 60 IN SRV 0 5 53 ns1.svc.example."] },
        { "@ 60 CAA 0 issue \"ca.example.net; account=1\"\n",                     ["svc.example. 60 IN CAA 0 issue \"ca.example.net; account=1\""] },
        { "@ 60 CAA 128 tbs Unknown\n",                                           ["svc.example. 60 IN CAA 128 tbs \"Unknown\""] },
        { "x 60 TYPE65534 \\# 3 abcdef\n",                                        ["x.svc.example. 60 IN TYPE65534 \\# 3 abcdef"] },
        { "x 60 TYPE65534 \\# 4 ab ( CD\n ef 01 )\n",                             ["x.svc.example. 60 IN TYPE65534 \\# 4 abcdef01"] },
        { "x 60 TYPE65534 \\# 0\n",                                               ["x.svc.example. 60 IN TYPE65534 \\# 0"] },
        { "x 60 type1 \\# 4 7f000001\n",                                          ["x.svc.example. 60 IN A 127.0.0.1"] },
        { "x 60 A \\# 4 7F000001\n",                                              ["x.svc.example. 60 IN A 127.0.0.1"] },
        { "x 60 CLASS1 TYPE16 \\# 3 02 6869\n",                                   ["x.svc.example. 60 IN TXT \"hi\""] },
        { "WWW 60 a 127.0.0.1\r\n",                                               ["www.svc.example. 60 IN A 127.0.0.1"] },
        { "www 60 A 127.0.0.1",                                                   ["www.svc.example. 60 IN A 127.0.0.1"] },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void TryReadRecords_EveryForm_ReadsTheRecords(string text, string[] expected) => Read(text).ShouldBe(expected);

    [Fact]
    public void TryReadRecords_RecordsLine_IsTheLineTheEntryStarts()
    {
        MasterFileReader.TryReadRecords("$TTL 60\n\na A 127.0.0.1\nb TXT (\n x\n y )\nc A 127.0.0.2\n", "t.zone", Apex, out var records, out _).ShouldBeTrue();
        records.Select(r => r.Line).ShouldBe([3, 4, 7]);
    }

    public static TheoryData<string, int, string> Errors() => new()
    {
        // file text                                            line  message contains
        { "$INCLUDE other.zone\n",                              1,    "$INCLUDE is not supported" },
        { "$GENERATE 1-2 a A 127.0.0.1\n",                      1,    "unknown directive $GENERATE" },
        { "$TTL\n",                                             1,    "$TTL takes exactly one value" },
        { "$TTL soon\n",                                        1,    "$TTL 'soon'" },
        { "$TTL 4294967295\n",                                  1,    "0 to 2147483647" },
        { "$ORIGIN a..b.\n",                                    1,    "empty label" },
        { "www 60 A 127.0.0.1\nwww.example.org. 60 A 127.0.0.1\n", 2, "outside the zone svc.example." },
        { "$ORIGIN example.org.\nwww 60 A 127.0.0.1\n",         2,    "outside the zone" },
        { "  60 A 127.0.0.1\n",                                 1,    "no record comes before it" },
        { "www A 127.0.0.1\n",                                  1,    "no TTL" },
        { "www 60 CH A 127.0.0.1\n",                            1,    "class CH: only IN is served" },
        { "www 60 CLASS3 A 127.0.0.1\n",                        1,    "only IN" },
        { "www 60 IN\n",                                        1,    "missing the record type" },
        { "www 60 HINFO a b\n",                                 1,    "unknown record type 'HINFO'" },
        { "www 60 TYPE252 \\# 0\n",                             1,    "meta or question type" },
        { "www 60 OPT \\# 0\n",                                 1,    "unknown record type" },
        { "www 60 TYPE41 \\# 0\n",                              1,    "meta or question type" },
        { "www 60 A 1\n",                                       1,    "'1' is not an IPv4 address" },
        { "www 60 A 127.0.0.256\n",                             1,    "not an IPv4 address" },
        { "www 60 A ::1\n",                                     1,    "not an IPv4 address" },
        { "www 60 AAAA 127.0.0.1\n",                            1,    "not an IPv6 address" },
        { "www 60 AAAA fe80::1%eth0\n",                         1,    "not an IPv6 address" },
        { "www 60 A\n",                                         1,    "missing an address" },
        { "www 60 A 127.0.0.1 127.0.0.2\n",                     1,    "unexpected '127.0.0.2'" },
        { "www 60 MX 70000 mail\n",                             1,    "preference '70000'" },
        { "www 60 MX 10\n",                                     1,    "missing a domain name" },
        { "www 60 SRV 0 0 port ns1\n",                          1,    "port 'port'" },
        { "www 60 TXT\n",                                       1,    "at least one string" },
        { "www 60 TXT \"\\256\"\n",                             1,    "above \\255" },
        { "www 60 TXT \"\\12\"\n",                              1,    "three decimal digits" },
        { $"www 60 TXT {new string('x', 256)}\n",               1,    "at most 255 octets" },
        { "www 60 TXT \"open\n",                                1,    "quoted string is not closed" },
        { "www 60 TXT ( a\n b\n",                               1,    "'(' is never closed" },
        { "www 60 TXT a )\n",                                   1,    "')' without a matching '('" },
        { "www 60 CAA 0 is-sue x\n",                            1,    "CAA tag 'is-sue'" },
        { "www 60 CAA 256 issue x\n",                           1,    "CAA flags '256'" },
        { "www 60 TYPE65534 \\# 3 abcd\n",                      1,    "\\# says 3 octets but 2 follow" },
        { "www 60 TYPE65534 \\# 1 zz\n",                        1,    "hexadecimal" },
        { "www 60 TYPE65534 \\# 1 abc\n",                       1,    "hexadecimal digits, two per octet" },
        { "www 60 TYPE65534 \\#\n",                             1,    "missing the data length" },
        { "www 60 A \\# 3 7f0000\n",                            1,    "not valid A data" },
        { "www 60 TYPE99 text\n",                               1,    "write its data as \\# LENGTH HEX" },
        { "@ 60 SOA ns1 host (\n 1 2 3\n 4 x )\n",              3,    "minimum 'x'" },
        { "@ 60 SOA ns1 host 99999999999 1 2 3 4\n",            1,    "serial '99999999999'" },
        { "a..b 60 A 127.0.0.1\n",                              1,    "empty label" },
        { $"{new string('a', 64)} 60 A 127.0.0.1\n",            1,    "label longer than 63" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void TryReadRecords_BadEntry_ReportsFileAndLine(string text, int line, string message)
    {
        MasterFileReader.TryReadRecords("\n" + text, "bad.zone", Apex, out _, out var errors).ShouldBeFalse();
        errors.ShouldNotBeEmpty();
        var first = errors[0];
        first.File.ShouldBe("bad.zone");
        first.Line.ShouldBe(line + 1, first.ToString());
        first.Message.ShouldContain(message, Case.Sensitive, first.ToString());
        first.ToString().ShouldStartWith($"bad.zone:{line + 1}: ");
    }

    public static TheoryData<string, int, string> ZoneErrors() => new()
    {
        // file text                                                      line  message contains
        { "www 60 A 127.0.0.1\n",                                         1,    "no SOA record at the apex svc.example." },
        { Soa + "@ 60 SOA ns2 h 43 1 2 3 4\n",                            2,    "a second SOA (the first is on line 1)" },
        { Soa + "sub 60 SOA ns2 h 43 1 2 3 4\n",                          2,    "SOA at sub.svc.example.: the only SOA" },
        { Soa + "www 60 CNAME api\nwww 60 A 127.0.0.1\n",                 3,    "has a CNAME and other data (see line 2)" },
        { Soa + "www 60 TXT x\n\nwww 60 CNAME api\n",                      4,    "has a CNAME and other data (see line 2)" },
        { Soa + "@ 60 CNAME api\n",                                       2,    "CNAME and other data" },
        { Soa + "www 60 CNAME a\nwww 60 CNAME b\n",                        3,    "a second CNAME at www.svc.example. (the first is on line 2)" },
    };

    [Theory]
    [MemberData(nameof(ZoneErrors))]
    public void TryRead_BrokenZoneRule_ReportsFileAndLineAndBuildsNothing(string text, int line, string message)
    {
        MasterFileReader.TryRead(text, "z.zone", Apex, out var zone, out var errors).ShouldBeFalse();
        zone.ShouldBeNull();
        errors[0].ToString().ShouldStartWith($"z.zone:{line}: ");
        errors[0].Message.ShouldContain(message);
    }

    [Fact]
    public void TryRead_SeveralBadLines_ReportsEachOfThem()
    {
        MasterFileReader.TryRead(Soa + "a 60 A x\nb 60 A 127.0.0.1\nc 60 AAAA y\nd 60 BOGUS z\n", "z.zone", Apex, out _, out var errors).ShouldBeFalse();
        errors.Select(e => e.Line).ShouldBe([2, 4, 5]);
    }

    [Fact]
    public void TryRead_HundredsOfBadLines_StopsAtMaxErrors()
    {
        var text = Soa + string.Concat(Enumerable.Range(0, 500).Select(i => $"h{i} 60 A nope\n"));
        MasterFileReader.TryRead(text, "z.zone", Apex, out _, out var errors).ShouldBeFalse();
        errors.Count.ShouldBe(MasterFileReader.MaxErrors);
    }

    [Fact]
    public void TryRead_GoodZone_BuildsTheSnapshot()
    {
        var zone = ZoneText.Parse(Apex, """
            $TTL 300
            @       IN SOA ns1 hostmaster ( 2026113001 ; serial
                            1h 10m 1w 60 )
                    IN NS  ns1
                    IN NS  ns1.svc.example.   ; the same record twice is kept once (RFC 2181 §5)
            ns1     IN A   127.0.0.53
            a.b.c   TXT    "deep"
            """);
        zone.Serial.ShouldBe(2026113001u);
        zone.NegativeTtl.ShouldBe(60u);
        zone.FindNode(WireName.FromText("svc.example."))![DnsType.Ns].Count.ShouldBe(1);
        zone.IsEmptyNonTerminal(WireName.FromText("c.svc.example.")).ShouldBeTrue();
        zone.FindNode(WireName.FromText("ns1.svc.example."))![DnsType.A].Ttl.ShouldBe(300u);
    }

    [Fact]
    public void TryRead_ZoneLargerThanTheReadBuffer_KeepsEveryRecordAndLine()
    {
        // The reader takes the text in blocks of 16 Ki characters: entries and lines cut by a block's end, one
        // parenthesised over two lines, must read as if the text were whole. 4,000 lines of about 40 characters
        // cross many block ends.
        var lines = Enumerable.Range(0, 4000).Select(i => i % 7 == 0 ? $"t{i} 60 TXT ( \"part one\"\n  \"part two\" )" : $"h{i} 60 IN A 127.0.{i / 256}.{i % 256}");
        var text = Soa + string.Join('\n', lines) + "\nbad 60 A nope\n";
        using (var reader = new StringReader(text[..^"bad 60 A nope\n".Length]))
        {
            MasterFileReader.TryRead(reader, "big.zone", Apex, out var zone, out var errors).ShouldBeTrue(string.Join('\n', errors));
            zone!.Nodes.Count.ShouldBe(4001);
            zone.FindNode(WireName.FromText("t3997.svc.example."))![DnsType.Txt].Count.ShouldBe(1);
            zone.FindNode(WireName.FromText("h3999.svc.example."))![DnsType.A].Rdata[0].ToArray().ShouldBe(new byte[] { 127, 0, 15, 159 });
        }

        MasterFileReader.TryRead(text, "big.zone", Apex, out _, out var problems).ShouldBeFalse();
        // The SOA, a line per record, a second line for each of the 572 TXT records, then the bad one.
        var expectedLine = 1 + 4000 + 572 + 1;
        problems.Single().ToString().ShouldStartWith($"big.zone:{expectedLine}: ");
    }

    [Fact]
    public void TryReadRecords_RdataOver65535Bytes_IsRefusedWithItsLine()
    {
        var strings = string.Join(' ', Enumerable.Repeat(new string('x', 255), 258));
        MasterFileReader.TryReadRecords($"$TTL 60\nbig TXT {strings}\n", "t.zone", Apex, out _, out var errors).ShouldBeFalse();
        errors.Single().ToString().ShouldBe("t.zone:2: TXT data is 66048 bytes: a record holds at most 65535 (RFC 1035 §3.2.1)");
    }

    [Fact]
    public void TryRead_BadApex_IsAnErrorNotAnException()
    {
        MasterFileReader.TryRead(Soa, "z.zone", "a..b", out _, out var errors).ShouldBeFalse();
        errors[0].Message.ShouldContain("zone apex 'a..b'");
    }

    [Fact]
    public void TryRead_EveryPrefixOfAZoneFile_NeverThrows()
    {
        const string text = """
            $ORIGIN svc.example.
            $TTL 1h
            @ IN SOA ns1 hostmaster ( 42 ; serial
                3600 600 604800 60 )
              IN NS ns1
            ns1 60 IN A 127.0.0.53
            v6 60 AAAA ::1
            t 60 TXT "a \"quoted\" ; string" plain \065\; ( more
                   lines )
            _s._tcp SRV 0 5 53 ns1
            @ CAA 0 issue "ca.example.net"
            x TYPE65534 \# 3 abcdef
            www CNAME api.svc.example.
            """;
        var readable = 0;
        for (var length = 0; length <= text.Length; length++)
        {
            if (MasterFileReader.TryRead(text[..length], "p.zone", Apex, out var zone, out var errors))
            {
                zone.ShouldNotBeNull();
                readable++;
            }
            else
            {
                errors.ShouldNotBeEmpty($"prefix of {length} failed without saying why");
                errors.ShouldAllBe(e => e.File == "p.zone" && e.Line >= 1);
            }
        }

        MasterFileReader.TryRead(text, "p.zone", Apex, out _, out _).ShouldBeTrue();
        readable.ShouldBeGreaterThan(10);
    }

    [Fact]
    public void TryRead_RandomBytes_NeverThrows()
    {
        var random = new Random(1035);
        var alphabet = "abc.@$();\"\\ \t\n0123456789INATXTSOA#*-";
        for (var i = 0; i < 2000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 120)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            if (!MasterFileReader.TryRead(text, "r.zone", Apex, out _, out var errors))
            {
                errors.ShouldNotBeEmpty(text);
            }
        }
    }
}
