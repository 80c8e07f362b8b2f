namespace Holdfast.Push;

/// <summary>
/// One pass of a push worker: the endpoints it decided (in no particular order), and the failure that stopped the pass
/// for this target (null when none): after a failure the endpoints not yet done wait for the back-off.
/// </summary>
public sealed record PushPass(string Target, IReadOnlyList<PushStep> Steps, bool Full, Exception? Failure, IReadOnlyList<string> Deferred);
