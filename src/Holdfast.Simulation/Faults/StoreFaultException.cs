namespace Holdfast.Simulation.Faults;

/// <summary>
/// An injected store failure. <see cref="Committed"/> is the truth the caller cannot see: when true the
/// operation took effect although the caller got an error (an ambiguous outcome).
/// </summary>
public sealed class StoreFaultException : Exception
{
    public StoreFaultException()
    {
    }

    public StoreFaultException(string message)
        : base(message)
    {
    }

    public StoreFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StoreFaultException(string message, bool committed)
        : base(message) => Committed = committed;

    public bool Committed { get; }
}
