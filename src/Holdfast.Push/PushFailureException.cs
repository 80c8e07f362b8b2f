namespace Holdfast.Push;

/// <summary>
/// The server answered, but not with something the push path can use: an RCODE other than NOERROR or a failed
/// prerequisite (REFUSED, NOTAUTH, SERVFAIL, …), a TSIG that does not verify, or a malformed message. The pass records it
/// per target and retries with back-off, like a timeout.
/// </summary>
public sealed class PushFailureException : Exception
{
    public PushFailureException()
    {
    }

    public PushFailureException(string message)
        : base(message)
    {
    }

    public PushFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
