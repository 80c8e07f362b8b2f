using System.Collections.Immutable;
using System.Net;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Transport;
using Holdfast.ControlPlane.Guardrails;
using Holdfast.ControlPlane.Model;
using Holdfast.Health.Aggregation;
using Holdfast.Health.Sources;

namespace Holdfast.Server.Configuration;

/// <summary>
/// Binds the configuration tree onto <see cref="HoldfastOptions"/>, key by key: every value is converted
/// and range-checked where it is read, so an error names its key and line. Cross-references (endpoint zone,
/// target availability zones, duplicates) are checked afterwards by <see cref="ConfigRules"/>.
/// </summary>
internal static class ConfigBinder
{
    private static readonly TimeSpan s_maxInterval = TimeSpan.FromHours(1);

    public static HoldfastOptions Bind(ConfigNode root, List<ConfigError> errors, ConfigLocations locations)
    {
        var defaults = new HoldfastOptions();
        var top = ConfigSection.Of(root, "", errors, locations);
        if (top is null)
        {
            return defaults;
        }

        var options = new HoldfastOptions
        {
            DataDirectory = top.String("dataDirectory") ?? defaults.DataDirectory,
            Dns = BindDns(top.Section("dns")),
            Api = BindApi(top.Section("api")),
            Zones = [.. top.Sections("zones").Select(BindZone).OfType<ZoneOptions>()],
            Endpoints = [.. top.Sections("endpoints").Select(BindEndpoint).OfType<EndpointOptions>()],
            Enactors = [.. top.Sections("enactors").Select(BindEnactor).OfType<EnactorEntry>()],
            HealthSources = [.. top.Sections("healthSources").Select(BindSource).OfType<HealthSourceOptions>()],
            Health = BindHealth(top.Section("health")),
            Guardrails = BindGuardrails(top.Section("guardrails")),
            Planner = BindPlanner(top.Section("planner")),
            Store = BindStore(top.Section("store")),
            Metrics = BindMetrics(top.Section("metrics")),
        };
        if (top.Has("dataDirectory") && string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            top.Error("dataDirectory", "expected a directory path");
        }

        top.Finish();
        return options;
    }

    private static DnsOptions BindDns(ConfigSection? s)
    {
        var defaults = new DnsOptions();
        if (s is null)
        {
            return defaults;
        }

        var listen = s.Values<IPEndPoint>("listen", "ADDRESS:PORT such as 127.0.0.1:5353", (string t, out IPEndPoint v) => ConfigSection.TryEndPoint(t, out v!, allowAnyPort: true));
        if (s.Has("listen") && s.List("listen").Count == 0)
        {
            s.Error("listen", "expected at least one ADDRESS:PORT");
        }

        var tsig = Tsig(s, "tsig");

        var nsid = s.String("nsid");
        if (nsid is not null && (nsid.Length is 0 or > EdnsFeatures.MaxNsidLength || !System.Text.Ascii.IsValid(nsid)))
        {
            s.Error("nsid", $"expected 1 to {EdnsFeatures.MaxNsidLength} ASCII characters, got '{nsid}'");
            nsid = null;
        }

        byte[]? cookieSecret = null;
        if (s.String("cookieSecret") is { } secretText)
        {
            try
            {
                cookieSecret = Convert.FromHexString(secretText.Trim());
            }
            catch (FormatException)
            {
                cookieSecret = [];
            }

            if (cookieSecret.Length != 16)
            {
                s.Error("cookieSecret", $"expected 32 hex digits (a 16-octet SipHash-2-4 key, RFC 9018 §4.4), e.g. {Convert.ToHexString(new byte[16])}");
                cookieSecret = null;
            }
        }

        var journalDepth = s.Int("journalDepth", defaults.JournalDepth, 0, 10_000);
        var journalMaxBytes = s.Long("journalMaxBytes", defaults.JournalMaxBytes, ZoneTransferOptions.MinJournalMaxBytes, 1L << 40);
        var rateLimit = BindRateLimit(s.Section("rateLimit"), defaults.RateLimit!);
        s.Finish();
        return new DnsOptions
        {
            Listen = s.Has("listen") ? listen : defaults.Listen,
            Tsig = tsig,
            Nsid = nsid,
            CookieSecret = cookieSecret,
            JournalDepth = journalDepth,
            JournalMaxBytes = journalMaxBytes,
            RateLimit = rateLimit,
        };
    }

    /// <summary>A TSIG key written NAME:BASE64SECRET; null (and an error naming the form) when it does not parse.</summary>
    private static TsigKey? Tsig(ConfigSection s, string key, bool required = false)
    {
        if (s.String(key, required) is not { } keyText)
        {
            return null;
        }

        try
        {
            return TsigKey.Parse(keyText);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            s.Error(key, $"expected NAME:BASE64SECRET (an HMAC-SHA256 key of at least 16 octets), e.g. xfr-key.:{Convert.ToBase64String(new byte[32])}: {ex.Message}");
            return null;
        }
    }

    private static RateLimitOptions? BindRateLimit(ConfigSection? s, RateLimitOptions defaults)
    {
        if (s is null)
        {
            return defaults;
        }

        var enabled = s.Bool("enabled", true);
        var options = new RateLimitOptions
        {
            ResponsesPerSecond = s.WholeNumber("responsesPerSecond", defaults.ResponsesPerSecond),
            Slip = s.WholeNumber("slip", defaults.Slip),
            Ipv4PrefixLength = s.WholeNumber("ipv4PrefixLength", defaults.Ipv4PrefixLength),
            Ipv6PrefixLength = s.WholeNumber("ipv6PrefixLength", defaults.Ipv6PrefixLength),
            Exempt = s.Has("exempt")
                ? s.Values("exempt", "an address prefix such as 127.0.0.0/8 or ::1/128", (string t, out IPNetwork v) => IPNetwork.TryParse(t, out v))
                : defaults.Exempt,
        };
        // The ranges are RateLimitOptions' own; each value outside its range is named here with its key and line.
        foreach (var (key, expected, value) in options.Problems())
        {
            s.Error(key, $"expected a whole number from {expected}, got '{value}'");
        }

        s.Finish();
        return enabled ? options : null;
    }

    private static ApiOptions BindApi(ConfigSection? s)
    {
        var defaults = new ApiOptions();
        if (s is null)
        {
            return defaults;
        }

        var options = new ApiOptions
        {
            Listen = s.ListenEndPoint("listen") ?? defaults.Listen,
            AllowRemoteReads = s.Bool("allowRemoteReads", defaults.AllowRemoteReads),
        };
        s.Finish();
        return options;
    }

    private static MetricsOptions BindMetrics(ConfigSection? s)
    {
        if (s is null)
        {
            return new MetricsOptions();
        }

        var otlp = s.Section("otlp") is { } o ? BindOtlp(o) : null;
        s.Finish();
        return new MetricsOptions { Otlp = otlp };
    }

    private static OtlpOptions? BindOtlp(ConfigSection s)
    {
        var defaults = new OtlpOptions { Endpoint = new Uri("http://127.0.0.1:4318/v1/metrics") };
        var endpoint = s.Parse<Uri?>("endpoint", null, "an absolute http or https URL such as http://127.0.0.1:4318/v1/metrics", (string t, out Uri? v) =>
            Uri.TryCreate(t, UriKind.Absolute, out v) && v.Scheme is "http" or "https", required: true);
        var protocol = s.Parse("protocol", defaults.Protocol, "http/protobuf or grpc", (string t, out OtlpTransport v) =>
        {
            (var known, v) = t switch
            {
                "http/protobuf" => (true, OtlpTransport.HttpProtobuf),
                "grpc" => (true, OtlpTransport.Grpc),
                _ => (false, defaults.Protocol),
            };
            return known;
        });
        var interval = s.Duration("interval", defaults.Interval, OtlpOptions.MinInterval, OtlpOptions.MaxInterval);
        s.Finish();
        return endpoint is null ? null : new OtlpOptions { Endpoint = endpoint, Protocol = protocol, Interval = interval };
    }

    private static ZoneOptions? BindZone(ConfigSection s)
    {

        var apex = DnsNames.Absolute(s, "apex", required: true);
        var soaSection = s.Section("soa");
        if (soaSection is null)
        {
            s.Error("soa", "is required: a section with mname, rname and optionally refresh, retry, expire, minimum");
        }

        var soa = soaSection is null ? null : BindSoa(soaSection);
        var ns = s.Values("ns", "an absolute host name such as ns1.svc.example.", (string t, out string v) => DnsNames.TryAbsolute(t, out v));
        if (ns.IsEmpty && !s.Has("ns"))
        {
            s.Error("ns", "is required: at least one name server name");
        }

        var zone = new ZoneOptions
        {
            Apex = apex ?? "",
            Soa = soa ?? new SoaOptions { Mname = "", Rname = "" },
            Ns = ns,
            DefaultTtl = s.Int("defaultTtl", 3600, 0, int.MaxValue),
            ZoneFiles = s.Values("zoneFiles", "a file path", (string t, out string v) => { v = t; return t.Length > 0; }),
            AllowTransfer = s.Values("allowTransfer", "an address prefix such as 127.0.0.0/8 or ::1/128", (string t, out IPNetwork v) => IPNetwork.TryParse(t, out v)),
            Notify = s.Values<IPEndPoint>("notify", "ADDRESS:PORT of a secondary", (string t, out IPEndPoint v) => ConfigSection.TryEndPoint(t, out v!)),
            Push = BindPush(s.Section("push")),
        };
        foreach (var file in zone.ZoneFiles.Where(f => !File.Exists(f)))
        {
            s.Error("zoneFiles", $"file '{file}' does not exist");
        }

        s.Finish();
        return apex is null || soa is null ? null : zone;
    }

    private static ZonePushOptions? BindPush(ConfigSection? s)
    {
        if (s is null)
        {
            return null;
        }

        var defaults = new Holdfast.Push.PushOptions();
        var mode = s.Parse("mode", Holdfast.Push.PushMode.ServeAndPush, "serveAndPush or pushOnly", (string t, out Holdfast.Push.PushMode v) =>
        {
            v = t == "pushOnly" ? Holdfast.Push.PushMode.PushOnly : Holdfast.Push.PushMode.ServeAndPush;
            return t is "serveAndPush" or "pushOnly";
        });
        var targets = s.Sections("targets").Select(BindPushTarget).OfType<PushTargetOptions>().ToImmutableArray();
        if (!s.Has("targets") || s.List("targets").Count == 0)
        {
            s.Error("targets", "is required: at least one server (name, server ADDRESS:PORT, tsig NAME:BASE64SECRET)");
        }

        var settings = new Holdfast.Push.PushOptions
        {
            Timeout = s.Duration("timeout", defaults.Timeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1)),
            RetryInitial = s.Duration("retryInitial", defaults.RetryInitial, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10)),
            RetryMax = s.Duration("retryMax", defaults.RetryMax, TimeSpan.FromMilliseconds(10), s_maxInterval),
            FullPassInterval = s.Duration("fullPassInterval", defaults.FullPassInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1)),
            Jitter = s.Fraction("jitter", defaults.Jitter, 0),
            Concurrency = s.Int("concurrency", defaults.Concurrency, 1, 256),
            BatchSize = s.Int("batchSize", defaults.BatchSize, 1, 10_000),
            MaxConflictRetries = s.Int("maxConflictRetries", defaults.MaxConflictRetries, 1, 100),
        };
        if (settings.RetryMax < settings.RetryInitial)
        {
            s.Error("retryMax", $"must be at least retryInitial ({DurationText.Format(settings.RetryInitial)})");
        }

        s.Finish();
        return new ZonePushOptions { Mode = mode, Targets = targets, Settings = settings };
    }

    private static PushTargetOptions? BindPushTarget(ConfigSection s)
    {
        var name = s.String("name", required: true);
        if (name is not null && (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            s.Error("name", $"expected 1 to 64 letters, digits, '-', '_' or '.', got '{name}'");
            name = null;
        }

        var server = s.Parse<IPEndPoint?>("server", null, "ADDRESS:PORT of the server that accepts UPDATE, e.g. 127.0.0.1:53", (string t, out IPEndPoint? v) => ConfigSection.TryEndPoint(t, out v), required: true);
        var tsig = Tsig(s, "tsig", required: true);
        s.Finish();
        return name is null || server is null || tsig is null ? null : new PushTargetOptions(name, server, tsig);
    }

    private static SoaOptions? BindSoa(ConfigSection s)
    {
        var mname = DnsNames.Absolute(s, "mname", required: true);
        var rname = DnsNames.Absolute(s, "rname", required: true);
        var defaults = new SoaOptions { Mname = "", Rname = "" };
        var soa = new SoaOptions
        {
            Mname = mname ?? "",
            Rname = rname ?? "",
            Refresh = s.Int("refresh", defaults.Refresh, 1, int.MaxValue),
            Retry = s.Int("retry", defaults.Retry, 1, int.MaxValue),
            Expire = s.Int("expire", defaults.Expire, 1, int.MaxValue),
            Minimum = s.Int("minimum", defaults.Minimum, 0, int.MaxValue),
        };
        s.Finish();
        return mname is null || rname is null ? null : soa;
    }

    internal static EndpointOptions? BindEndpoint(ConfigSection s)
    {

        var zone = DnsNames.Absolute(s, "zone", required: true);
        var rawName = s.String("name", required: true);
        string? name = null;
        if (rawName is not null)
        {
            // A name without a trailing dot is relative to its zone: "api" in svc.example. is api.svc.example.
            var full = rawName.EndsWith('.') || zone is null ? rawName : rawName + "." + zone;
            if (DnsNames.TryAbsolute(full, out var normalized))
            {
                name = normalized;
            }
            else
            {
                s.Error("name", $"expected a DNS name (labels of letters, digits, '-' or '_', at most 63 characters each), got '{rawName}'");
            }
        }

        var endpoint = new EndpointOptions
        {
            Name = name ?? "",
            Zone = zone ?? "",
            Policy = BindPolicy(s),
            Targets = [.. s.Sections("targets").Select(BindTarget).OfType<TargetOptions>()],
        };
        if (!s.Has("targets"))
        {
            s.Error("targets", "is required: at least one target (id, address, az)");
        }

        s.Finish();
        return name is null || zone is null ? null : endpoint;
    }

    /// <summary>
    /// An endpoint's <see cref="EndpointPolicy"/>: <c>ttl</c> and <c>maxAnswers</c> from the endpoint entry, the
    /// guardrail settings from its <c>policy</c> section; every default is <see cref="EndpointPolicy.Default"/>'s.
    /// </summary>
    private static EndpointPolicy BindPolicy(ConfigSection endpoint)
    {
        var defaults = EndpointPolicy.Default;
        var ttl = endpoint.Int("ttl", defaults.Ttl, 0, int.MaxValue);
        var maxAnswers = endpoint.Int("maxAnswers", defaults.MaxAnswers, 0, 1000);
        if (endpoint.Section("policy") is not { } s)
        {
            return defaults with { Ttl = ttl, MaxAnswers = maxAnswers, VelocityWindow = defaults.Window };
        }

        var policy = new EndpointPolicy(
            ttl,
            maxAnswers,
            s.Fraction("capacityFloor", defaults.CapacityFloor, 0),
            s.Fraction("velocityLimit", defaults.VelocityLimit, 0, minExclusive: true),
            s.Duration("velocityWindow", defaults.Window, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
            s.Bool("failOpen", defaults.FailOpen));
        s.Finish();
        return policy;
    }

    internal static TargetOptions? BindTarget(ConfigSection s)
    {

        var id = s.String("id", required: true);
        if (id is not null && !DnsNames.IsIdentifier(id))
        {
            s.Error("id", $"expected an identifier of letters, digits, '-', '_' or '.', at most 63 characters, got '{id}'");
            id = null;
        }

        var address = s.Address("address", required: true);
        var az = s.String("az", required: true);
        var check = s.Section("healthCheck");
        var target = new TargetOptions
        {
            Id = id ?? "",
            Address = address ?? IPAddress.None,
            Az = az ?? "",
            Weight = s.Int("weight", 1, 1, 65535),
            Capacity = s.Int("capacity", 1, 1, int.MaxValue),
            AdminState = s.Enum("adminState", TargetAdminState.Enabled),
            HealthCheck = check is null ? null : BindCheck(check),
        };
        s.Finish();
        return id is null || address is null || az is null ? null : target;
    }

    private static HealthCheck? BindCheck(ConfigSection s)
    {
        if (s.EnumOrNull<HealthCheckKind>("kind", required: true) is not { } kind)
        {
            // Without a kind the other keys cannot be judged: accept their names, report only the kind.
            _ = s.Has("url") | s.Has("port") | s.Has("sources") | s.Has("quorum");
            s.Finish();
            return null;
        }

        Uri? url = null;
        int? port = null;
        if (kind == HealthCheckKind.Http)
        {
            url = s.Parse<Uri?>("url", null, "an absolute http:// URL such as http://127.0.0.1:8080/health", (string t, out Uri? v) =>
                Uri.TryCreate(t, UriKind.Absolute, out v) && v.Scheme == Uri.UriSchemeHttp && !string.IsNullOrEmpty(v.Host), required: true);
        }
        else if (kind == HealthCheckKind.Tcp)
        {
            port = s.Int("port", 0, 1, 65535, required: true);
        }

        var sources = s.Values("sources", "the name of a health source", (string t, out string v) => { v = t; return t.Length > 0; });
        if (kind == HealthCheckKind.External && sources.IsEmpty && s.Has("kind"))
        {
            s.Error("sources", "an external check needs the names of the external sources that report on the target");
        }

        int? quorum = s.Has("quorum") ? s.Int("quorum", 1, 1, 100) : null;
        s.Finish();
        var complete = kind switch
        {
            HealthCheckKind.Http => url is not null,
            HealthCheckKind.Tcp => port > 0,
            _ => !sources.IsEmpty,
        };
        return complete ? new HealthCheck { Kind = kind, Url = url, Port = port, Sources = sources, Quorum = quorum } : null;
    }

    private static EnactorEntry? BindEnactor(ConfigSection s)
    {

        var id = s.String("id", required: true);
        var az = s.String("az", required: true);
        s.Finish();
        return id is null || az is null ? null : new EnactorEntry(id, az);
    }

    private static HealthSourceOptions? BindSource(ConfigSection s)
    {

        var name = s.String("name", required: true);
        var kind = s.Enum("kind", HealthSourceKind.Http, required: true);
        var defaults = new HealthSourceOptions { Kind = kind };
        var source = new HealthSourceOptions
        {
            Name = name ?? "",
            Kind = kind,
            Interval = s.Duration("interval", defaults.Interval, TimeSpan.FromMilliseconds(100), s_maxInterval),
            Timeout = s.Duration("timeout", defaults.Timeout, TimeSpan.FromMilliseconds(10), s_maxInterval),
            Rise = s.Int("rise", defaults.Rise, 1, 100),
            Fall = s.Int("fall", defaults.Fall, 1, 100),
        };
        if (source.Timeout >= source.Interval && source.IsActive)
        {
            s.Error("timeout", $"expected less than the interval ({DurationText.Format(source.Interval)}), got {DurationText.Format(source.Timeout)}");
        }

        s.Finish();
        return name is null ? null : source;
    }

    private static HealthAggregationOptions BindHealth(ConfigSection? s)
    {
        var defaults = new HealthAggregationOptions();
        if (s is null)
        {
            return defaults;
        }

        var options = new HealthAggregationOptions
        {
            FreshnessIntervals = s.Parse("freshnessIntervals", defaults.FreshnessIntervals, "a number from 1 to 100", (string t, out double v) =>
                double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out v) && v >= 1 && v <= 100),
            DownGrace = s.Duration("downGrace", defaults.DownGrace, TimeSpan.Zero, TimeSpan.FromDays(1)),
            NewTargetGrace = s.Duration("newTargetGrace", defaults.NewTargetGrace, TimeSpan.Zero, TimeSpan.FromDays(1)),
        };
        s.Finish();
        return options;
    }

    private static GuardrailOptions BindGuardrails(ConfigSection? s)
    {
        var defaults = new GuardrailOptions();
        if (s is null)
        {
            return defaults;
        }

        var sp = s.Section("selfPreservation");
        var options = new GuardrailOptions
        {
            KeepPlans = s.Int("keepPlans", defaults.KeepPlans, 1, 10_000),
            SelfPreservation = sp is null ? defaults.SelfPreservation : BindSelfPreservation(sp),
        };
        s.Finish();
        return options;
    }

    private static SelfPreservationSettings BindSelfPreservation(ConfigSection s)
    {
        var defaults = new SelfPreservationSettings();
        var options = new SelfPreservationSettings
        {
            EnterFraction = s.Fraction("enterFraction", defaults.EnterFraction, 0, minExclusive: true),
            ExitFraction = s.Fraction("exitFraction", defaults.ExitFraction, 0),
            Window = s.Duration("window", defaults.Window, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
            MinTargets = s.Int("minTargets", defaults.MinTargets, 1, int.MaxValue),
        };
        if (options.ExitFraction > options.EnterFraction)
        {
            s.Error("exitFraction", $"expected at most enterFraction ({options.EnterFraction}), got {options.ExitFraction}");
        }

        s.Finish();
        return options;
    }

    private static PlannerSettings BindPlanner(ConfigSection? s)
    {
        var defaults = new PlannerSettings();
        if (s is null)
        {
            return defaults;
        }

        var options = new PlannerSettings
        {
            FullPassInterval = s.Duration("fullPassInterval", defaults.FullPassInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1)),
            EnactorFullPassInterval = s.Duration("enactorFullPassInterval", defaults.EnactorFullPassInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1)),
            WakeDelay = s.Duration("wakeDelay", defaults.WakeDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1)),
            BatchSize = s.Int("batchSize", defaults.BatchSize, 1, 100_000),
        };
        s.Finish();
        return options;
    }

    private static StoreOptions BindStore(ConfigSection? s)
    {
        var defaults = new StoreOptions();
        if (s is null)
        {
            return defaults;
        }

        var kind = s.Enum("kind", defaults.Kind, required: true);
        var options = new StoreOptions
        {
            Kind = kind,
            ChangeRetention = s.Long("changeRetention", defaults.ChangeRetention, 1_000, 100_000_000),
            Endpoints = s.Values<Uri>("endpoints", "an etcd client URL such as http://127.0.0.1:2379 (http or https, host and port, no path)", TryEtcdUrl),
            Prefix = s.String("prefix") ?? defaults.Prefix,
            NodeId = s.String("nodeId"),
        };
        if (kind == StoreKind.Etcd && options.Endpoints.IsEmpty && !s.Has("endpoints"))
        {
            s.Error("endpoints", "is required for kind: etcd (the client URLs of the etcd members, for example [http://10.0.0.1:2379, http://10.0.0.2:2379])");
        }

        if (kind != StoreKind.Etcd)
        {
            foreach (var key in new[] { "endpoints", "prefix" })
            {
                if (s.Has(key))
                {
                    s.Error(key, $"is only for kind: etcd (this store is {kind.ToString().ToLowerInvariant()})");
                }
            }
        }

        if (!options.Prefix.StartsWith('/') || !options.Prefix.EndsWith('/') || options.Prefix.Length < 2 || options.Prefix.Any(char.IsControl))
        {
            s.Error("prefix", $"expected a key prefix that starts and ends with '/' such as /holdfast/, got '{options.Prefix}'");
        }

        if (options.NodeId is { } node && (node.Length is 0 or > 64 || !node.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
        {
            s.Error("nodeId", $"expected 1 to 64 letters, digits, '.', '_' or '-', got '{node}'");
        }

        s.Finish();
        return options;
    }

    private static bool TryEtcdUrl(string text, out Uri value)
    {
        value = null!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.IsDefaultPort || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || text.EndsWith(':'))
        {
            return false;
        }

        value = uri;
        return true;
    }
}
