namespace Holdfast.Dns.Zones;

/// <summary>A problem in a master file, at a 1-based line: prints as <c>file:line: message</c>.</summary>
public sealed record MasterFileError(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}
