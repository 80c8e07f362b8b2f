namespace Holdfast.Server.Api;

/// <summary>
/// An endpoint in lists: <paramref name="Answer"/> is the applied record set (what DNS serves);
/// generations are 0 when there is none yet.
/// </summary>
public sealed record EndpointView(
    string Name,
    string Zone,
    int Ttl,
    int MaxAnswers,
    PolicyView Policy,
    long LiveGeneration,
    long LatestGeneration,
    bool Frozen,
    IReadOnlyList<string> Answer,
    int Targets);
