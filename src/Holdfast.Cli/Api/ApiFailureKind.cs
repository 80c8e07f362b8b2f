namespace Holdfast.Cli.Api;

/// <summary>Why an API call failed; each kind maps to one exit code of the command.</summary>
internal enum ApiFailureKind
{
    /// <summary>No connection or no answer in time (exit 3).</summary>
    Unreachable,

    /// <summary>401 or 403: the token is missing or wrong (exit 4).</summary>
    Unauthorized,

    /// <summary>The server answered with an error: 400, 404, 409, 5xx (exit 1).</summary>
    Rejected,
}
