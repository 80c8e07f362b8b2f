namespace Holdfast.Health.Observations;

/// <summary>What <see cref="IObservationSink.Record"/> did with an observation. Only <see cref="Accepted"/> changes anything.</summary>
public enum ObservationOutcome
{
    /// <summary>Recorded; the aggregated view was re-evaluated.</summary>
    Accepted,

    /// <summary>No health source of that name is configured.</summary>
    UnknownSource,

    /// <summary>No health check is configured for that endpoint and target.</summary>
    UnknownTarget,

    /// <summary>The source exists but is not one of the target's sources, so it has no vote there.</summary>
    SourceNotAssigned,

    /// <summary>Older than the source's last observation of the target (out of order); ignored.</summary>
    OutOfOrder,
}
