namespace Holdfast.Cli.Api;

/// <summary>
/// An API call that did not succeed, with a one-line message naming what is wrong (the server's
/// ProblemDetails detail when it sent one). The kind picks the exit code.
/// </summary>
internal sealed class HoldfastApiException(ApiFailureKind kind, string message, int? status = null, Exception? inner = null)
    : CommandException(message, ExitCodeOf(kind), inner)
{
    public ApiFailureKind Kind { get; } = kind;

    /// <summary>The HTTP status, when the server answered.</summary>
    public int? Status { get; } = status;

    private static int ExitCodeOf(ApiFailureKind kind) => kind switch
    {
        ApiFailureKind.Unreachable => ExitCodes.Unreachable,
        ApiFailureKind.Unauthorized => ExitCodes.Unauthorized,
        _ => ExitCodes.Failure,
    };
}
