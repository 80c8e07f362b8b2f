using System.Net;
using Holdfast.ControlPlane.Model;
using Holdfast.Server.Configuration;

namespace Holdfast.Server.Tests.Configuration;

public sealed class ConfigValidatorTests
{
    // Line numbers in the cases below refer to this text (line 1 is "dataDirectory").
    internal const string Valid = """
        dataDirectory: /tmp/holdfast-config-test
        dns:
          listen: [127.0.0.1:5353]
        api:
          listen: 127.0.0.1:8053
        zones:
          - apex: svc.example.
            soa: { mname: ns1.svc.example., rname: hostmaster.svc.example. }
            ns: [ns1.svc.example.]
        enactors:
          - { id: e1, az: az1 }
          - { id: e2, az: az2 }
        healthSources:
          - { name: probe, kind: http, interval: 2s, timeout: 1s, rise: 2, fall: 3 }
        endpoints:
          - name: api
            zone: svc.example.
            ttl: 30
            policy: { capacityFloor: 0.5, velocityLimit: 0.34, velocityWindow: 5m, failOpen: true }
            targets:
              - { id: a1, address: 127.0.0.11, az: az1, capacity: 10, healthCheck: { kind: http, url: "http://127.0.0.1:18011/healthz" } }
              - { id: a2, address: 127.0.0.12, az: az2, capacity: 10 }
        """;

    [Fact]
    public void Validate_ValidFile_BindsEveryKey()
    {
        var result = ConfigValidator.Validate(Valid, "holdfast.yaml");

        result.Errors.ShouldBeEmpty();
        var options = result.Options.ShouldNotBeNull();
        options.DataDirectory.ShouldBe("/tmp/holdfast-config-test");
        options.Dns.Listen.ShouldBe([IPEndPoint.Parse("127.0.0.1:5353")]);
        options.Api.Listen.ShouldBe(IPEndPoint.Parse("127.0.0.1:8053"));
        options.Zones.ShouldHaveSingleItem().Soa.Rname.ShouldBe("hostmaster.svc.example.");
        var endpoint = options.Endpoints.ShouldHaveSingleItem();
        endpoint.Name.ShouldBe("api.svc.example.");
        endpoint.Policy.VelocityWindow.ShouldBe(TimeSpan.FromMinutes(5));
        endpoint.Targets[0].HealthCheck!.Url.ShouldBe(new Uri("http://127.0.0.1:18011/healthz"));
        endpoint.Targets[1].HealthCheck.ShouldBeNull();
        endpoint.Targets[1].AdminState.ShouldBe(TargetAdminState.Enabled);
        options.HealthSources.ShouldHaveSingleItem().Timeout.ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Validate_AnchorAndAlias_ReuseTheAnchoredSection()
    {
        var yaml = Valid.Replace("policy: { capacityFloor", "policy: &policy { capacityFloor", StringComparison.Ordinal)
            + "\n  - { name: web, zone: svc.example., policy: *policy, targets: [{ id: w1, address: 127.0.0.21, az: az1, capacity: 10 }] }";

        var result = ConfigValidator.Validate(yaml, "holdfast.yaml");

        result.Errors.ShouldBeEmpty();
        result.Options!.Endpoints[1].Policy.VelocityWindow.ShouldBe(TimeSpan.FromMinutes(5));
        result.Options.Endpoints[1].Policy.CapacityFloor.ShouldBe(0.5);
    }

    [Theory]
    [InlineData("policy: *nothing", "holdfast.yaml:23: (document)", "not valid YAML: the alias *nothing names no anchor before it")]
    [InlineData("zone: svc.example., zone: svc.example.", "holdfast.yaml:23: (document)", "not valid YAML: Duplicate key 'zone'")]
    public void Validate_BadYaml_NamesTheLine(string entry, string where, string message)
    {
        var yaml = Valid + $"\n  - {{ name: web, {entry}, targets: [{{ id: w1, address: 127.0.0.21, az: az1, capacity: 10 }}] }}";

        var error = ConfigValidator.Validate(yaml, "holdfast.yaml").Errors.ShouldHaveSingleItem();

        error.ToString().ShouldStartWith(where);
        error.ToString().ShouldContain(message);
    }

    [Fact]
    public void ValidateFile_Quickstart_IsValid()
    {
        var result = ConfigValidator.ValidateFile(Path.Combine(RepositoryRoot.Path, "examples", "quickstart.yaml"));

        result.Errors.ShouldBeEmpty();
        var options = result.Options.ShouldNotBeNull();
        options.Zones.Length.ShouldBe(1);
        options.Endpoints.Length.ShouldBe(3);
        options.Endpoints.SelectMany(e => e.Targets).Select(t => t.Az).Distinct().Count().ShouldBe(3);
        options.Endpoints.SelectMany(e => e.Targets).ShouldAllBe(t => IPAddress.IsLoopback(t.Address) && t.HealthCheck!.Url!.Host == "127.0.0.1");
    }

    public static TheoryData<string, string, string, string, string> Errors() => new()
    {
        // case, text to replace, replacement, expected "location: path", expected message fragment
        { "unknown key with a close spelling", "    ttl: 30", "    TTL: 30", "holdfast.yaml:18: endpoints[0].TTL", "unknown key; did you mean 'ttl'?" },
        { "unknown top-level key", "api:\n", "apii:\n", "holdfast.yaml:4: apii", "unknown key; did you mean 'api'? expected one of: dataDirectory, dns, api, zones" },
        { "bad target address", "address: 127.0.0.12", "address: 127.0.0.300", "holdfast.yaml:22: endpoints[0].targets[1].address", "expected an IPv4 or IPv6 address such as 127.0.0.10 or ::1, got '127.0.0.300'" },
        { "listen without port", "listen: 127.0.0.1:8053", "listen: 127.0.0.1", "holdfast.yaml:5: api.listen", "expected ADDRESS:PORT" },
        { "dns listen item", "[127.0.0.1:5353]", "[127.0.0.1:99999]", "holdfast.yaml:3: dns.listen[0]", "expected ADDRESS:PORT such as 127.0.0.1:5353, got '127.0.0.1:99999'" },
        { "fraction out of range", "capacityFloor: 0.5", "capacityFloor: 1.5", "holdfast.yaml:19: endpoints[0].policy.capacityFloor", "expected a number from 0 to 1, got '1.5'" },
        { "bad duration", "velocityWindow: 5m", "velocityWindow: 5 minutes", "holdfast.yaml:19: endpoints[0].policy.velocityWindow", "expected a duration such as 500ms, 2s, 5m or 1h" },
        { "timeout not below interval", "timeout: 1s", "timeout: 3s", "holdfast.yaml:14: healthSources[0].timeout", "expected less than the interval (2s), got 3s" },
        { "missing required key", "{ id: a2, address: 127.0.0.12, az: az2, capacity: 10 }", "{ id: a2, az: az2, capacity: 10 }", "holdfast.yaml:22: endpoints[0].targets[1].address", "is required" },
        { "az without an enactor", "az: az2, capacity: 10 }", "az: az9, capacity: 10 }", "holdfast.yaml:22: endpoints[0].targets[1].az", "availability zone 'az9' has no enactor; expected one of: az1, az2" },
        { "endpoint zone not configured", "    zone: svc.example.", "    zone: other.example.", "holdfast.yaml:17: endpoints[0].zone", "zone 'other.example.' is not configured" },
        { "duplicate target id", "{ id: a2,", "{ id: a1,", "holdfast.yaml:22: endpoints[0].targets[1]", "duplicate target id in api.svc.example. 'a1' (first at endpoints[0].targets[0])" },
        { "duplicate enactor id", "{ id: e2, az: az2 }", "{ id: e1, az: az2 }", "holdfast.yaml:12: enactors[1]", "duplicate enactor id 'e1'" },
        { "check kind without a source", "kind: http, interval", "kind: tcp, interval", "holdfast.yaml:21: endpoints[0].targets[0].healthCheck", "a http check needs a health source of kind http" },
        { "bad enum", "kind: http, url", "kind: icmp, url", "holdfast.yaml:21: endpoints[0].targets[0].healthCheck.kind", "expected one of http, tcp, external, got 'icmp'" },
        { "scalar where a section belongs", "api:\n  listen: 127.0.0.1:8053", "api: 8053", "holdfast.yaml:4: api", "expected a section (key: value lines), got '8053'" },
        { "duplicate YAML key", "    ttl: 30", "    ttl: 30\n    ttl: 40", "holdfast.yaml:19: (document)", "not valid YAML: Duplicate key" },
        { "invalid name", "  - apex: svc.example.", "  - apex: svc..example.", "holdfast.yaml:7: zones[0].apex", "expected a DNS name" },
        { "rate limit slip out of range", "  listen: [127.0.0.1:5353]\n", "  listen: [127.0.0.1:5353]\n  rateLimit: { slip: 11 }\n", "holdfast.yaml:4: dns.rateLimit.slip", "expected a whole number from 0 to 10, got '11'" },
        { "rate limit exempt not a prefix", "  listen: [127.0.0.1:5353]\n", "  listen: [127.0.0.1:5353]\n  rateLimit: { exempt: [10.0.0.0/33] }\n", "holdfast.yaml:4: dns.rateLimit.exempt[0]", "expected an address prefix such as 127.0.0.0/8" },
        { "cookie secret not 16 octets", "  listen: [127.0.0.1:5353]\n", "  listen: [127.0.0.1:5353]\n  cookieSecret: 00ff\n", "holdfast.yaml:4: dns.cookieSecret", "expected 32 hex digits" },
        { "nsid too long", "  listen: [127.0.0.1:5353]\n", "  listen: [127.0.0.1:5353]\n  nsid: " + new string('n', 129) + "\n", "holdfast.yaml:4: dns.nsid", "expected 1 to 128 ASCII characters" },
        { "journal bound below 64 KiB", "  listen: [127.0.0.1:5353]\n", "  listen: [127.0.0.1:5353]\n  journalMaxBytes: 4096\n", "holdfast.yaml:4: dns.journalMaxBytes", "expected a whole number from 65536 to 1099511627776, got '4096'" },
        { "journal depth negative", "  listen: [127.0.0.1:5353]\n", "  listen: [127.0.0.1:5353]\n  journalDepth: -1\n", "holdfast.yaml:4: dns.journalDepth", "expected a whole number from 0 to 10000, got '-1'" },
        { "self-preservation fraction not above 0", "enactors:\n", "guardrails:\n  selfPreservation: { enterFraction: 0 }\nenactors:\n", "holdfast.yaml:11: guardrails.selfPreservation.enterFraction", "expected a number above 0 and at most 1, got '0'" },
        { "api and dns on one port", "listen: 127.0.0.1:8053", "listen: 127.0.0.1:5353", "holdfast.yaml:5: api.listen", "is also a DNS listen address" },
        { "otlp without an endpoint", "enactors:\n", "metrics:\n  otlp: { interval: 5s }\nenactors:\n", "holdfast.yaml:11: metrics.otlp.endpoint", "is required" },
        { "otlp endpoint not a URL", "enactors:\n", "metrics:\n  otlp: { endpoint: 127.0.0.1:4318 }\nenactors:\n", "holdfast.yaml:11: metrics.otlp.endpoint", "expected an absolute http or https URL such as http://127.0.0.1:4318/v1/metrics, got '127.0.0.1:4318'" },
        { "otlp protocol unknown", "enactors:\n", "metrics:\n  otlp: { endpoint: http://127.0.0.1:4317, protocol: http/json }\nenactors:\n", "holdfast.yaml:11: metrics.otlp.protocol", "expected http/protobuf or grpc, got 'http/json'" },
        { "otlp interval too short", "enactors:\n", "metrics:\n  otlp: { endpoint: http://127.0.0.1:4318/v1/metrics, interval: 100ms }\nenactors:\n", "holdfast.yaml:11: metrics.otlp.interval", "expected a duration such as 500ms, 2s, 5m or 1h from 1s to 1h, got '100ms'" },
    };

    [Fact]
    public void Validate_DnsSafetyKeys_BindWithDefaults()
    {
        var defaults = ConfigValidator.Validate(Valid, "holdfast.yaml").Options.ShouldNotBeNull().Dns;
        defaults.RateLimit.ShouldNotBeNull().ResponsesPerSecond.ShouldBe(20);
        defaults.RateLimit.Exempt.Select(n => n.ToString()).ShouldBe(["127.0.0.0/8", "::1/128"]);
        defaults.Nsid.ShouldBeNull();
        defaults.CookieSecret.ShouldBeNull();
        defaults.JournalDepth.ShouldBe(32);
        defaults.JournalMaxBytes.ShouldBe(100L << 20);

        var text = Valid.Replace("  listen: [127.0.0.1:5353]\n", "  listen: [127.0.0.1:5353]\n  journalDepth: 8\n  journalMaxBytes: 1048576\n  nsid: ns-a\n  cookieSecret: 000102030405060708090a0b0c0d0e0f\n  rateLimit: { responsesPerSecond: 5, slip: 0, exempt: [] }\n", StringComparison.Ordinal);
        var dns = ConfigValidator.Validate(text, "holdfast.yaml").Options.ShouldNotBeNull().Dns;
        dns.Nsid.ShouldBe("ns-a");
        dns.JournalDepth.ShouldBe(8);
        dns.JournalMaxBytes.ShouldBe(1L << 20);
        dns.CookieSecret.ShouldBe(Convert.FromHexString("000102030405060708090A0B0C0D0E0F"));
        dns.RateLimit.ShouldNotBeNull().ResponsesPerSecond.ShouldBe(5);
        dns.RateLimit.Slip.ShouldBe(0);
        dns.RateLimit.Exempt.ShouldBeEmpty();

        var off = Valid.Replace("  listen: [127.0.0.1:5353]\n", "  listen: [127.0.0.1:5353]\n  rateLimit: { enabled: false }\n", StringComparison.Ordinal);
        ConfigValidator.Validate(off, "holdfast.yaml").Options.ShouldNotBeNull().Dns.RateLimit.ShouldBeNull();
    }

    [Fact]
    public void Validate_MetricsOtlp_IsOffByDefaultAndBindsEachKey()
    {
        ConfigValidator.Validate(Valid, "holdfast.yaml").Options.ShouldNotBeNull().Metrics.Otlp.ShouldBeNull();

        var text = Valid.Replace("enactors:\n", "metrics:\n  otlp: { endpoint: http://127.0.0.1:4317, protocol: grpc, interval: 30s }\nenactors:\n", StringComparison.Ordinal);
        var otlp = ConfigValidator.Validate(text, "holdfast.yaml").Options.ShouldNotBeNull().Metrics.Otlp.ShouldNotBeNull();
        otlp.ShouldBe(new OtlpOptions { Endpoint = new Uri("http://127.0.0.1:4317"), Protocol = OtlpTransport.Grpc, Interval = TimeSpan.FromSeconds(30) });

        var defaults = Valid.Replace("enactors:\n", "metrics:\n  otlp: { endpoint: http://127.0.0.1:4318/v1/metrics }\nenactors:\n", StringComparison.Ordinal);
        ConfigValidator.Validate(defaults, "holdfast.yaml").Options.ShouldNotBeNull().Metrics.Otlp.ShouldBe(new OtlpOptions { Endpoint = new Uri("http://127.0.0.1:4318/v1/metrics") });
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void Validate_InvalidFile_NamesKeyLineAndExpectation(string name, string find, string replace, string where, string message)
    {
        Valid.ShouldContain(find, customMessage: name);
        var result = ConfigValidator.Validate(Valid.Replace(find, replace, StringComparison.Ordinal), "holdfast.yaml");

        result.Options.ShouldBeNull(name);
        var error = result.Errors.ShouldHaveSingleItem(name);
        error.ToString().ShouldStartWith(where + ": ", customMessage: name);
        error.Message.ShouldContain(message, Case.Sensitive, name);
    }

    [Fact]
    public void Validate_SeveralErrors_ReportsEveryOne()
    {
        var text = Valid.Replace("ttl: 30", "ttl: -1", StringComparison.Ordinal).Replace("address: 127.0.0.12", "address: nowhere", StringComparison.Ordinal);

        var result = ConfigValidator.Validate(text, "holdfast.yaml");

        result.Errors.Select(e => e.Path).ShouldBe(["endpoints[0].ttl", "endpoints[0].targets[1].address"], ignoreOrder: true);
    }

    [Fact]
    public void Validate_EnvironmentOverride_ReplacesKeysWithoutRegardToCase()
    {
        var environment = new Dictionary<string, string>
        {
            ["HOLDFAST_API__LISTEN"] = "127.0.0.1:9053",
            ["HOLDFAST_DNS__LISTEN"] = "127.0.0.1:5354,[::1]:5354",
            ["HOLDFAST_ENDPOINTS__0__TTL"] = "5",
            ["HOLDFAST_DATADIRECTORY"] = "/tmp/elsewhere",
            ["HOLDFAST_TOKEN"] = "belongs-to-the-cli",
        };

        var options = ConfigValidator.Validate(Valid, "holdfast.yaml", environment).Options.ShouldNotBeNull();

        options.Api.Listen.ShouldBe(IPEndPoint.Parse("127.0.0.1:9053"));
        options.Dns.Listen.ShouldBe([IPEndPoint.Parse("127.0.0.1:5354"), IPEndPoint.Parse("[::1]:5354")]);
        options.Endpoints[0].Policy.Ttl.ShouldBe(5);
        options.DataDirectory.ShouldBe("/tmp/elsewhere");
    }

    [Theory]
    [InlineData("HOLDFAST_API__LISTEN", "nowhere", "env HOLDFAST_API__LISTEN: api.listen: expected ADDRESS:PORT")]
    [InlineData("HOLDFAST_API__LISTN", "127.0.0.1:1", "env HOLDFAST_API__LISTN: api.LISTN: unknown key; did you mean 'listen'? expected one of: listen, allowRemoteReads")]
    [InlineData("HOLDFAST_ENDPOINTS__5__TTL", "5", "env HOLDFAST_ENDPOINTS__5__TTL: endpoints[5]: index 5 is beyond the list's end (1 items)")]
    public void Validate_BadEnvironmentOverride_NamesTheVariable(string name, string value, string expected)
    {
        var result = ConfigValidator.Validate(Valid, "holdfast.yaml", new Dictionary<string, string> { [name] = value });

        result.Options.ShouldBeNull();
        result.Errors.ShouldHaveSingleItem().ToString().ShouldStartWith(expected);
    }

    [Fact]
    public void ValidateFile_MissingFile_IsOneError()
    {
        var result = ConfigValidator.ValidateFile("/nonexistent/holdfast.yaml");

        result.Errors.ShouldHaveSingleItem().Message.ShouldStartWith("cannot read the configuration file");
    }

    [Theory]
    [InlineData("")]
    [InlineData("zones: []")]
    public void Validate_NoZones_IsRefused(string text) =>
        ConfigValidator.Validate(text, "h.yaml").Errors.ShouldHaveSingleItem().Message.ShouldStartWith("expected at least one zone");

    [Fact]
    public void Validate_DefaultsWhenKeysAreLeftOut()
    {
        var minimal = """
            zones:
              - { apex: svc.example, soa: { mname: ns1.svc.example, rname: hostmaster.svc.example }, ns: ns1.svc.example }
            """;

        var options = ConfigValidator.Validate(minimal, "h.yaml").Options.ShouldNotBeNull();

        options.Zones[0].Apex.ShouldBe("svc.example.");
        options.Zones[0].Ns.ShouldBe(["ns1.svc.example."]);
        options.Dns.Listen.ShouldBe([IPEndPoint.Parse("127.0.0.1:5353")]);
        options.Api.Listen.ShouldBe(IPEndPoint.Parse("127.0.0.1:8053"));
        options.Guardrails.KeepPlans.ShouldBe(5);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("1h", 3_600_000)]
    public void DurationText_ParsesUnits(string text, double milliseconds)
    {
        DurationText.TryParse(text, out var value).ShouldBeTrue();
        value.TotalMilliseconds.ShouldBe(milliseconds);
        DurationText.TryParse(DurationText.Format(value), out var again).ShouldBeTrue();
        again.ShouldBe(value);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("s")]
    [InlineData("-1s")]
    [InlineData("5 m")]
    [InlineData("1d")]
    public void DurationText_RefusesOtherForms(string text) => DurationText.TryParse(text, out _).ShouldBeFalse();
}
