using Holdfast.Dns.Update;

namespace Holdfast.Push;

/// <summary>The decision for one endpoint: the action, why (for events), and the UPDATE to send for Push and Repair.</summary>
public sealed record PushDecision(PushAction Action, string Reason, UpdateMessage? Update);
