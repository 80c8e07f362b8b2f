namespace Holdfast.ControlPlane.Store;

/// <summary>
/// A control store that cannot be opened or used, with a message for the operator naming the file and what
/// to do. Thrown at start-up instead of a crash deep inside a driver.
/// </summary>
public sealed class ControlStoreException : Exception
{
    public ControlStoreException(ControlStoreFailure failure, string message, Exception? innerException = null)
        : base(message, innerException) => Failure = failure;

    public ControlStoreException()
    {
    }

    public ControlStoreException(string message)
        : base(message)
    {
    }

    public ControlStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ControlStoreFailure Failure { get; } = ControlStoreFailure.Io;
}
