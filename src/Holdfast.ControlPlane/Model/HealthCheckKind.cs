namespace Holdfast.ControlPlane.Model;

/// <summary>What a prober does with a target (<c>http</c>, <c>tcp</c>), or <c>external</c> when only sources that post observations report on it.</summary>
public enum HealthCheckKind
{
    Http,
    Tcp,
    External,
}
