namespace Holdfast.ControlPlane.Loops;

/// <summary>The pace of a <see cref="WorkerLoop"/>: full-pass interval and its jitter, the wake delay, the longest feed wait.</summary>
public sealed record WorkerLoopTimings(TimeSpan FullPassInterval, double Jitter, TimeSpan WakeDelay, TimeSpan FeedWait);
