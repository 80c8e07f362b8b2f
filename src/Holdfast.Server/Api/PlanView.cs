namespace Holdfast.Server.Api;

/// <summary>A stored plan. <paramref name="Applied"/>: it was live at some point; <paramref name="Live"/>: it is live now.</summary>
public sealed record PlanView(
    long Generation,
    DateTimeOffset CreatedAt,
    string Origin,
    string Reason,
    IReadOnlyList<string> Records,
    IReadOnlyList<DecisionView> Decisions,
    bool Applied,
    bool Live,
    string? Rejected,
    string? Override);
