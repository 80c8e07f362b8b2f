namespace Holdfast.Server.Api;

/// <summary>
/// An endpoint in the dashboard's list: the list view, its targets by aggregated health, and its flags —
/// <paramref name="Pinned"/> (held by a rollback until resumed) and <paramref name="FailingOpen"/> (every target looks down,
/// all are published).
/// </summary>
public sealed record EndpointSummaryView(EndpointView Endpoint, int Up, int Down, int Unknown, bool Pinned, bool FailingOpen);
