namespace Holdfast.Server.Configuration;

/// <summary>
/// The <c>metrics</c> section. <c>GET /metrics</c> on the API listener is always served; pushing the same instruments
/// to an OpenTelemetry collector over OTLP is optional.
/// </summary>
public sealed record MetricsOptions
{
    /// <summary><c>metrics.otlp</c>: where to push over OTLP as well; absent (null) pushes nothing.</summary>
    public OtlpOptions? Otlp { get; init; }
}

/// <summary>The <c>metrics.otlp</c> section: one OpenTelemetry collector that every instrument is pushed to.</summary>
public sealed record OtlpOptions
{
    /// <summary>Interval bounds: a push a second at most, one an hour at least.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// <c>metrics.otlp.endpoint</c> (required): the collector's absolute http or https URL, used as written — for
    /// <c>http/protobuf</c> the full path (conventionally <c>http://HOST:4318/v1/metrics</c>), for <c>grpc</c> the
    /// address (<c>http://HOST:4317</c>).
    /// </summary>
    public required Uri Endpoint { get; init; }

    /// <summary><c>metrics.otlp.protocol</c>: <c>http/protobuf</c> (default) or <c>grpc</c>, the values of OTEL_EXPORTER_OTLP_PROTOCOL.</summary>
    public OtlpTransport Protocol { get; init; } = OtlpTransport.HttpProtobuf;

    /// <summary><c>metrics.otlp.interval</c>: time between pushes, 1 s to 1 h. Default 10 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>How OTLP travels: protobuf over HTTP, or gRPC.</summary>
public enum OtlpTransport
{
    HttpProtobuf,
    Grpc,
}
