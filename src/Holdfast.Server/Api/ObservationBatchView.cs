namespace Holdfast.Server.Api;

/// <summary>What the aggregator did with a batch of observations: how many were accepted, and each one's outcome in order.</summary>
public sealed record ObservationBatchView(int Accepted, IReadOnlyList<string> Outcomes);
