namespace Holdfast.Server.Configuration;

/// <summary>One entry of <c>enactors</c>: an enactor's id (recorded with every apply) and the availability zone it runs for.</summary>
public sealed record EnactorEntry(string Id, string Az);
