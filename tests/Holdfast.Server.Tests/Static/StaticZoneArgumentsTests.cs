using System.Net;
using Holdfast.Server.Static;

namespace Holdfast.Server.Tests.Static;

public sealed class StaticZoneArgumentsTests
{
    [Fact]
    public void TryParse_EveryOption_KeepsEveryValue()
    {
        StaticZoneArguments.TryParse(
            ["--zone", "SVC.Example=svc.zone", "--zone", "other.example.=/z/other.zone", "--listen", "[::1]:0",
             "--allow-transfer", "127.0.0.0/8", "--allow-transfer", "::1/128", "--notify", "127.0.0.1:5300"],
            out var options, out var error).ShouldBeTrue(error);

        options!.Zones.ShouldBe([new StaticZoneSource("svc.example.", "svc.zone"), new StaticZoneSource("other.example.", "/z/other.zone")]);
        options.Listen.ShouldBe(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        options.AllowTransfer.ShouldBe([IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")]);
        options.Notify.ShouldBe([new IPEndPoint(IPAddress.Loopback, 5300)]);
        options.TsigKey.ShouldBeNull();
        options.Transfers.RequireTsig.ShouldBeFalse();
    }

    [Fact]
    public void TryParse_Tsig_RequiresSignedTransfersAndSignsNotify()
    {
        var secret = Convert.ToBase64String([.. Enumerable.Range(0, 32).Select(i => (byte)i)]);
        StaticZoneArguments.TryParse(["--zone", "a.=a", "--allow-transfer", "127.0.0.0/8", "--tsig", $"Xfr-Key:{secret}"], out var options, out var error).ShouldBeTrue(error);

        options!.TsigKey!.NameText.ShouldBe("xfr-key.");
        var transfers = options.Transfers;
        transfers.TsigKeys.ShouldHaveSingleItem().ShouldBeSameAs(options.TsigKey);
        transfers.RequireTsig.ShouldBeTrue();
        transfers.NotifyKey.ShouldBeSameAs(options.TsigKey);
        transfers.AllowTransfer.ShouldBe([IPNetwork.Parse("127.0.0.0/8")]);
    }

    [Fact]
    public void TryParse_ZoneOnly_ListensOnTheDefault()
    {
        StaticZoneArguments.TryParse(["--zone", "svc.example.=svc.zone"], out var options, out _).ShouldBeTrue();
        options!.Listen.ShouldBe(new IPEndPoint(IPAddress.Loopback, 5353));
        options.AllowTransfer.ShouldBeEmpty();
        options.Notify.ShouldBeEmpty();
        options.JournalDirectory.ShouldBeNull();
        StaticZoneArguments.TryParse(["--zone", "svc.example.=svc.zone", "--journal", "/var/lib/holdfast-serve"], out var withJournal, out _).ShouldBeTrue();
        withJournal!.JournalDirectory.ShouldBe("/var/lib/holdfast-serve");
    }

    [Theory]
    [InlineData("at least one --zone", new string[0])]
    [InlineData("unknown option '--zones'", new[] { "--zones", "a=b" })]
    [InlineData("--zone needs a value", new[] { "--zone" })]
    [InlineData("expected ORIGIN=FILE", new[] { "--zone", "svc.example." })]
    [InlineData("expected ORIGIN=FILE", new[] { "--zone", "=svc.zone" })]
    [InlineData("expected ORIGIN=FILE", new[] { "--zone", "svc.example.=" })]
    [InlineData("origin 'a..b' is not a domain name", new[] { "--zone", "a..b=svc.zone" })]
    [InlineData("svc.example. is given twice", new[] { "--zone", "svc.example=a.zone", "--zone", "SVC.EXAMPLE.=b.zone" })]
    [InlineData("--listen '127.0.0.1'", new[] { "--zone", "a.=a", "--listen", "127.0.0.1" })]
    [InlineData("--listen '::1:53'", new[] { "--zone", "a.=a", "--listen", "::1:53" })]
    [InlineData("--listen 'localhost:53'", new[] { "--zone", "a.=a", "--listen", "localhost:53" })]
    [InlineData("--listen '127.0.0.1:70000'", new[] { "--zone", "a.=a", "--listen", "127.0.0.1:70000" })]
    [InlineData("--allow-transfer '127.0.0.1/33'", new[] { "--zone", "a.=a", "--allow-transfer", "127.0.0.1/33" })]
    [InlineData("--allow-transfer 'everyone'", new[] { "--zone", "a.=a", "--allow-transfer", "everyone" })]
    [InlineData("--notify '127.0.0.1:0'", new[] { "--zone", "a.=a", "--notify", "127.0.0.1:0" })]
    [InlineData("--notify 'secondary'", new[] { "--zone", "a.=a", "--notify", "secondary" })]
    [InlineData("--tsig: TSIG key 'xfr-key.' is not NAME:BASE64-SECRET", new[] { "--zone", "a.=a", "--tsig", "xfr-key." })]
    [InlineData("--tsig: TSIG key xfr-key.: the secret is 3 octets, at least 16 are needed", new[] { "--zone", "a.=a", "--tsig", "xfr-key.:AAAA" })]
    [InlineData("--journal is given twice", new[] { "--zone", "a.=a", "--journal", "j1", "--journal", "j2" })]
    [InlineData("--tsig is given twice", new[] { "--zone", "a.=a", "--tsig", "k.:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "--tsig", "k.:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" })]
    public void TryParse_BadArguments_NamesTheBadValue(string message, string[] args)
    {
        StaticZoneArguments.TryParse(args, out var options, out var error).ShouldBeFalse();
        options.ShouldBeNull();
        error.ShouldContain(message);
    }
}
