namespace Holdfast.Server.Api;

/// <summary>What the aggregator did with an observation (<c>accepted</c>).</summary>
public sealed record ObservationView(string Outcome);
