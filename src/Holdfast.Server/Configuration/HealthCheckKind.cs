namespace Holdfast.Server.Configuration;

/// <summary>What a prober does (<c>http</c>, <c>tcp</c>), or <c>external</c> for a source that posts observations.</summary>
public enum HealthCheckKind
{
    Http,
    Tcp,
    External,
}
