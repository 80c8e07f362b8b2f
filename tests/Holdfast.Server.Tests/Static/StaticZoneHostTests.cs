using Holdfast.Dns.Wire;
using Holdfast.Server.Static;

namespace Holdfast.Server.Tests.Static;

/// <summary>Loading and reloading master files in process: a broken file never replaces good data.</summary>
public sealed class StaticZoneHostTests : IDisposable
{
    private readonly TempZoneFiles _files = new();
    private readonly StringWriter _log = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Load_GoodFiles_ServesEveryZone()
    {
        var host = Host(("svc.example.", _files.Write("svc.zone", TempZoneFiles.SvcZone(1, "127.0.0.1"))), ("other.example.", _files.Write("other.zone", OtherZone(5))));
        host.Load().ShouldBeTrue(_log.ToString());
        AddressOfWww(host).ShouldBe("127.0.0.1");
        host.Serials.ShouldBe(new Dictionary<string, uint> { ["svc.example."] = 1, ["other.example."] = 5 });
        _log.ToString().ShouldContain("zone svc.example. from ");
    }

    [Fact]
    public void Load_OneBrokenFile_ServesNothingAndLogsFileAndLine()
    {
        var broken = _files.Write("broken.zone", TempZoneFiles.SvcZone(1, "127.0.0.1") + "\nbad A nope\n");
        var host = Host(("svc.example.", broken), ("other.example.", _files.Write("other.zone", OtherZone(5))));
        host.Load().ShouldBeFalse();
        host.Engine.Zones.Zones.ShouldBeEmpty();
        _log.ToString().ShouldContain($"{broken}:6: A data: 'nope' is not an IPv4 address");
    }

    [Fact]
    public void Load_MissingFile_IsAnErrorNamingIt()
    {
        var missing = Path.Combine(_files.Directory, "missing.zone");
        var host = Host(("svc.example.", missing));
        host.Load().ShouldBeFalse();
        _log.ToString().ShouldContain($"{missing}:0: cannot read the zone file");
    }

    [Fact]
    public void Reload_ChangedFile_ServesTheNewData()
    {
        var path = _files.Write("svc.zone", TempZoneFiles.SvcZone(1, "127.0.0.1"));
        var host = Host(("svc.example.", path));
        host.Load().ShouldBeTrue();
        _files.Write("svc.zone", TempZoneFiles.SvcZone(2, "127.0.0.2"));

        host.Reload().ShouldBe(0);
        AddressOfWww(host).ShouldBe("127.0.0.2");
        host.Serials["svc.example."].ShouldBe(2u);
    }

    [Fact]
    public void Reload_BrokenFile_KeepsItsOldDataAndStillUpdatesTheOtherZone()
    {
        var svc = _files.Write("svc.zone", TempZoneFiles.SvcZone(1, "127.0.0.1"));
        var host = Host(("svc.example.", svc), ("other.example.", _files.Write("other.zone", OtherZone(5))));
        host.Load().ShouldBeTrue();
        _files.Write("svc.zone", TempZoneFiles.SvcZone(2, "127.0.0.2").Replace("SOA", "SOA (", StringComparison.Ordinal));
        _files.Write("other.zone", OtherZone(6));

        host.Reload().ShouldBe(1);
        AddressOfWww(host).ShouldBe("127.0.0.1");
        host.Serials.ShouldBe(new Dictionary<string, uint> { ["svc.example."] = 1, ["other.example."] = 6 });
        _log.ToString().ShouldContain($"{svc}:2: '(' is never closed");
        _log.ToString().ShouldContain("zone svc.example.: 1 problem(s) in");
        _log.ToString().ShouldContain("still serving serial 1");
    }

    [Fact]
    public void Reload_SameSerial_WarnsThatSecondariesWillNotFollow()
    {
        var path = _files.Write("svc.zone", TempZoneFiles.SvcZone(1, "127.0.0.1"));
        var host = Host(("svc.example.", path));
        host.Load().ShouldBeTrue();
        _files.Write("svc.zone", TempZoneFiles.SvcZone(1, "127.0.0.2"));
        host.Reload().ShouldBe(0);
        _log.ToString().ShouldContain("serial unchanged");
    }

    private static string OtherZone(uint serial) => $"other.example. 60 SOA ns1.other.example. h.other.example. {serial} 1 1 1 1\n";

    private StaticZoneHost Host(params (string Origin, string File)[] zones) =>
        new(new StaticZoneOptions { Zones = [.. zones.Select(z => new StaticZoneSource(z.Origin, z.File))] }, TimeProvider.System, new Random(1), _log);

    private static string AddressOfWww(StaticZoneHost host)
    {
        var query = DnsQueryBuilder.Build(1, "www.svc.example.", DnsType.A);
        var response = new byte[512];
        var length = host.Engine.Answer(query, response, overUdp: true);
        length.ShouldBeGreaterThan(query.Length + 12);

        // The last four octets of a one-record answer are the address.
        return new System.Net.IPAddress(response.AsSpan(length - 4, 4)).ToString();
    }
}
