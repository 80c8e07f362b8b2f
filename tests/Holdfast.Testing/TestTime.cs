namespace Holdfast.Testing;

/// <summary>The instant test clocks start from unless a test needs another.</summary>
public static class TestTime
{
    /// <summary>
    /// 2025-10-19 23:48 UTC, when the incident in INCIDENT.md began and where the simulator's world starts. Tests that
    /// build a <c>FakeTimeProvider</c> pass it explicitly (FakeTimeProvider alone starts at 2000-01-01): fixtures and
    /// expected values were written against this instant (plan and audit times, journal entries).
    /// </summary>
    public static readonly DateTimeOffset IncidentStart = new(2025, 10, 19, 23, 48, 0, TimeSpan.Zero);
}
