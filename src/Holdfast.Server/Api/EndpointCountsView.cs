namespace Holdfast.Server.Api;

/// <summary>
/// Endpoints by health: <paramref name="FailingOpen"/> have an active fail-open alarm, <paramref name="Degraded"/> have a
/// target down (and are not failing open), the rest are healthy. <paramref name="AlarmsCapped"/>: more alarms than were read.
/// </summary>
public sealed record EndpointCountsView(int Total, int Healthy, int Degraded, int FailingOpen, bool AlarmsCapped);
