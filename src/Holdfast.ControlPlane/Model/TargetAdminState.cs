namespace Holdfast.ControlPlane.Model;

/// <summary>What the operator wants for a target, independent of its health.</summary>
public enum TargetAdminState
{
    /// <summary>Serves when healthy (or when the endpoint fails open).</summary>
    Enabled,

    /// <summary>Taken out of answers on purpose (maintenance); never counted as capacity.</summary>
    Drained,
}
