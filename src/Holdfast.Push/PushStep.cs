namespace Holdfast.Push;

/// <summary>
/// What one pass did for one endpoint: the last decision, whether an UPDATE landed, how many prerequisite failures it met
/// on the way (another pusher), and the reason given for the action.
/// </summary>
public sealed record PushStep(string Endpoint, PushAction Action, bool Landed, int Conflicts, string Reason);
