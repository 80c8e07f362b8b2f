using System.ComponentModel.DataAnnotations;

namespace Holdfast.ControlPlane.Enactment;

/// <summary>How an enactor paces itself.</summary>
public sealed record EnactorOptions
{
    /// <summary>Time between reconcile passes. Default 1 second.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Each wait is <see cref="Interval"/> ± this fraction, at random, so enactors do not march in step. Default 0.2.</summary>
    [Range(0.0, 1.0)]
    public double Jitter { get; init; } = 0.2;

    /// <summary>Cleanup keeps this many applied-once plans below the applied one (K). Default 5.</summary>
    [Range(0, 10_000)]
    public int KeepPlans { get; init; } = 5;
}
