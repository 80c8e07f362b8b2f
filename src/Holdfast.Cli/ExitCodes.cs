namespace Holdfast.Cli;

/// <summary>
/// The exit codes of every <c>holdfast</c> command. They are part of the command's interface (scripts and
/// CI branch on them), so a value is never reused for another meaning.
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and failed (refused, not found, invalid config), or <c>plan diff</c> found differences.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: unknown command or option, missing or invalid value.</summary>
    public const int Usage = 2;

    /// <summary>The Holdfast API did not answer: connection refused, no route, or no answer within the timeout.</summary>
    public const int Unreachable = 3;

    /// <summary>The API refused the bearer token (missing or wrong).</summary>
    public const int Unauthorized = 4;

    /// <summary>The text <c>--help</c> prints after the generated help.</summary>
    public const string HelpText = """
        Exit codes:
          0  ok (plan diff: no differences)
          1  failure: refused, not found, invalid config (plan diff: differences found)
          2  usage error: unknown command or option, missing or invalid value
          3  the Holdfast API is unreachable (connection refused or no answer in time)
          4  unauthorized: the API refused the token (see --data and HOLDFAST_TOKEN)
        """;
}
