namespace Holdfast.Health.Sources;

/// <summary>How a health source learns about targets.</summary>
public enum HealthSourceKind
{
    /// <summary>An active prober: HTTP GET of the target's <see cref="Aggregation.TargetCheck.HttpUrl"/>, 2xx within the timeout is up.</summary>
    Http,

    /// <summary>An active prober: TCP connect to the target's <see cref="Aggregation.TargetCheck.TcpEndpoint"/> within the timeout is up.</summary>
    Tcp,

    /// <summary>
    /// An external monitor that reports through <see cref="Observations.IObservationSink"/> (the HTTP API).
    /// Holdfast runs no prober for it; its <see cref="HealthSourceOptions.Interval"/> is how often it is
    /// expected to report, which sets its freshness.
    /// </summary>
    External,
}
