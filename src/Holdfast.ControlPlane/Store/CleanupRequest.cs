namespace Holdfast.ControlPlane.Store;

/// <summary>
/// Delete plans of <paramref name="Endpoint"/> below its applied generation, keeping the last <paramref name="Keep"/>
/// good ones and every plan created within <paramref name="Retain"/> (see <see cref="CleanupPolicy"/>).
/// </summary>
public readonly record struct CleanupRequest(string Endpoint, int Keep, TimeSpan Retain);
