namespace Holdfast.Server.Api;

/// <summary>A request body that must say why (the reason goes into the audit log) and may say who (default <c>api</c>).</summary>
public interface IReasonedRequest
{
    string? Reason { get; }

    string? Actor { get; }
}
