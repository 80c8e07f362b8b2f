using FsCheck;
using FsCheck.Fluent;
using Holdfast.Dns.Names;
using Holdfast.Dns.Wire;
using Holdfast.Testing;

namespace Holdfast.Dns.Tests.Wire;

/// <summary>
/// Parse(Write(m)) == m for queries: every field the builder writes (id, RD, name with its case, type,
/// EDNS payload size, version and DO bit) is what the reader reads back, for generated messages.
/// </summary>
public sealed class QueryRoundTripTests
{
    public sealed record QueryShape(ushort Id, string Name, ushort Type, ushort? EdnsPayload, bool RecursionDesired, bool DnssecOk, byte EdnsVersion);

    private static Gen<QueryShape> Queries()
    {
        var label = Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_".ToCharArray())
            .ArrayOf(1, 63).Select(a => new string(a));
        var name = label.ArrayOf(0, 6).Select(l => string.Concat(l.Select(x => x + "."))).Where(n => n.Length <= 250)
            .Select(n => n.Length == 0 ? "." : n);
        var edns = Gen.Frequency((1, Gen.Constant<ushort?>(null)), (3, Gen.Choose(0, 65535).Select(p => (ushort?)p)));
        return from id in Gen.Choose(0, 65535)
               from n in name
               from type in Gen.Choose(1, 65535)
               from payload in edns
               from rd in Gen.Elements(true, false)
               from dnssecOk in Gen.Elements(true, false)
               from version in Gen.Choose(0, 255)
               select new QueryShape((ushort)id, n, (ushort)type, payload, rd, payload is not null && dnssecOk, payload is null ? (byte)0 : (byte)version);
    }

    [Fact]
    public void ReadOfBuiltQuery_GivesBackEveryField()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2_000), Prop.ForAll(Queries().ToArbitrary(), shape =>
        {
            var message = DnsQueryBuilder.Build(shape.Id, shape.Name, shape.Type, shape.EdnsPayload, shape.RecursionDesired, shape.DnssecOk, shape.EdnsVersion);
            var status = DnsQueryReader.TryRead(message, out var query);
            Span<byte> name = stackalloc byte[DnsConstants.MaxNameLength];
            WireName.TryRead(message, DnsConstants.HeaderLength, name, out var nameLength, out _).ShouldBeTrue();

            status.ShouldBe(QueryReadStatus.Ok, shape.ToString());
            query.Id.ShouldBe(shape.Id);
            query.RecursionDesired.ShouldBe(shape.RecursionDesired);
            query.Opcode.ShouldBe(0);
            WireName.ToText(name[..nameLength]).ShouldBe(shape.Name, "the question's case is kept");
            query.QuestionType.ShouldBe(shape.Type);
            query.QuestionClass.ShouldBe(DnsConstants.ClassIn);
            query.HasOpt.ShouldBe(shape.EdnsPayload is not null);
            if (shape.EdnsPayload is { } payload)
            {
                query.UdpPayloadSize.ShouldBe(payload);
                query.EdnsVersion.ShouldBe(shape.EdnsVersion);
                query.DnssecOk.ShouldBe(shape.DnssecOk);
            }
        }));
    }
}
